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

/**
 * The order's id and the fill's flags in one integer cell: flags + 4 · order id, the flags 1 for a
 * maker fill (0 taker) + 2 when gapped. The symbol is the order's (order-log.ts). Eight cells a
 * row instead of ten (a 1M-bar run writes ~40 000 rows into fresh memory, docs/backtest-engine.md
 * "Speed").
 */
const ORDER_AND_FLAGS = 0;
const FLAG_SPAN = 4;
const TS = 1;
const QTY = 2;
const REF = 3;
const PRICE = 4;
const FEE = 5;
const SLIPPAGE = 6;
const IMPACT = 7;
const WIDTH = 8;

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

  /** A fill of order `orderId` (1-based; the fill's symbol is the order's), with its executed price and costs. */
  add(orderId: number, f: Readonly<FillAmounts>, maker: boolean, gap: boolean): void {
    const r = this.log.add();
    const v = this.log.chunk(r);
    let at = this.log.offset(r);
    v[at++] = (maker ? 1 : 0) + (gap ? 2 : 0) + FLAG_SPAN * orderId;
    v[at++] = f.ts;
    v[at++] = f.qty;
    v[at++] = f.ref;
    v[at++] = f.price;
    v[at++] = f.fee;
    v[at++] = f.slippage;
    v[at] = f.impact;
  }

  /** The record of row i (its order's type and reason from the order log). */
  record(i: number, orders: OrderLog): FillRecord {
    const v = this.log.chunk(i);
    const at = this.log.offset(i);
    const code = v[at + ORDER_AND_FLAGS]!;
    const flags = code & (FLAG_SPAN - 1);
    const id = (code - flags) / FLAG_SPAN;
    const s = orders.symbolIndex(id);
    const qty = v[at + QTY]!;
    const price = v[at + PRICE]!;
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

  /** Replace every row with `fills` (a snapshot's, of the orders in the order log), in their order; their records are these very records. */
  restore(fills: readonly FillRecord[]): void {
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
      this.add(f.orderId, amounts, f.liquidity === 'maker', f.gap);
      this.made.push(f);
    }
  }
}
