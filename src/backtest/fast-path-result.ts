/**
 * The fast path's BacktestResult, the one engine-assemble.ts builds for the event engine, field for
 * field. The NAV series and every total are computed by the run; what can be derived from the
 * run's columnar logs (fast-path-book.ts) is derived the first time it is read:
 *   - cash, gross, net, drawdown and the model's P&L series, in one pass over the steps that
 *     replays the logged cash/position changes (`replaySteps`); a reader that only scans them
 *     (result-series.ts) gets them chunk by chunk through `derivedReplay` instead, and none is built;
 *   - ts, as a view of the clock's close times (`closeTimes`, shared by runs on the same bars);
 *   - the order, fill and trade records (trades: the logged fills and funding payments replayed
 *     through the event engine's TradeTracker).
 * Each is computed once and then kept (a data property replaces the getter), so reading a result
 * twice costs once, and every derived value is the one the event engine records, bit for bit
 * (test/backtest/fast-path*.test.ts compare them field by field and by digest).
 */
import { newFillCost } from '../execution/costs.js';
import { executionProfile } from '../execution/profile.js';
import type { FillRecord, OrderRecord, OrderStatus } from '../execution/types.js';
import { RISK_MODES } from '../risk/types.js';
import { FieldColumns, NumberField, RepeatedField, type HashableField } from './record-columns.js';
import { costSummary } from './engine-assemble.js';
import { finestInterval } from './engine-data.js';
import { TradeTracker } from './engine-trades.js';
import { tradeColumns, tradeRecords, type TradeColumns } from './fast-path-trades.js';
import {
  E_CASH, E_FILL, E_NAV_PRE, E_PAY, E_Q, E_STEP, F_BAR, F_ORDER, F_QTY, F_REF, F_TS, O_CLOSED, O_PLACED, O_QTY, O_STATUS, ORDER_CANCELLED, ORDER_FILLED, type FastBook,
} from './fast-path-book.js';
import type { BacktestInput, BacktestResult, ModelAttribution, TradeRecord } from './types.js';

/** What the loop leaves behind besides the book. */
export interface FastRun {
  readonly book: FastBook;
  /** NAV at each step (computed by the loop). */
  readonly nav: Float64Array;
  /** Clock: step r is clock index kStart + r, at times[k] + offset. */
  readonly times: Float64Array;
  readonly offset: number;
  readonly kStart: number;
  /** The symbol's closes, indexed like the clock (one regular or close_ts symbol). */
  readonly close: Float64Array;
  /** The last close (the final mark). */
  readonly mark: number;
}

interface Derived {
  readonly cash: Float64Array;
  readonly gross: Float64Array;
  readonly net: Float64Array;
  readonly drawdown: Float64Array;
  readonly pnl: Float64Array;
}

/** The derived series a reader can ask for without the fast path building them (result-series.ts). */
export type DerivedName = 'cash' | 'gross' | 'net' | 'drawdown';

/** Define `key` on `o` as computed on first read, then kept (a data property replaces the getter). */
export function lazy(o: object, key: string, make: () => unknown): void {
  Object.defineProperty(o, key, {
    enumerable: true,
    configurable: true,
    get(): unknown {
      const value = make();
      Object.defineProperty(o, key, { value, enumerable: true, writable: false, configurable: false });
      return value;
    },
  });
}

/** True while `key` of `o` is still a `lazy` getter (not yet computed). */
const notYetRead = (o: object, key: string): boolean => Object.getOwnPropertyDescriptor(o, key)?.get !== undefined;

/**
 * `times[k] + offset` for every k of a clock's times, remembered per underlying buffer and start:
 * the probes' prefix views and the next backtest on the same bars share one array, and a result's
 * `ts` is a view of it. Bars are facts and are never written, so the values stay right.
 */
