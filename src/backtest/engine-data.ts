/**
 * Engine data preparation: per-symbol columns, close times, the common clock, and input checks that
 * a user can fix (missing data → UserError naming the symbol) or that reveal a broken invariant
 * (unsorted timestamps → InvariantError).
 */
import { InvariantError, UserError } from '../core/errors.js';
import { intervalMs, isoUtc, type Interval } from '../core/time.js';
import type { EngineSymbol } from './types.js';

export interface SymbolData {
  readonly symbol: string;
  readonly n: number;
  readonly ts: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  /** The `close_ts` column when present (irregular bars), else null: bars close at ts + step. */
  readonly closeTs: Float64Array | null;
  /** Nominal interval in ms. */
  readonly step: number;
  /** `funding_rate` column for perpetuals, null otherwise. */
  readonly funding: Float64Array | null;
  readonly columns: Readonly<Record<string, unknown>>;
}

const PRICE_COLUMNS = ['open', 'high', 'low', 'close'] as const;

/**
 * Columns that passed the checks below, keyed by their `ts` column: bars are facts (STYLE.md), never
 * written after their dataset is made, so the same arrays need checking once, not at every run
 * (a backtest with probes runs the engine a dozen times over the same bars). A hit needs the very
 * same arrays and length; anything else is checked again.
 */
interface Checked {
  readonly n: number;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly closeTs: unknown;
}
const checked = new WeakMap<Float64Array, Checked>();
/** Checked columns by their `ts` buffer, to recognise a prefix view of them (a truncated dataset). */
const checkedBuffers = new WeakMap<ArrayBufferLike, { readonly ts: Float64Array } & Checked>();

const samePrefix = (view: unknown, of: unknown, n: number): boolean =>
  view instanceof Float64Array && of instanceof Float64Array && view.buffer === of.buffer && view.byteOffset === of.byteOffset && n <= of.length;

/**
 * A prefix view (`subarray(0, n)`) of columns that passed the checks passes them too: the rows are
 * the same rows. The bias probes truncate datasets this way, without copying (probes.ts).
 */
function prefixOf(ts: Float64Array, open: Float64Array, high: Float64Array, low: Float64Array, close: Float64Array, closeCol: unknown, n: number): Checked | undefined {
  const whole = checkedBuffers.get(ts.buffer);
  if (!whole || !(n <= whole.n) || !samePrefix(ts, whole.ts, n)) return undefined;
  if (!samePrefix(open, whole.open, n) || !samePrefix(high, whole.high, n) || !samePrefix(low, whole.low, n) || !samePrefix(close, whole.close, n)) return undefined;
  if (!(closeCol === undefined ? whole.closeTs === undefined : samePrefix(closeCol, whole.closeTs, n))) return undefined;
  return { n, open, high, low, close, closeTs: closeCol };
}

export function prepareSymbol(es: EngineSymbol): SymbolData {
  const t = es.bars;
  const c = t.columns;
  const n = t.length;
  if (n === 0) {
    throw new UserError(`symbol ${es.symbol} has no bars (dataset '${es.dataset}' is empty); ingest data for it or remove it from backtest.universe`, es.symbol);
  }
  for (const k of ['ts', ...PRICE_COLUMNS, 'volume'] as const) {
    if (!(c[k] instanceof Float64Array) || c[k].length < n) {
      throw new UserError(`dataset '${es.dataset}' has no numeric '${k}' column; the backtest needs OHLCV bars`, es.symbol);
    }
  }
  const ts = c.ts;
  const { open, high, low, close } = c;
  const closeCol = c['close_ts'];
  const seen = checked.get(ts) ?? prefixOf(ts, open, high, low, close, closeCol, n);
  if (seen && seen.n === n && seen.open === open && seen.high === high && seen.low === low && seen.close === close && seen.closeTs === closeCol) {
    return symbolData(es, ts, closeCol instanceof Float64Array ? closeCol : null);
  }
  return symbolData(es, ts, checkBars(c, n, es.dataset, es.symbol));
}

