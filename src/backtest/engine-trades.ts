/**
 * Round-trip trades built from fills as they happen: a trade opens when a symbol's position leaves
 * 0 and closes when it returns to 0; a fill that flips the position closes one trade and opens the
 * next (its fee is split pro rata by quantity). Trade P&L = cash flows of its fills − fees + funding
 * received − borrow fees paid while it was open, so Σ closed-trade P&L + open-trade P&L = Σ asset P&L.
 *
 * The arithmetic is here once (`TradeState`, `applyFillRecord`, `tradePnl` and the average prices):
 * the event engine's `TradeTracker` keeps one state per symbol, the fast path's trade columns
 * (fast-path-trades.ts) replay a single-model run's fills through the same functions, and the
 * optimiser's sweep kernel (src/optimize/sweep-book.ts) hands each fill over as a `FillRecord`.
 */
import { RowChunks } from '../execution/row-chunks.js';
import type { TradeRecord } from './types.js';

/** A trade still open, as a snapshot holds it (Trader snapshots: engine/snapshot.ts). */
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

/**
 * One symbol's open trade in numbers, reused from trade to trade (`active` false while the symbol
 * is flat): no object per trade. `slot` is the symbol's index; `exitTs` is the time of the fill
 * that closed it, set just before it goes to its `ClosedTradeSink`.
 */
export class TradeState {
  active = false;
  side: 1 | -1 = 1;
  entryTs = 0;
  entryQty = 0;
  entryValue = 0;
  exitQty = 0;
  exitValue = 0;
  maxQty = 0;
  cashFlow = 0;
  fees = 0;
  funding = 0;
  borrow = 0;
  exitTs = NaN;

  constructor(readonly slot: number) {}
}

/** Where a trade goes when it closes, at `tr.exitTs` (its state is reset after the call returns). */
export interface ClosedTradeSink {
  closeTrade(tr: TradeState): void;
}

/** A trade's net P&L: cash flows − fees + funding − borrow, its open quantity marked at `mark`. */
export const tradePnl = (tr: TradeState, qOpen: number, mark: number): number => tr.cashFlow + qOpen * mark - tr.fees + tr.funding - tr.borrow;

/** The average price of the fills that built the position (NaN when none did). */
export const averageEntryPrice = (tr: TradeState): number => (tr.entryQty > 0 ? tr.entryValue / tr.entryQty : NaN);

/** The average price of the fills that reduced it (NaN when none did). */
export const averageExitPrice = (tr: TradeState): number => (tr.exitQty > 0 ? tr.exitValue / tr.exitQty : NaN);

/**
 * A fill's numbers in a Float64Array (indices `FILL_*`): position before the fill, signed quantity,
 * executed price, fee, time. A caller in a hot loop writes them here and passes the array, so the
 * numbers reach the arithmetic without a heap number each: passed as arguments to a call V8 does not
 * inline, every double is boxed (the sweep kernel made ~90 MB of garbage per sweep that way,
 * docs/optimize.md).
 */
export type FillRecord = Float64Array;
export const FILL_Q_BEFORE = 0;
export const FILL_QTY = 1;
export const FILL_PRICE = 2;
export const FILL_FEE = 3;
export const FILL_TS = 4;
export const newFillRecord = (): FillRecord => new Float64Array(5);

/** The fill `applyFill` hands on, and the second part of a flipping fill (no call re-enters either before it returns). */
const argsFill = newFillRecord();
const flipPart = newFillRecord();

/**
 * A fill into the symbol's trade. A fill that flips the position closes the trade (into `sink`)
 * and opens the next; its fee is split pro rata by quantity.
 * @param qBefore position before the fill; qty signed fill quantity
 */
export function applyFill(tr: TradeState, sink: ClosedTradeSink, qBefore: number, qty: number, price: number, fee: number, ts: number): void {
  argsFill[FILL_Q_BEFORE] = qBefore;
  argsFill[FILL_QTY] = qty;
  argsFill[FILL_PRICE] = price;
  argsFill[FILL_FEE] = fee;
  argsFill[FILL_TS] = ts;
  applyFillRecord(tr, sink, argsFill);
}

/** `applyFill` with the fill's numbers in a `FillRecord` (left as they were). */
export function applyFillRecord(tr: TradeState, sink: ClosedTradeSink, fill: FillRecord): void {
  const qBefore = fill[FILL_Q_BEFORE]!;
  const qty = fill[FILL_QTY]!;
  const qAfter = qBefore + qty;
  const flips = qBefore !== 0 && qAfter !== 0 && Math.sign(qAfter) !== Math.sign(qBefore);
  if (!flips) {
    applyPart(tr, sink, fill);
    return;
  }
  // the part that closes the trade (to 0), then the rest from 0 in a trade of its own
  const closePart = -qBefore;
  const fee = fill[FILL_FEE]!;
  const feeClose = (fee * Math.abs(closePart)) / Math.abs(qty);
  const part = flipPart;
  part[FILL_PRICE] = fill[FILL_PRICE]!;
  part[FILL_TS] = fill[FILL_TS]!;
  part[FILL_Q_BEFORE] = qBefore;
  part[FILL_QTY] = closePart;
  part[FILL_FEE] = feeClose;
  applyPart(tr, sink, part);
  part[FILL_Q_BEFORE] = 0;
  part[FILL_QTY] = qty - closePart;
  part[FILL_FEE] = fee - feeClose;
  applyPart(tr, sink, part);
}