const closeTimesMemo = new WeakMap<ArrayBufferLike, Map<string, Float64Array>>();
export function closeTimes(times: Float64Array, offset: number): Float64Array {
  if (offset === 0) return times;
  const key = `${times.byteOffset}:${offset}`;
  let byStart = closeTimesMemo.get(times.buffer);
  const known = byStart?.get(key);
  if (known !== undefined && known.length >= times.length) return known.subarray(0, times.length);
  const out = new Float64Array(times.length);
  for (let k = 0; k < out.length; k++) out[k] = times[k]! + offset;
  if (byStart === undefined) closeTimesMemo.set(times.buffer, (byStart = new Map()));
  byStart.set(key, out);
  return out;
}

/**
 * What is computed from a fast result's clock alone (its `ts`: the digest's runs of equal steps, the
 * metrics' day-close rows), remembered per clock (`closeTimes`' array: bar times, which are never
 * written) and span of steps, under `name`: the next backtest on the same bars (the shell's
 * next `backtest`, a warm-up probe's run) takes them without a pass over the times (a pass over 1M
 * times is ~1 ms of memory traffic on this machine). Null for any other result (then compute them):
 * the event engine's `ts` is a fresh array per run. The value is shared: read it, never write it.
 */
const clockMemo = new WeakMap<ArrayBufferLike, Map<string, unknown>>();
export function fromFastClock<T>(result: BacktestResult, name: string, make: (ts: Float64Array) => T): T | null {
  const source = fastRuns.get(result);
  if (source === undefined) return null;
  const { run } = source;
  // `closeTimes` hands out views of one array per clock (its buffer): the buffer and the view's
  // start name the times, the first step and the step count the span
  const clock = closeTimes(run.times, run.offset);
  let known = clockMemo.get(clock.buffer);
  if (known === undefined) clockMemo.set(clock.buffer, (known = new Map()));
  const key = `${clock.byteOffset}:${run.kStart}:${run.nav.length}:${name}`;
  if (known.has(key)) return known.get(key) as T;
  const value = make(result.ts);
  known.set(key, value);
  return value;
}

/** The logged events as columns, taken once per run. */
export interface EventColumns {
  readonly step: Float64Array;
  readonly cash: Float64Array;
  readonly q: Float64Array;
  readonly navPre: Float64Array;
}

const eventColumnsMemo = new WeakMap<FastRun, EventColumns>();
function eventColumns(run: FastRun): EventColumns {
  let c = eventColumnsMemo.get(run);
  if (c === undefined) {
    const ev = run.book.events;
    c = { step: ev.column(E_STEP), cash: ev.column(E_CASH), q: ev.column(E_Q), navPre: ev.column(E_NAV_PRE) };
    eventColumnsMemo.set(run, c);
  }
  return c;
}

/** Where a replay of the steps stands: next event, cash, position and the running NAV peak. */
const enum Replay {
  Event = 0,
  Cash = 1,
  Q = 2,
  Peak = 3,
}

/** The per-step series the event engine records, from the NAV series and the logged events. */
export function deriveSeries(run: FastRun, initialCapital: number): Derived {
  const steps = run.nav.length;
  const d: Derived = {
    cash: new Float64Array(steps),
    gross: new Float64Array(steps),
    net: new Float64Array(steps),
    drawdown: new Float64Array(steps),
    pnl: new Float64Array(steps),
  };
  const ev = eventColumns(run);
  const state = Float64Array.of(0, initialCapital, 0, initialCapital);
  replaySteps(run.nav, run.close, run.kStart, initialCapital, ev.step, ev.cash, ev.q, ev.navPre, state, 0, steps, ALL_SERIES, d.cash, d.gross, d.net, d.drawdown, d.pnl);
  return d;
}

/** Which series `replaySteps` writes: a bit per series (a reader that asks for one pays for one). */
const enum Want {
  Cash = 1,
  Gross = 2,
  Net = 4,
  Drawdown = 8,
  Pnl = 16,
}
const ALL_SERIES = Want.Cash | Want.Gross | Want.Net | Want.Drawdown | Want.Pnl;
const WANT_BIT: Readonly<Record<DerivedName, Want>> = { cash: Want.Cash, gross: Want.Gross, net: Want.Net, drawdown: Want.Drawdown };

