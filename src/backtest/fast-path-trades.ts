/**
 * A fast-path result's round-trip trades as columns: the book's logged fills (at the costs `execute`
 * charged) and funding payments replayed in order, one symbol, no record object per trade. The
 * arithmetic is engine-trades.ts's, the same functions the event engine's `TradeTracker` calls
 * (`applyFill`: a flip closes the trade and opens the next with the fee split pro rata; `tradePnl`:
 * cash flows − fees + funding − borrow, the open trade marked at the last close); only where a
 * closed trade goes differs: a row of typed columns here, a record there. Records for the ~17 000
 * trades of a 1M-bar run were 13 MB of garbage that the digest and the report never needed.
 * test/backtest/fast-path-trades.test.ts checks the columns against TradeTracker's records, field
 * by field (Object.is), and the fast-path equivalence tests compare the records with the event
 * engine's. The fast path charges no borrow, so no trade has a `borrow` field.
 */
import { newFillCost } from '../execution/costs.js';
import { addFunding, applyFill, averageEntryPrice, averageExitPrice, tradePnl, TradeState, type ClosedTradeSink } from './engine-trades.js';
import { E_FILL, E_PAY, E_Q, F_BAR, F_QTY, F_REF, F_TS, type FastBook } from './fast-path-book.js';
import type { TradeRecord } from './types.js';

/** Trades in record order (closed in close order, then the open one); `exitTs` NaN for the open one. */
export interface TradeColumns {
  readonly count: number;
  /** Closed trades (the first `closed` rows). */
  readonly closed: number;
  /** +1 long, −1 short. */
  readonly side: Int8Array;
  readonly entryTs: Float64Array;
  readonly exitTs: Float64Array;
  readonly maxQty: Float64Array;
  readonly entryPrice: Float64Array;
  /** NaN for the open trade (its record says null). */
  readonly exitPrice: Float64Array;
  readonly pnl: Float64Array;
  readonly fees: Float64Array;
  readonly funding: Float64Array;
}

/**
 * Rows written so far, sized for `capacity` trades up front (fresh memory costs page faults, and
 * doubling from a small start allocated four times the final columns); grows by doubling past it.
 */
class Rows implements ClosedTradeSink {
  count = 0;
  side: Int8Array<ArrayBuffer>;
  entryTs: Float64Array<ArrayBuffer>;
  exitTs: Float64Array<ArrayBuffer>;
  maxQty: Float64Array<ArrayBuffer>;
  entryPrice: Float64Array<ArrayBuffer>;
  exitPrice: Float64Array<ArrayBuffer>;
  pnl: Float64Array<ArrayBuffer>;
  fees: Float64Array<ArrayBuffer>;
  funding: Float64Array<ArrayBuffer>;

  constructor(capacity: number) {
    const n = Math.max(1, capacity);
    this.side = new Int8Array(n);
    this.entryTs = new Float64Array(n);
    this.exitTs = new Float64Array(n);
    this.maxQty = new Float64Array(n);
    this.entryPrice = new Float64Array(n);
    this.exitPrice = new Float64Array(n);
    this.pnl = new Float64Array(n);
    this.fees = new Float64Array(n);
    this.funding = new Float64Array(n);
  }

  closeTrade(tr: TradeState): void {
    this.add(tr, tr.exitTs, 0, 0);
  }

  /** TradeTracker's record as a row: the trade exited at `exitTs` (NaN: still open), its open quantity marked at `mark`. */
  add(tr: TradeState, exitTs: number, qOpen: number, mark: number): void {
    if (this.count === this.side.length) this.grow();
    const i = this.count++;
    this.side[i] = tr.side;
    this.entryTs[i] = tr.entryTs;
    this.exitTs[i] = exitTs;
    this.maxQty[i] = tr.maxQty;
    this.entryPrice[i] = averageEntryPrice(tr);
    this.exitPrice[i] = exitTs !== exitTs ? NaN : averageExitPrice(tr);
    this.pnl[i] = tradePnl(tr, qOpen, mark);
    this.fees[i] = tr.fees;
    this.funding[i] = tr.funding;
  }

  private grow(): void {
    const n = this.side.length * 2;
    const f = (a: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    const s = new Int8Array(n);
    s.set(this.side);
    this.side = s;
    [this.entryTs, this.exitTs, this.maxQty, this.entryPrice, this.exitPrice, this.pnl, this.fees, this.funding] = [
      f(this.entryTs), f(this.exitTs), f(this.maxQty), f(this.entryPrice), f(this.exitPrice), f(this.pnl), f(this.fees), f(this.funding),
    ];
  }
}

/** The book's trades: its fills and funding payments in order (fast-path-result.ts `replayFills`), then the open trade marked at `finalMark`. */
export function tradeColumns(book: FastBook, finalMark: number): TradeColumns {
  const ev = book.events;
  const fl = book.fills;
  const c = newFillCost();
  const tr = new TradeState(0);
  // each trade opens with a fill of its own (a flip's fill opens one trade), so at most one trade per fill
  const rows = new Rows(fl.length);
  let q = 0;
  for (let e = 0; e < ev.length; e++) {
    const f = ev.cell(E_FILL, e);
    if (f >= 0) {
      const qty = fl.cell(F_QTY, f);
      book.costOf(qty, fl.cell(F_REF, f), fl.cell(F_BAR, f), c);
      applyFill(tr, rows, q, qty, c.price, c.fee, fl.cell(F_TS, f));
    } else addFunding(tr, ev.cell(E_PAY, e));
    q = ev.cell(E_Q, e);
  }
  const closed = rows.count;
  // TradeTracker.finish: the open trade, its position marked at the last close
  if (tr.active) rows.add(tr, NaN, book.q, finalMark);
  const n = rows.count;
  return {
    count: n,
    closed,
    side: rows.side.subarray(0, n),
    entryTs: rows.entryTs.subarray(0, n),
    exitTs: rows.exitTs.subarray(0, n),
    maxQty: rows.maxQty.subarray(0, n),
    entryPrice: rows.entryPrice.subarray(0, n),
    exitPrice: rows.exitPrice.subarray(0, n),
    pnl: rows.pnl.subarray(0, n),
    fees: rows.fees.subarray(0, n),
    funding: rows.funding.subarray(0, n),
  };
}

/** Rows from … to − 1 as TradeTracker's records (the same fields in the same order). */
export function tradeRecords(t: TradeColumns, symbol: string, from = 0, to = t.count): TradeRecord[] {
  const out: TradeRecord[] = new Array(Math.max(0, to - from));
  for (let i = from; i < to; i++) {
    const open = i >= t.closed;
    out[i - from] = {
      symbol,
      side: t.side[i]! > 0 ? 'long' : 'short',
      entryTs: t.entryTs[i]!,
      exitTs: open ? null : t.exitTs[i]!,
      maxQty: t.maxQty[i]!,
      entryPrice: t.entryPrice[i]!,
      exitPrice: open ? null : t.exitPrice[i]!,
      pnl: t.pnl[i]!,
      fees: t.fees[i]!,
      funding: t.funding[i]!,
    };
  }
  return out;
}
