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
import { InvariantError } from '../core/errors.js';
import { newFillCost } from '../execution/costs.js';
import { addFunding, applyFillRecord, averageEntryPrice, FILL_FEE, FILL_PRICE, FILL_Q_BEFORE, FILL_QTY, FILL_TS, newFillRecord, averageExitPrice, tradePnl, TradeState, type ClosedTradeSink } from './engine-trades.js';
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
    const i = this.next(tr);
    const exitTs = tr.exitTs;
    this.exitTs[i] = exitTs;
    this.exitPrice[i] = exitTs !== exitTs ? NaN : averageExitPrice(tr);
    this.pnl[i] = tradePnl(tr, 0, 0);
  }

  /** TradeTracker.finish's record of the trade still open: its open quantity marked at `mark`, no exit. */
  addOpen(tr: TradeState, qOpen: number, mark: number): void {
    const i = this.next(tr);
    this.exitTs[i] = NaN;
    this.exitPrice[i] = NaN;
    this.pnl[i] = tradePnl(tr, qOpen, mark);
  }

  /**
   * A new row holding the fields every trade record has; returns its index. (The exit and the P&L
   * are written by the callers: no number passed as an argument, which V8 would box per trade.)
   */
  private next(tr: TradeState): number {
    if (this.count === this.side.length) this.grow();
    const i = this.count++;
    this.side[i] = tr.side;
    this.entryTs[i] = tr.entryTs;
    this.maxQty[i] = tr.maxQty;
    this.entryPrice[i] = averageEntryPrice(tr);
    this.fees[i] = tr.fees;
    this.funding[i] = tr.funding;
    return i;
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
  const fill = newFillRecord();
  // The logs are read in place, chunk by chunk (ColumnLog.chunkList); the fills an event names come
  // in ascending order (the book logs each fill with its event), so a cursor finds each fill's chunk.
  const fills = fl.chunkList;
  let fk = 0; // the chunk holding fill f: fills[fk], whose first row is fStart
  let fStart = 0;
  let q = 0;
  let left = ev.length;
  for (const chunk of ev.chunkList) {
    if (left <= 0) break;
    const fillOf = chunk[E_FILL]!;
    const pay = chunk[E_PAY]!;
    const qs = chunk[E_Q]!;
    const m = Math.min(fillOf.length, left);
    for (let a = 0; a < m; a++) {
      const f = fillOf[a]!;
      if (f >= 0) {
        if (f < fStart) throw new InvariantError(`fast path: fill ${f} logged after fill ${fStart}`);
        while (f - fStart >= fills[fk]![0]!.length) fStart += fills[fk++]![0]!.length;
        const fc = fills[fk]!;
        const i = f - fStart;
        const qty = fc[F_QTY]![i]!;
        book.costOf(qty, fc[F_REF]![i]!, fc[F_BAR]![i]!, c);
        // applyFill's numbers in a record (no argument to box)
        fill[FILL_Q_BEFORE] = q;
        fill[FILL_QTY] = qty;
        fill[FILL_PRICE] = c.price;
        fill[FILL_FEE] = c.fee;
        fill[FILL_TS] = fc[F_TS]![i]!;
        applyFillRecord(tr, rows, fill);
      } else addFunding(tr, pay[a]!);
      q = qs[a]!;
    }
    left -= m;
  }
  const closed = rows.count;
  // TradeTracker.finish: the open trade, its position marked at the last close
  if (tr.active) rows.addOpen(tr, book.q, finalMark);
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