/** Steps per chunk when a reader replays the series without building them. */
const CHUNK = 16_384;
let scratch: Derived | null = null;

/** One chunk of the derived series (views valid only during the visit that receives them). */
export type DerivedChunk = Readonly<Record<DerivedName, Float64Array>>;

/**
 * Replay a fast result's derived series chunk by chunk into one small reused buffer per series, and
 * hand `visit` each chunk (valid only during the call), in step order, until it returns false.
 * Null when `result` is not a fast-path result or already holds these series (then read them).
 */
export function derivedReplay(result: BacktestResult, names: readonly DerivedName[]): ((visit: (from: number, chunk: DerivedChunk) => boolean | void) => void) | null {
  const source = fastRuns.get(result);
  if (source === undefined || names.every((name) => !notYetRead(result, name))) return null;
  return (visit) => {
    const { run, initialCapital } = source;
    const out = (scratch ??= { cash: new Float64Array(CHUNK), gross: new Float64Array(CHUNK), net: new Float64Array(CHUNK), drawdown: new Float64Array(CHUNK), pnl: new Float64Array(CHUNK) });
    scratch = null; // a visit that replays another result meanwhile gets its own buffers
    const ev = eventColumns(run);
    const state = Float64Array.of(0, initialCapital, 0, initialCapital);
    const steps = run.nav.length;
    // only the series asked for are written (and handed over)
    let want = 0;
    for (const name of names) want |= WANT_BIT[name];
    const whole = Object.fromEntries(names.map((name) => [name, out[name]])) as unknown as DerivedChunk;
    for (let from = 0; from < steps; from += CHUNK) {
      const to = Math.min(steps, from + CHUNK);
      replaySteps(run.nav, run.close, run.kStart, initialCapital, ev.step, ev.cash, ev.q, ev.navPre, state, from, to, want, out.cash, out.gross, out.net, out.drawdown, out.pnl);
      const chunk = to - from === CHUNK ? whole : (Object.fromEntries(names.map((name) => [name, out[name].subarray(0, to - from)])) as unknown as DerivedChunk);
      if (visit(from, chunk) === false) break;
    }
    scratch = out;
  };
}

/**
 * The derived series over steps [from, to), written at index step − from, continuing from `state`
 * (see Replay) and leaving it at `to`. Cash and position change only at logged events; between
 * them gross, net and P&L follow from the NAV and the close, and the drawdown from the running peak
 * of the NAV, including the NAV marked before a same-close fill. Only the series whose bit is in
 * `want` are written (the others' divisions are skipped; the branches go the same way at every
 * step). Plain arrays only, so it compiles once, quickly.
 */
function replaySteps(
  nav: Float64Array, close: Float64Array, kStart: number, initialCapital: number,
  evR: Float64Array, evCash: Float64Array, evQ: Float64Array, evNavPre: Float64Array, state: Float64Array, from: number, to: number, want: number,
  cashS: Float64Array, gross: Float64Array, net: Float64Array, dd: Float64Array, pnl: Float64Array,
): void {
  const ne = evR.length;
  let e = state[Replay.Event]! | 0;
  let cash = state[Replay.Cash]!;
  let q = state[Replay.Q]!;
  let peak = state[Replay.Peak]!;
  let nextR = e < ne ? evR[e]! : Infinity;
  for (let r = from; r < to; r++) {
    if (r === nextR) {
      do {
        cash = evCash[e]!;
        q = evQ[e]!;
        const pre = evNavPre[e]!;
        if (pre > peak) peak = pre;
        e++;
      } while (e < ne && evR[e] === r);
      nextR = e < ne ? evR[e]! : Infinity;
    }
    const nav2 = nav[r]!;
    if (nav2 > peak) peak = nav2;
    const j = r - from;
    if ((want & (Want.Gross | Want.Net)) !== 0) {
      const mark = close[kStart + r]!;
      const pos2 = q !== 0 ? q * mark : 0;
      if ((want & Want.Gross) !== 0) gross[j] = nav2 > 0 ? (pos2 < 0 ? -pos2 : pos2) / nav2 : 0;
      if ((want & Want.Net) !== 0) net[j] = nav2 > 0 ? pos2 / nav2 : 0;
    }
    if ((want & Want.Cash) !== 0) cashS[j] = cash;
    if ((want & Want.Drawdown) !== 0) dd[j] = peak > 0 ? 1 - nav2 / peak : 0;
    if ((want & Want.Pnl) !== 0) pnl[j] = nav2 - initialCapital;
  }
  state[Replay.Event] = e;
  state[Replay.Cash] = cash;
  state[Replay.Q] = q;
  state[Replay.Peak] = peak;
}