/**
 * prepareSymbol's checks of n bars (the columns are Float64Arrays of at least n values), throwing
 * what it throws (`dataset` and `symbol` name them), and on success the columns are recorded as
 * checked; answers the close_ts column (null when there is none).
 */
function checkBars(c: EngineSymbol['bars']['columns'], n: number, dataset: string, symbol: string): Float64Array | null {
  const ts = c.ts;
  const { open, high, low, close } = c;
  const closeCol = c['close_ts'];
  // One pass: timestamps strictly ascending, prices finite and positive.
  for (let i = 0; i < n; i++) {
    if (i > 0 && !(ts[i]! > ts[i - 1]!)) {
      throw new InvariantError(`${dataset}: bar timestamps not strictly ascending at row ${i} (${isoUtc(ts[i - 1]!)} then ${isoUtc(ts[i]!)})`);
    }
    const o = open[i]!;
    const h = high[i]!;
    const l = low[i]!;
    const cl = close[i]!;
    if (!(o > 0 && h > 0 && l > 0 && cl > 0 && o < Infinity && h < Infinity && l < Infinity && cl < Infinity)) {
      for (const k of PRICE_COLUMNS) {
        const v = c[k][i]!;
        if (!(v > 0) || v === Infinity) {
          throw new UserError(`dataset '${dataset}' has ${v !== v ? 'a NaN' : `a non-positive (${v})`} ${k} at ${isoUtc(ts[i]!)} (row ${i}); clean the data first`, symbol);
        }
      }
    }
  }
  let closeTs: Float64Array | null = null;
  if (closeCol instanceof Float64Array) {
    closeTs = closeCol;
    for (let i = 0; i < n; i++) {
      if (!(closeTs[i]! > ts[i]!) || (i > 0 && !(closeTs[i]! > closeTs[i - 1]!))) {
        throw new InvariantError(`${dataset}: close_ts must be after the bar's ts and ascending (row ${i}, ${isoUtc(ts[i]!)})`);
      }
    }
  }
  markChecked(c, n);
  return closeTs;
}

/** Records n bars of these very columns as having passed prepareSymbol's checks. */
function markChecked(c: EngineSymbol['bars']['columns'], n: number): void {
  const { ts, open, high, low, close } = c;
  const closeTs = c['close_ts'];
  checked.set(ts, { n, open, high, low, close, closeTs });
  checkedBuffers.set(ts.buffer, { ts, n, open, high, low, close, closeTs });
}

/** Does the table hold OHLCV Float64Array columns of at least n values (prepareSymbol's first check)? */
function ohlcvColumns(c: Readonly<Record<string, unknown>>, n: number): c is EngineSymbol['bars']['columns'] {
  return (['ts', ...PRICE_COLUMNS, 'volume'] as const).every((k) => c[k] instanceof Float64Array && c[k].length >= n);
}

/**
 * Runs prepareSymbol's checks of a table's first n bars now, without throwing: true when they pass
 * (and this thread then knows the columns as checked). The trial pool runs them once where it copies
 * a dataset into shared memory (src/optimize/pool.ts `sharedDataset`), so the workers need not.
 */
export function barsPassChecks(columns: Readonly<Record<string, unknown>>, n: number): boolean {
  if (n === 0 || !ohlcvColumns(columns, n)) return false;
  try {
    checkBars(columns, n, '', '');
    return true;
  } catch {
    return false;
  }
}

/**
 * Takes the first n bars of these columns as checked without a pass of this thread's own: the
 * caller knows `barsPassChecks` answered true for the same values (the trial pool's workers, over
 * the shared memory the pool checked, src/optimize/trial-worker.ts). Bars are facts, never written
 * after their dataset is made (STYLE.md).
 */