/** One fill part (no flip): opens the trade if the symbol was flat, closes it if the position returns to 0. */
function applyPart(tr: TradeState, sink: ClosedTradeSink, part: FillRecord): void {
  const qBefore = part[FILL_Q_BEFORE]!;
  const qty = part[FILL_QTY]!;
  const price = part[FILL_PRICE]!;
  const ts = part[FILL_TS]!;
  if (!tr.active) {
    tr.active = true;
    tr.side = qty > 0 ? 1 : -1;
    tr.entryTs = ts;
    tr.entryQty = 0;
    tr.entryValue = 0;
    tr.exitQty = 0;
    tr.exitValue = 0;
    tr.maxQty = 0;
    tr.cashFlow = 0;
    tr.fees = 0;
    tr.funding = 0;
    tr.borrow = 0;
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
  tr.fees += part[FILL_FEE]!;
  tr.maxQty = Math.max(tr.maxQty, Math.abs(qAfter));
  if (Math.abs(qAfter) < 1e-12) {
    tr.exitTs = ts;
    sink.closeTrade(tr);
    tr.active = false;
  }
}

/** Funding received (negative: paid) by the symbol's open trade, if any. */
export function addFunding(tr: TradeState, amount: number): void {
  if (tr.active) tr.funding += amount;
}

/**
 * A closed trade kept as a row of numbers (its `TradeState` fields) until its record is read: a
 * 1M-bar run closes ~17 000 trades, and a record object each (seven boxed numbers) made garbage that,
 * kept to the end of the run, every scavenge copied (docs/backtest-engine.md "Speed").
 */
const ROW_SLOT = 0;
const ROW_SIDE = 1;
const ROW_ENTRY_TS = 2;
const ROW_ENTRY_QTY = 3;
const ROW_ENTRY_VALUE = 4;
const ROW_EXIT_QTY = 5;
const ROW_EXIT_VALUE = 6;
const ROW_MAX_QTY = 7;
const ROW_CASH_FLOW = 8;
const ROW_FEES = 9;
const ROW_FUNDING = 10;
const ROW_BORROW = 11;
const ROW_EXIT_TS = 12;
const ROW_WIDTH = 13;

export class TradeTracker implements ClosedTradeSink {
  private readonly open: TradeState[];
  /** Records of the closed trades made so far (a prefix, in close order); the rest are rows in `closedRows`. */
  private readonly made: TradeRecord[] = [];
  private readonly closedRows = new RowChunks(ROW_WIDTH);
  /** A closed trade's row loaded back into a state, to make its record with the same arithmetic. */
  private readonly rowState = new TradeState(0);
  /** With `records` off: the net P&L of each closed trade, in close order, instead of its record. */
  readonly closedPnl: number[] = [];

  /** @param records keep a record of each closed trade (off: only its P&L, in `closedPnl`, for a sweep that reads nothing else) */
  constructor(
    private readonly symbols: readonly string[],
    private readonly records = true,
  ) {
    this.open = symbols.map((_, s) => new TradeState(s));
  }

  /** The closed trades' records, in close order (made when read; the same array on every read). */
  get closed(): TradeRecord[] {
    const rows = this.closedRows;
    for (let r = 0; r < rows.rows; r++) this.made.push(this.rowRecord(r));
    rows.clear();
    return this.made;
  }

  /** Trades closed so far (without making their records). */
  get closedCount(): number {
    return this.made.length + this.closedRows.rows;
  }

  /** @param qBefore position before the fill; qty signed fill quantity */
  onFill(s: number, qBefore: number, qty: number, price: number, fee: number, ts: number): void {
    applyFill(this.open[s]!, this, qBefore, qty, price, fee, ts);
  }

  /** `onFill` with the fill's numbers in a `FillRecord` (no heap number per fill, for a hot loop). */
  onFillRecord(s: number, fill: FillRecord): void {
    applyFillRecord(this.open[s]!, this, fill);
  }

  closeTrade(tr: TradeState): void {
    if (!this.records) {
      this.closedPnl.push(tradePnl(tr, 0, 0));
      return;
    }
    const rows = this.closedRows;
    const r = rows.add();
    const v = rows.chunk(r);
    const at = rows.offset(r);
    v[at + ROW_SLOT] = tr.slot;
    v[at + ROW_SIDE] = tr.side;
    v[at + ROW_ENTRY_TS] = tr.entryTs;
    v[at + ROW_ENTRY_QTY] = tr.entryQty;
    v[at + ROW_ENTRY_VALUE] = tr.entryValue;
    v[at + ROW_EXIT_QTY] = tr.exitQty;
    v[at + ROW_EXIT_VALUE] = tr.exitValue;
    v[at + ROW_MAX_QTY] = tr.maxQty;
    v[at + ROW_CASH_FLOW] = tr.cashFlow;
    v[at + ROW_FEES] = tr.fees;
    v[at + ROW_FUNDING] = tr.funding;
    v[at + ROW_BORROW] = tr.borrow;
    v[at + ROW_EXIT_TS] = tr.exitTs;
  }

  /** The record of closed row r: its numbers back in a state, then `record` as for an open trade. */
  private rowRecord(r: number): TradeRecord {
    const rows = this.closedRows;
    const v = rows.chunk(r);
    const at = rows.offset(r);
    const tr = this.rowState;
    tr.side = v[at + ROW_SIDE]! > 0 ? 1 : -1;
    tr.entryTs = v[at + ROW_ENTRY_TS]!;
    tr.entryQty = v[at + ROW_ENTRY_QTY]!;
    tr.entryValue = v[at + ROW_ENTRY_VALUE]!;
    tr.exitQty = v[at + ROW_EXIT_QTY]!;
    tr.exitValue = v[at + ROW_EXIT_VALUE]!;
    tr.maxQty = v[at + ROW_MAX_QTY]!;
    tr.cashFlow = v[at + ROW_CASH_FLOW]!;
    tr.fees = v[at + ROW_FEES]!;
    tr.funding = v[at + ROW_FUNDING]!;
    tr.borrow = v[at + ROW_BORROW]!;
    return this.record(v[at + ROW_SLOT]!, tr, v[at + ROW_EXIT_TS]!, 0, 0);
  }

  onFunding(s: number, amount: number): void {
    addFunding(this.open[s]!, amount);
  }

  /** @param fee borrow fee paid (≥ 0) by the open trade of symbol s */
  onBorrow(s: number, fee: number): void {
    const tr = this.open[s]!;
    if (tr.active) tr.borrow += fee;
  }

  private record(slot: number, tr: TradeState, exitTs: number | null, qOpen: number, mark: number): TradeRecord {
    const rec: { -readonly [K in keyof TradeRecord]: TradeRecord[K] } = {
      symbol: this.symbols[slot]!,
      side: tr.side > 0 ? 'long' : 'short',
      entryTs: tr.entryTs,
      exitTs,
      maxQty: tr.maxQty,
      entryPrice: averageEntryPrice(tr),
      exitPrice: exitTs === null ? null : averageExitPrice(tr),
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
    const open = this.open.map((tr): OpenTrade | null =>
      tr.active
        ? {
            side: tr.side, entryTs: tr.entryTs, entryQty: tr.entryQty, entryValue: tr.entryValue, exitQty: tr.exitQty, exitValue: tr.exitValue,
            maxQty: tr.maxQty, cashFlow: tr.cashFlow, fees: tr.fees, funding: tr.funding, borrow: tr.borrow,
          }
        : null,
    );
    return { open, closed: structuredClone(this.closed) };
  }

  /** Replace the state with one `exportState` returned. */
  importState(state: { readonly open: readonly (OpenTrade | null)[]; readonly closed: readonly TradeRecord[] }): void {
    state.open.forEach((o, s) => {
      const tr = this.open[s]!;
      tr.active = o !== null;
      if (o === null) return;
      tr.side = o.side;
      tr.entryTs = o.entryTs;
      tr.entryQty = o.entryQty;
      tr.entryValue = o.entryValue;
      tr.exitQty = o.exitQty;
      tr.exitValue = o.exitValue;
      tr.maxQty = o.maxQty;
      tr.cashFlow = o.cashFlow;
      tr.fees = o.fees;
      tr.funding = o.funding;
      tr.borrow = o.borrow;
    });
    this.closedRows.clear();
    this.made.splice(0, this.made.length, ...structuredClone(state.closed));
  }

  /** Closed trades in close order, then trades still open (marked at `marks`). */
  finish(q: Float64Array, marks: Float64Array): TradeRecord[] {
    return this.finishWhenRead(q, marks)();
  }

  /**
   * `finish` with the closed trades' records made when the returned function is called (a backtest's
   * result reads them only if asked): the trades closed by now, then the open ones as they stand now.
   */
  finishWhenRead(q: Float64Array, marks: Float64Array): () => TradeRecord[] {
    const count = this.closedCount;
    const stillOpen: TradeRecord[] = [];
    for (const tr of this.open) if (tr.active) stillOpen.push(this.record(tr.slot, tr, null, q[tr.slot]!, marks[tr.slot]!));
    return () => {
      const out = this.closed.slice(0, count);
      for (const rec of stillOpen) out.push(rec);
      return out;
    };
  }
}