/**
 * How many steps of a fast result have gross > 0 (the exposure metric), counted from its logged
 * position changes without writing the series: a step's gross is replaySteps' value,
 * `nav > 0 ? |q · close| / nav : 0`, so between two events with no position it is 0 at every step
 * (that stretch is skipped), and while a position is held each step is tested with that arithmetic.
 * Null when `result` is not a fast-path result or its gross series was already built (then count it).
 */
export function countGrossPositive(result: BacktestResult): number | null {
  const source = fastRuns.get(result);
  if (source === undefined || !notYetRead(result, 'gross')) return null;
  const { run } = source;
  const ev = eventColumns(run);
  return countHeld(run.nav, run.close, run.kStart, ev.step, ev.q);
}

function countHeld(nav: Float64Array, close: Float64Array, kStart: number, evR: Float64Array, evQ: Float64Array): number {
  const steps = nav.length;
  const ne = evR.length;
  let held = 0;
  let q = 0;
  let e = 0;
  let r = 0;
  while (r < steps) {
    // the events at step r set the position for r and the steps up to the next event
    while (e < ne && evR[e]! <= r) q = evQ[e++]!;
    const next = e < ne ? Math.min(steps, evR[e]!) : steps;
    if (q !== 0) {
      for (let j = r; j < next; j++) {
        const nav2 = nav[j]!;
        if (nav2 > 0) {
          const pos2 = q * close[kStart + j]!;
          if ((pos2 < 0 ? -pos2 : pos2) / nav2 > 0) held++;
        }
      }
    }
    r = next;
  }
  return held;
}

/**
 * The gross exposure of a fast result at one step, replaySteps' value there (the position after the
 * events up to that step, marked at its close, over its NAV), without replaying the steps before
 * it. Null when `result` is not a fast-path result or its gross series was already built.
 */
export function grossAtStep(result: BacktestResult, step: number): number | null {
  const source = fastRuns.get(result);
  if (source === undefined || !notYetRead(result, 'gross')) return null;
  const { run } = source;
  const ev = eventColumns(run);
  // the last event at or before `step` (events are in step order)
  let lo = 0;
  let hi = ev.step.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ev.step[mid]! <= step) lo = mid + 1;
    else hi = mid;
  }
  const q = lo > 0 ? ev.q[lo - 1]! : 0;
  const nav2 = run.nav[step]!;
  const pos2 = q !== 0 ? q * run.close[run.kStart + step]! : 0;
  return nav2 > 0 ? (pos2 < 0 ? -pos2 : pos2) / nav2 : 0;
}

/**
 * 0 when `key` of a fast-path result has not been read yet: the fast path only runs in risk mode
 * NORMAL without a breach, so its mode and breach counts are 0 at every step (the result digest
 * hashes them as runs, and need not build them to know that). Null otherwise.
 */
export function unreadZeroSeries(result: BacktestResult, key: 'mode' | 'breachCount'): 0 | null {
  return fastRuns.has(result) && notYetRead(result, key) ? 0 : null;
}