export function adoptCheckedBars(columns: Readonly<Record<string, unknown>>, n: number): void {
  if (n > 0 && ohlcvColumns(columns, n) && !checked.has(columns.ts)) markChecked(columns, n);
}

function symbolData(es: EngineSymbol, ts: Float64Array, closeTs: Float64Array | null): SymbolData {
  const c = es.bars.columns;
  const fr = c['funding_rate'];
  const funding = es.assetClass === 'crypto_perp' && fr instanceof Float64Array ? fr : null;
  return {
    symbol: es.symbol,
    n: es.bars.length,
    ts,
    open: c.open,
    high: c.high,
    low: c.low,
    close: c.close,
    volume: c.volume,
    closeTs,
    step: intervalMs(es.interval),
    funding,
    columns: c,
  };
}

/** Close time of bar j. */
export const closeOf = (d: SymbolData, j: number): number => (d.closeTs !== null ? d.closeTs[j]! : d.ts[j]! + d.step);

/**
 * The common clock: the sorted union of every symbol's bar close times, as `times[k] + offset`.
 * A single symbol with regular bars uses its own `ts` column with offset = interval (no copy).
 */
export interface Clock {
  readonly times: Float64Array;
  readonly offset: number;
  readonly length: number;
}

/** The close times of one symbol's bars, ascending (checked by prepareSymbol). */
function closeTimes(d: SymbolData): Float64Array {
  if (d.closeTs !== null) return d.closeTs.subarray(0, d.n);
  const out = new Float64Array(d.n);
  for (let j = 0; j < d.n; j++) out[j] = d.ts[j]! + d.step;
  return out;
}

/** The sorted union of two ascending, duplicate-free arrays, without duplicates. O(a + b). */
function mergeUnique(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let w = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x < y) {
      out[w++] = x;
      i++;
    } else if (y < x) {
      out[w++] = y;
      j++;
    } else {
      out[w++] = x;
      i++;
      j++;
    }
  }
  while (i < a.length) out[w++] = a[i++]!;
  while (j < b.length) out[w++] = b[j++]!;
  return out.subarray(0, w);
}

/**
 * Clocks already built, by the first symbol's `ts` column: bars are facts, so the same columns give
 * the same clock (the warm-up probes run the engine again over the very same bars).
 */
const clocks = new WeakMap<Float64Array, { readonly key: readonly unknown[]; readonly clock: Clock }[]>();
const clockKey = (data: readonly SymbolData[]): unknown[] => data.flatMap((d) => [d.ts, d.closeTs, d.n, d.step]);

export function commonClock(data: readonly SymbolData[]): Clock {
  if (data.length === 1) {
    const d = data[0]!;
    return d.closeTs !== null ? { times: d.closeTs, offset: 0, length: d.n } : { times: d.ts, offset: d.step, length: d.n };
  }
  const key = clockKey(data);
  const known = clocks.get(data[0]!.ts) ?? [];
  const hit = known.find((e) => e.key.length === key.length && e.key.every((v, i) => v === key[i]));
  if (hit) return hit.clock;
  // Each symbol's closes are ascending: merge them pairwise (log2(symbols) passes) instead of sorting.
  let runs = data.map(closeTimes);
  while (runs.length > 1) {
    const next: Float64Array[] = [];
    for (let i = 0; i < runs.length; i += 2) next.push(i + 1 < runs.length ? mergeUnique(runs[i]!, runs[i + 1]!) : runs[i]!);
    runs = next;
  }
  const times = runs[0]!;
  const clock = { times, offset: 0, length: times.length };
  known.push({ key, clock });
  if (known.length > 8) known.shift();
  clocks.set(data[0]!.ts, known);
  return clock;
}

/** The finest interval among the symbols. */
export function finestInterval(symbols: readonly EngineSymbol[]): Interval {
  let best = symbols[0]!.interval;
  for (const s of symbols) if (intervalMs(s.interval) < intervalMs(best)) best = s.interval;
  return best;
}
