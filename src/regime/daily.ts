/**
 * Daily closes for the regime engine (seed 003 §2.3: "regime flags are usually computed from daily
 * data"), from a daily bar dataset or resampled from intraday bars.
 *
 * - '1d' bars: one row per bar; the row is known at the bar's close (`close_ts`, else ts + 1 day).
 * - Intraday bars: grouped by UTC day (floor(ts / 1 day)); the day's close is its last bar's close and
 *   the row is known when that bar closes. `rv` is the day's realised variance: the sum of squared
 *   log returns close-to-close over the day's bars (the first one measured from the previous bar's
 *   close, so overnight gaps count). A trailing day with fewer bars than the day before it is an
 *   incomplete day (data ending mid-day) and is dropped.
 * Nothing in a row reads a bar that closes after the row's `knownAt`.
 */
import { UserError } from '../core/errors.js';
import type { Dataset } from '../core/table.js';
import { DAY, intervalMs } from '../core/time.js';
import { availableAt } from '../features/align.js';

export interface DailySeries {
  /** Dataset the series came from. */
  readonly source: string;
  readonly symbol: string;
  /** Start of the UTC day (intraday source) or the daily bar's ts. */
  readonly dayTs: Float64Array;
  /** When the day's close is known (epoch ms). */
  readonly knownAt: Float64Array;
  readonly close: Float64Array;
  /** Intraday realised variance of each day (NaN for a daily source or the very first bar). */
  readonly rv: Float64Array;
  readonly intraday: boolean;
  /** Trading days per year of the asset: 365 for crypto, 252 otherwise. */
  readonly daysPerYear: number;
}

/**
 * A DailySeries as made here: a class, so every series has one hidden class (the spread literals it
 * replaced gave V8 several, and the regime rules reading them deoptimised on 'wrong map').
 */
class DailyRows implements DailySeries {
  constructor(
    readonly source: string,
    readonly symbol: string,
    readonly daysPerYear: number,
    readonly dayTs: Float64Array,
    readonly knownAt: Float64Array,
    readonly close: Float64Array,
    readonly rv: Float64Array,
    readonly intraday: boolean,
  ) {}
}

const isCrypto = (ds: Dataset): boolean => ds.assetClass === 'crypto_perp' || ds.assetClass === 'crypto_spot';

export function dailySeries(ds: Dataset): DailySeries {
  if (ds.kind !== 'bars') throw new UserError(`is a ${ds.kind} dataset; the regime engine needs price bars here`, ds.name);
  const ts = ds.table.columns['ts'];
  const closeCol = ds.table.columns['close'];
  if (!(ts instanceof Float64Array) || !(closeCol instanceof Float64Array)) {
    throw new UserError("needs numeric 'ts' and 'close' columns", ds.name);
  }
  const interval = ds.interval;
  if (interval === undefined) throw new UserError('has no bar interval', ds.name);
  const step = intervalMs(interval);
  if (step > DAY) throw new UserError(`has ${interval} bars; regimes need daily or intraday bars`, ds.name);
  const known = availableAt(ds);
  const n = ts.length;
  const source = ds.name;
  const symbol = ds.symbol ?? ds.name.split(':')[0]!;
  const daysPerYear = isCrypto(ds) ? 365 : 252;
  if (step === DAY) {
    const rv = new Float64Array(n).fill(NaN);
    return new DailyRows(source, symbol, daysPerYear, ts.slice(), known, closeCol.slice(), rv, false);
  }
  // Group intraday bars by UTC day.
  const dayTs: number[] = [];
  const knownAt: number[] = [];
  const close: number[] = [];
  const rv: number[] = [];
  const counts: number[] = [];
  let curDay = NaN;
  let sum = 0;
  let prevClose = NaN;
  for (let i = 0; i < n; i++) {
    const d = Math.floor(ts[i]! / DAY) * DAY;
    if (d !== curDay) {
      dayTs.push(d);
      knownAt.push(known[i]!);
      close.push(closeCol[i]!);
      rv.push(NaN);
      counts.push(0);
      curDay = d;
      sum = 0;
    }
    const c = closeCol[i]!;
    const k = dayTs.length - 1;
    if (Number.isFinite(prevClose) && prevClose > 0 && c > 0) {
      const r = Math.log(c / prevClose);
      sum += r * r;
      rv[k] = sum;
    }
    knownAt[k] = known[i]!;
    close[k] = c;
    counts[k] = counts[k]! + 1;
    if (Number.isFinite(c)) prevClose = c;
  }
  const m = dayTs.length;
  const last = m - 1;
  const drop = m >= 2 && counts[last]! < counts[last - 1]! && knownAt[last]! < dayTs[last]! + DAY ? 1 : 0;
  const keep = m - drop;
  const kept = (xs: number[]): Float64Array => Float64Array.from(xs.slice(0, keep));
  return new DailyRows(source, symbol, daysPerYear, kept(dayTs), kept(knownAt), kept(close), kept(rv), true);
}