/**
 * The first `limit` orders of a fast-path result and how many there are, while its orders have not
 * been read as records (the report shows the head of the log); null otherwise.
 */
export function unreadOrdersHead(result: BacktestResult, limit: number): { head: OrderRecord[]; count: number } | null {
  const source = fastRuns.get(result);
  if (source === undefined || !notYetRead(result, 'orders')) return null;
  const book = source.run.book;
  return { head: ordersOf(book, result.symbols[0]!.symbol, limit), count: book.orders.length };
}

/**
 * The orders or fills of a fast-path result as the digest's typed columns (record-columns.ts),
 * straight from the book's logs, while they have not been read as records: the same columns
 * `columnsOfRows(ordersOf(…))` / `columnsOfRows(fillsOf(…))` would give, without 40 000 objects.
 * Null otherwise (then hash the records). The orders' and fills' number columns are views of
 * buffers reused by the next call (`scratchColumn`): hash them before asking again.
 */
export function unreadRecordColumns(result: BacktestResult, key: 'orders' | 'fills' | 'trades'): { rows: number; fields: Map<string, FieldColumns | HashableField> } | null {
  const source = fastRuns.get(result);
  if (source === undefined || !notYetRead(result, key)) return null;
  if (key === 'trades') return tradeFields(fastTrades(source.run), result.symbols[0]!.symbol);
  const book = source.run.book;
  const symbol = result.symbols[0]!.symbol;
  // no rows: no fields (as the digest of an empty record list has none)
  if ((key === 'orders' ? book.orders.length : book.fills.length) === 0) return { rows: 0, fields: new Map() };
  return key === 'orders' ? orderColumns(book, symbol) : fillColumns(book, symbol);
}

/** A fast run's trades as columns (fast-path-trades.ts), replayed once and kept. */
const tradesMemo = new WeakMap<FastRun, TradeColumns>();
function fastTrades(run: FastRun): TradeColumns {
  let t = tradesMemo.get(run);
  if (t === undefined) tradesMemo.set(run, (t = tradeColumns(run.book, run.mark)));
  return t;
}

/** A fast-path result's trades as columns (the rows of `result.trades`), or null for any other result. */
export function fastTradeColumns(result: BacktestResult): TradeColumns | null {
  const source = fastRuns.get(result);
  return source === undefined ? null : fastTrades(source.run);
}

/** The trade records' fields as the digest's columns (columnsOfRows of tradeRecords(…), without the records). */
function tradeFields(t: TradeColumns, symbol: string): { rows: number; fields: Map<string, FieldColumns | HashableField> } {
  const n = t.count;
  if (n === 0) return { rows: 0, fields: new Map() };
  // the open trade (the last row when there is one) has no exit: null in its record
  const withNull = (values: Float64Array): FieldColumns | HashableField => {
    if (t.closed === n) return new NumberField(values);
    const col = new FieldColumns(n);
    for (let i = 0; i < n; i++) col.set(i, i < t.closed ? values[i]! : null);
    return col;
  };
  let oneSide = true;
  for (let i = 1; i < n && oneSide; i++) oneSide = t.side[i] === t.side[0];
  const sideName = (i: number): string => (t.side[i]! > 0 ? 'long' : 'short');
  let side: FieldColumns | HashableField;
  if (oneSide) side = new RepeatedField(n, sideName(0));
  else {
    const col = new FieldColumns(n);
    for (let i = 0; i < n; i++) col.set(i, sideName(i));
    side = col;
  }
  const fields = new Map<string, FieldColumns | HashableField>([
    ['symbol', new RepeatedField(n, symbol)],
    ['side', side],
    ['entryTs', new NumberField(t.entryTs)],
    ['exitTs', withNull(t.exitTs)],
    ['maxQty', new NumberField(t.maxQty)],
    ['entryPrice', new NumberField(t.entryPrice)],
    ['exitPrice', withNull(t.exitPrice)],
    ['pnl', new NumberField(t.pnl)],
    ['fees', new NumberField(t.fees)],
    ['funding', new NumberField(t.funding)],
  ]);
  return { rows: n, fields };
}

