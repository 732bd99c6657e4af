/**
 * Round-trip trades built from fills as they happen: a trade opens when a symbol's position leaves
 * 0 and closes when it returns to 0; a fill that flips the position closes one trade and opens the
 * next (its fee is split pro rata by quantity). Trade P&L = cash flows of its fills − fees + funding
 * received − borrow fees paid while it was open, so Σ closed-trade P&L + open-trade P&L = Σ asset P&L.
 */
import type { TradeRecord } from './types.js';

export interface OpenTrade {
  side: 1 | -1;
  entryTs: number;
  entryQty: number;
  entryValue: number;
  exitQty: number;
  exitValue: number;
  maxQty: number;
  cashFlow: number;
  fees: number;
  funding: number;
  borrow: number;
}

/** A trade's net P&L: cash flows − fees + funding − borrow, its open quantity marked at `mark`. */
const tradePnl = (tr: OpenTrade, qOpen: number, mark: number): number => tr.cashFlow + qOpen * mark - tr.fees + tr.funding - tr.borrow;

export class TradeTracker {
  private readonly open: (OpenTrade | null)[];
  readonly closed: TradeRecord[] = [];
  /** With `records` off: the net P&L of each closed trade, in close order, instead of its record. */
  readonly closedPnl: number[] = [];

  /** @param records keep a record of each closed trade (off: only its P&L, in `closedPnl`, for a sweep that reads nothing else) */
  constructor(
    private readonly symbols: readonly string[],
    private readonly records = true,
  ) {
    this.open = symbols.map(() => null);
  }

  /** @param qBefore position before the fill; qty signed fill quantity */
  onFill(s: number, qBefore: number, qty: number, price: number, fee: number, ts: number): void {
    const qAfter = qBefore + qty;
    const flips = qBefore !== 0 && qAfter !== 0 && Math.sign(qAfter) !== Math.sign(qBefore);
    if (flips) {
      const closePart = -qBefore;
      const feeClose = (fee * Math.abs(closePart)) / Math.abs(qty);
      this.apply(s, qBefore, closePart, price, feeClose, ts);
      this.apply(s, 0, qty - closePart, price, fee - feeClose, ts);
    } else {
      this.apply(s, qBefore, qty, price, fee, ts);
    }
  }

  private apply(s: number, qBefore: number, qty: number, price: number, fee: number, ts: number): void {
    let tr = this.open[s];
    if (!tr) {
      tr = { side: qty > 0 ? 1 : -1, entryTs: ts, entryQty: 0, entryValue: 0, exitQty: 0, exitValue: 0, maxQty: 0, cashFlow: 0, fees: 0, funding: 0, borrow: 0 };
      this.open[s] = tr;
    }
    const qAfter = qBefore + qty;
    if (Math.sign(qty) === tr.side) {
      tr.entryQty += Math.abs(qty);
      tr.entryValue += Math.abs(qty) * price;
    } else {
      tr.exitQty += Math.abs(qty);
      tr.exitValue += Math.abs(qty) * price;
    }
    tr.cashFlow -= qty * price;
    tr.fees += fee;
    tr.maxQty = Math.max(tr.maxQty, Math.abs(qAfter));
    if (Math.abs(qAfter) < 1e-12) {
      if (this.records) this.closed.push(this.record(s, tr, ts, 0, 0));
      else this.closedPnl.push(tradePnl(tr, 0, 0));
      this.open[s] = null;
    }
  }

  onFunding(s: number, amount: number): void {
    const tr = this.open[s];
    if (tr) tr.funding += amount;
  }

  /** @param fee borrow fee paid (≥ 0) by the open trade of symbol s */
  onBorrow(s: number, fee: number): void {
    const tr = this.open[s];
    if (tr) tr.borrow += fee;
  }

  private record(s: number, tr: OpenTrade, exitTs: number | null, qOpen: number, mark: number): TradeRecord {
    const rec: { -readonly [K in keyof TradeRecord]: TradeRecord[K] } = {
      symbol: this.symbols[s]!,
      side: tr.side > 0 ? 'long' : 'short',
      entryTs: tr.entryTs,
      exitTs,
      maxQty: tr.maxQty,
      entryPrice: tr.entryQty > 0 ? tr.entryValue / tr.entryQty : NaN,
      exitPrice: exitTs === null ? null : tr.exitQty > 0 ? tr.exitValue / tr.exitQty : NaN,
      pnl: tradePnl(tr, qOpen, mark),
      fees: tr.fees,
      funding: tr.funding,
    };
    // borrow only when paid (older results and digests have no such field); added last, as the
    // spread it replaces did (a spread per record cost more than the rest of it)
    if (tr.borrow !== 0) rec.borrow = tr.borrow;
    return rec;
  }

  /** The tracker's state (open trades per symbol, closed trades), copied: for Trader snapshots. */
  exportState(): { open: (OpenTrade | null)[]; closed: TradeRecord[] } {
    return structuredClone({ open: this.open, closed: this.closed });
  }

  /** Replace the state with one `exportState` returned. */
  importState(state: { readonly open: readonly (OpenTrade | null)[]; readonly closed: readonly TradeRecord[] }): void {
    const copy = structuredClone(state);
    this.open.splice(0, this.open.length, ...copy.open);
    this.closed.splice(0, this.closed.length, ...copy.closed);
  }

  /** Closed trades in close order, then trades still open (marked at `marks`). */
  finish(q: Float64Array, marks: Float64Array): TradeRecord[] {
    const out = this.closed.slice();
    for (let s = 0; s < this.open.length; s++) {
      const tr = this.open[s];
      if (tr) out.push(this.record(s, tr, null, q[s]!, marks[s]!));
    }
    return out;
  }
}
