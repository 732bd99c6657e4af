/**
 * The simulated broker's fills as rows of numbers (execution/simulated-broker.ts), made into
 * `FillRecord`s only when read. A 1M-bar run makes ~40 000 fills; building a 15-field object for
 * each as it happens was a tenth of the event engine's time, and most runs (the bias probes', a
 * sweep's) never read them. `records(orders)` appends the records of the rows not yet made to one
 * array and returns it, so a reader that keeps the array (and may replace entries in it: the paper
 * broker marks a kill switch's fills) sees the same objects on the next read.
 */
import type { AssetClass } from '../core/table.js';
import { FillAmounts } from './account.js';
import type { OrderLog } from './order-log.js';
import { RowChunks } from './row-chunks.js';
import type { FillRecord } from './types.js';

const ORDER = 0;
const SYMBOL = 1;
const TS = 2;
const QTY = 3;
const REF = 4;
const PRICE = 5;
const FEE = 6;
const SLIPPAGE = 7;
const IMPACT = 8;
/** 1 maker, 0 taker; + 2 when gapped. */
const FLAGS = 9;
const WIDTH = 10;

export class FillLog {
  private readonly log = new RowChunks(WIDTH);
  private readonly made: FillRecord[] = [];

  constructor(
    private readonly symbols: readonly string[],
    private readonly assetClass: readonly AssetClass[],
  ) {}

  /** Rows logged. */
  get rows(): number {
    return this.log.rows;
  }

  /** A fill of order `orderId` (1-based) of symbol s, with its executed price and costs. */
  add(orderId: number, s: number, f: Readonly<FillAmounts>, maker: boolean, gap: boolean): void {
    const r = this.log.add();
    const v = this.log.chunk(r);
    let at = this.log.offset(r);
    v[at++] = orderId;
    v[at++] = s;
    v[at++] = f.ts;
    v[at++] = f.qty;
    v[at++] = f.ref;
    v[at++] = f.price;
    v[at++] = f.fee;
    v[at++] = f.slippage;
    v[at++] = f.impact;
    v[at] = (maker ? 1 : 0) + (gap ? 2 : 0);
  }

  /** The record of row i (its order's type and reason from the order log). */
  record(i: number, orders: OrderLog): FillRecord {
    const v = this.log.chunk(i);
    const at = this.log.offset(i);
    const id = v[at + ORDER]!;
    const s = v[at + SYMBOL]!;
    const qty = v[at + QTY]!;
    const price = v[at + PRICE]!;
    const flags = v[at + FLAGS]!;
    // the fields in the order the broker has always written them (the result digest hashes records in key order)
    return {
      orderId: id, symbol: this.symbols[s]!, assetClass: this.assetClass[s]!, ts: v[at + TS]!, qty, refPrice: v[at + REF]!, price, notional: Math.abs(qty * price),
      fee: v[at + FEE]!, slippage: v[at + SLIPPAGE]!, impact: v[at + IMPACT]!, liquidity: (flags & 1) === 1 ? 'maker' : 'taker', gap: (flags & 2) === 2, type: orders.type(id), reason: orders.reason(id),
    };
  }

  /** Every fill's record, in fill order: the rows not made yet are appended to the one array returned. */
  records(orders: OrderLog): FillRecord[] {
    const made = this.made;
    for (let i = made.length; i < this.rows; i++) made.push(this.record(i, orders));
    return made;
  }

  /** Replace every row with `fills` (a snapshot's), in their order; their records are these very records. */
  restore(fills: readonly FillRecord[], symbolIndex: ReadonlyMap<string, number>): void {
    this.log.clear();
    this.made.length = 0;
    const amounts = new FillAmounts();
    for (const f of fills) {
      amounts.ts = f.ts;
      amounts.qty = f.qty;
      amounts.ref = f.refPrice;
      amounts.price = f.price;
      amounts.fee = f.fee;
      amounts.slippage = f.slippage;
      amounts.impact = f.impact;
      this.add(f.orderId, symbolIndex.get(f.symbol)!, amounts, f.liquidity === 'maker', f.gap);
      this.made.push(f);
    }
  }
}