/**
 * Buffers for the digest's number columns of a fast result, one per slot, reused from call to call
 * (a 1M-bar run's ~40 000 orders and fills make 15 columns of 310 kB; fresh memory costs page
 * faults). Up to SCRATCH_ROWS rows; longer columns are allocated (and not kept).
 */
const scratchColumns: Float64Array[] = [];
const SCRATCH_ROWS = 1 << 18;
function scratchColumn(slot: number, n: number): Float64Array {
  if (n > SCRATCH_ROWS) return new Float64Array(n);
  let b = scratchColumns[slot];
  if (b === undefined || b.length < n) scratchColumns[slot] = b = new Float64Array(Math.min(SCRATCH_ROWS, Math.max(n, 2 * (b?.length ?? 0))));
  return b.subarray(0, n);
}

/** ordersOf's records as columns (field for field, in the same rows). */
function orderColumns(book: FastBook, symbol: string): { rows: number; fields: Map<string, FieldColumns | HashableField> } {
  const ol = book.orders;
  const n = ol.length;
  const [qty, placedAt, status, closed] = [0, 1, 2, 3].map((slot, i) => ol.column([O_QTY, O_PLACED, O_STATUS, O_CLOSED][i]!, scratchColumn(slot, n))) as [Float64Array, Float64Array, Float64Array, Float64Array];
  const id = scratchColumn(4, n);
  let allClosed = true;
  let oneStatus = true;
  for (let i = 0; i < n; i++) {
    id[i] = i + 1;
    const st = status[i]!;
    if (st !== ORDER_CANCELLED && st !== ORDER_FILLED) allClosed = false;
    if (st !== status[0]) oneStatus = false;
  }
  // every order closed: closedAt is a column of numbers; one status: it is that string in every row
  // (the forms FieldColumns would find, record-columns.ts)
  let statusCol: FieldColumns | HashableField;
  let closedAt: FieldColumns | HashableField;
  if (oneStatus) statusCol = new RepeatedField(n, STATUS[status[0]!]!);
  else {
    const col = new FieldColumns(n);
    for (let i = 0; i < n; i++) col.set(i, STATUS[status[i]!]!);
    statusCol = col;
  }
  if (allClosed) closedAt = new NumberField(closed);
  else {
    const col = new FieldColumns(n);
    for (let i = 0; i < n; i++) {
      const st = status[i]!;
      col.set(i, st === ORDER_CANCELLED || st === ORDER_FILLED ? closed[i]! : null);
    }
    closedAt = col;
  }
  const fields = new Map<string, FieldColumns | HashableField>([
    ['id', new NumberField(id)],
    ['symbol', new RepeatedField(n, symbol)],
    ['qty', new NumberField(qty)],
    ['type', new RepeatedField(n, 'market')],
    ['price', new RepeatedField(n, null)],
    ['placedAt', new NumberField(placedAt)],
    ['model', new RepeatedField(n, null)],
    ['reason', new RepeatedField(n, 'rebalance')],
    ['status', statusCol],
    ['closedAt', closedAt],
  ]);
  return { rows: n, fields };
}

/** fillsOf's records as columns (field for field, in the same rows; the same cost arithmetic). */
function fillColumns(book: FastBook, symbol: string): { rows: number; fields: Map<string, FieldColumns | HashableField> } {
  const fl = book.fills;
  const n = fl.length;
  const [order, ts, qty, ref, bar] = [F_ORDER, F_TS, F_QTY, F_REF, F_BAR].map((column, i) => fl.column(column, scratchColumn(5 + i, n))) as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
  const [orderId, price, notional, fee, slippage, impact] = [10, 11, 12, 13, 14, 15].map((slot) => scratchColumn(slot, n)) as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
  const c = newFillCost();
  for (let i = 0; i < n; i++) {
    const q = qty[i]!;
    book.costOf(q, ref[i]!, bar[i]!, c);
    orderId[i] = order[i]! + 1;
    price[i] = c.price;
    notional[i] = Math.abs(q * c.price);
    fee[i] = c.fee;
    slippage[i] = c.slippage;
    impact[i] = c.impact;
  }
  const fields = new Map<string, FieldColumns | HashableField>([
    ['orderId', new NumberField(orderId)],
    ['symbol', new RepeatedField(n, symbol)],
    ['assetClass', new RepeatedField(n, book.assetClass)],
    ['ts', new NumberField(ts)],
    ['qty', new NumberField(qty)],
    ['refPrice', new NumberField(ref)],
    ['price', new NumberField(price)],
    ['notional', new NumberField(notional)],
    ['fee', new NumberField(fee)],
    ['slippage', new NumberField(slippage)],
    ['impact', new NumberField(impact)],
    ['liquidity', new RepeatedField(n, 'taker')],
    ['gap', new RepeatedField(n, false)],
    ['type', new RepeatedField(n, 'market')],
    ['reason', new RepeatedField(n, 'rebalance')],
  ]);
  return { rows: n, fields };
}

/** Fast-path results whose derived series can be replayed, and what replays them. */
const fastRuns = new WeakMap<BacktestResult, { readonly run: FastRun; readonly initialCapital: number }>();

/** A fast-path result's run, its capital and its logged cash/position events as columns; null for any other result. */
export function fastRunOf(result: BacktestResult): { readonly run: FastRun; readonly initialCapital: number; readonly events: EventColumns } | null {
  const source = fastRuns.get(result);
  return source === undefined ? null : { ...source, events: eventColumns(source.run) };
}

const STATUS: readonly OrderStatus[] = ['open', 'cancelled', 'filled'];

/** The order records (the first `limit` of them when given). */
export function ordersOf(book: FastBook, symbol: string, limit = Infinity): OrderRecord[] {
  const ol = book.orders;
  const [qty, placedAt, status, closed] = [ol.column(O_QTY), ol.column(O_PLACED), ol.column(O_STATUS), ol.column(O_CLOSED)];
  const out: OrderRecord[] = new Array(Math.min(ol.length, limit));
  for (let i = 0; i < out.length; i++) {
    const st = status[i]!;
    const closedAt = closed[i]!;
    out[i] = {
      id: i + 1, symbol, qty: qty[i]!, type: 'market', price: null, placedAt: placedAt[i]!, model: null, reason: 'rebalance',
      status: STATUS[st]!, closedAt: st === ORDER_CANCELLED || st === ORDER_FILLED ? closedAt : null,
    };
  }
  return out;
}

export function fillsOf(book: FastBook, symbol: string): FillRecord[] {
  const fl = book.fills;
  const [order, ts, qty, ref, bar] = [fl.column(F_ORDER), fl.column(F_TS), fl.column(F_QTY), fl.column(F_REF), fl.column(F_BAR)];
  const assetClass = book.assetClass;
  const c = newFillCost();
  const out: FillRecord[] = new Array(fl.length);
  for (let i = 0; i < out.length; i++) {
    const q = qty[i]!;
    book.costOf(q, ref[i]!, bar[i]!, c);
    out[i] = {
      orderId: order[i]! + 1, symbol, assetClass, ts: ts[i]!, qty: q, refPrice: ref[i]!, price: c.price, notional: Math.abs(q * c.price),
      fee: c.fee, slippage: c.slippage, impact: c.impact, liquidity: 'taker', gap: false, type: 'market', reason: 'rebalance',
    };
  }
  return out;
}

/** The fills and funding payments, in their order, through the event engine's trade tracker. */
export function tradesOf(book: FastBook, symbol: string, finalMark: number): TradeRecord[] {
  const tracker = new TradeTracker([symbol]);
  replayFills(book, tracker);
  return tracker.finish(Float64Array.of(book.q), Float64Array.of(finalMark));
}

/**
 * The book's fills (at the costs `execute` charged) and funding payments, in order, into a trade
 * tracker; `q` is the position before the first of them (a caller that empties the logs as it goes
 * passes on the position the last replay ended at). Returns the position after the last.
 */
export function replayFills(book: FastBook, tracker: TradeTracker, q = 0): number {
  // read in place (ColumnLog.cell): no copy of the columns
  const ev = book.events;
  const fl = book.fills;
  const c = newFillCost();
  for (let e = 0; e < ev.length; e++) {
    const f = ev.cell(E_FILL, e);
    if (f >= 0) {
      const qty = fl.cell(F_QTY, f);
      book.costOf(qty, fl.cell(F_REF, f), fl.cell(F_BAR, f), c);
      tracker.onFill(0, q, qty, c.price, c.fee, fl.cell(F_TS, f));
    } else tracker.onFunding(0, ev.cell(E_PAY, e));
    q = ev.cell(E_Q, e);
  }
  return q;
}

export function fastResult(input: BacktestInput, run: FastRun): BacktestResult {
  const cfg = input.config;
  const { book, nav, mark } = run;
  const steps = nav.length;
  const navEnd = nav[steps - 1]!;
  const net = navEnd - cfg.initial_capital;
  const sym = input.symbols[0]!;
  const { model, budget } = input.models[0]!;
  let derived: Derived | null = null;
  const series = (): Derived => (derived ??= deriveSeries(run, cfg.initial_capital));
  const m = {
    name: model.name, version: model.version, parameters: model.parameters ?? {}, budget, pnl: null as unknown as Float64Array,
    total: navEnd - cfg.initial_capital, fees: book.feesM, slippage: book.slipM, impact: book.impM, funding: book.fundM, borrow: 0, decisions: book.decisions,
  } satisfies ModelAttribution;
  lazy(m, 'pnl', () => series().pnl);
  const q = book.q;
  const result = {
    profile: executionProfile(cfg),
    initialCapital: cfg.initial_capital,
    interval: finestInterval(input.symbols),
    symbols: [{ symbol: sym.symbol, assetClass: sym.assetClass, dataset: sym.dataset, digest: sym.digest }],
    ts: null as unknown as Float64Array,
    nav,
    cash: null as unknown as Float64Array,
    gross: null as unknown as Float64Array,
    net: null as unknown as Float64Array,
    drawdown: null as unknown as Float64Array,
    mode: null as unknown as Uint8Array,
    breachCount: null as unknown as Uint32Array,
    breaches: book.breaches,
    orders: [] as OrderRecord[],
    fills: [] as FillRecord[],
    trades: [] as TradeRecord[],
    costs: costSummary(book, net),
    models: [m],
    assets: [
      {
        symbol: sym.symbol,
        assetClass: sym.assetClass,
        total: book.cashA + q * (mark || 0),
        fees: book.feesA,
        slippage: book.slipA,
        impact: book.impA,
        funding: book.fundA,
        borrow: 0,
        tradedNotional: book.tradedA,
        finalQty: q,
        finalWeight: navEnd > 0 && q !== 0 ? (q * mark) / navEnd : 0,
      },
    ],
    finalMode: RISK_MODES[0]!,
  } satisfies BacktestResult;
  lazy(result, 'ts', () => closeTimes(run.times, run.offset).subarray(run.kStart, run.kStart + steps));
  for (const k of ['cash', 'gross', 'net', 'drawdown'] as const) lazy(result, k, () => series()[k]);
  // NORMAL (0) and no breach at every step
  lazy(result, 'mode', () => new Uint8Array(steps));
  lazy(result, 'breachCount', () => new Uint32Array(steps));
  lazy(result, 'orders', () => ordersOf(book, sym.symbol));
  lazy(result, 'fills', () => fillsOf(book, sym.symbol));
  lazy(result, 'trades', () => tradeRecords(fastTrades(run), sym.symbol));
  fastRuns.set(result, { run, initialCapital: cfg.initial_capital });
  return result;
}
