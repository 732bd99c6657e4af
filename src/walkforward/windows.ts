/**
 * Walk-forward windows (docs/walkforward.md, "Windows"). Fold k of a rolling walk-forward trains
 * on [t0 + k·step, t0 + k·step + train), optionally validates on the next `validation`, and tests
 * on the `test` after that; an anchored one keeps every training window starting at t0. Windows
 * are calendar spans in UTC (months are calendar months), mapped onto the bar times: a bar belongs
 * to a span when its time t satisfies from ≤ t < to. Only folds whose test window the data covers
 * to its end are kept, and test windows never overlap (step ≥ test), so the stitched
 * out-of-sample curve is the test windows laid end to end.
 */
import { UserError } from '../core/errors.js';
import { firstAtOrAfter } from '../core/sorted.js';

/** A calendar duration: whole months, or whole days. */
export type Duration = { readonly months: number } | { readonly days: number };

const DAY_MS = 86_400_000;

/** '2y' | '18m' | '12w' | '90d' → a Duration; anything else is a UserError naming the flag. */
export function parseDuration(text: string, where: string): Duration {
  const m = /^(\d+)\s*(y|m|w|d)$/i.exec(text.trim());
  const n = m ? Number(m[1]) : NaN;
  if (!m || !(n > 0)) throw new UserError(`'${text}' is not a duration: a positive whole number with y, m (months), w or d, e.g. 2y, 6m, 12w, 90d`, where);
  const unit = m[2]!.toLowerCase();
  return unit === 'y' ? { months: 12 * n } : unit === 'm' ? { months: n } : unit === 'w' ? { days: 7 * n } : { days: n };
}

export const formatDuration = (d: Duration): string => ('months' in d ? (d.months % 12 === 0 ? `${d.months / 12}y` : `${d.months}m`) : d.days % 7 === 0 ? `${d.days / 7}w` : `${d.days}d`);

/** `t` plus `times` × `d` (calendar months clamp to the month's last day, as Date.UTC rolls over otherwise). */
export function addDuration(t: number, d: Duration, times = 1): number {
  if ('days' in d) return t + d.days * times * DAY_MS;
  const date = new Date(t);
  const y = date.getUTCFullYear();
  const month = date.getUTCMonth() + d.months * times;
  const lastDay = new Date(Date.UTC(y, month + 1, 0)).getUTCDate();
  const day = Math.min(date.getUTCDate(), lastDay);
  return Date.UTC(y, month, day, date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds(), date.getUTCMilliseconds());
}

/** Compare two durations by their length from a given time. */
const spanMs = (t: number, d: Duration): number => addDuration(t, d) - t;

export interface WindowSettings {
  readonly train: Duration;
  readonly test: Duration;
  readonly step: Duration;
  readonly anchored: boolean;
  readonly validation?: Duration;
}

/** Bars [from, to) (indices) and the times of the span [start, end). */
export interface Span {
  readonly from: number;
  readonly to: number;
  readonly start: number;
  readonly end: number;
}

export interface Fold {
  readonly index: number;
  readonly train: Span;
  readonly validation?: Span;
  readonly test: Span;
}


const spanOf = (ts: ArrayLike<number>, start: number, end: number): Span => ({ from: firstAtOrAfter(ts, start), to: firstAtOrAfter(ts, end), start, end });

/**
 * The folds of a walk-forward over bars at times `ts` (ascending, epoch ms). Refuses settings that
 * cannot give a clean walk-forward: a step shorter than the test window (test windows would
 * overlap), or data too short for one fold.
 */
export function foldWindows(ts: ArrayLike<number>, s: WindowSettings): Fold[] {
  if (ts.length < 2) throw new UserError('walk-forward needs at least two bars', 'data');
  const t0 = ts[0]!;
  const last = ts[ts.length - 1]!;
  const barMs = ts[ts.length - 1]! - ts[ts.length - 2]!;
  if (spanMs(t0, s.step) < spanMs(t0, s.test)) {
    throw new UserError(`--step ${formatDuration(s.step)} is shorter than --test ${formatDuration(s.test)}: the test windows would overlap and the stitched curve would count bars twice`, '--step');
  }
  const folds: Fold[] = [];
  let previousTestEnd = -Infinity;
  for (let k = 0; ; k++) {
    const offset = addDuration(t0, s.step, k);
    const trainStart = s.anchored ? t0 : offset;
    const trainEnd = addDuration(offset, s.train);
    const validEnd = s.validation ? addDuration(trainEnd, s.validation) : trainEnd;
    const testEnd = addDuration(validEnd, s.test);
    // The data must reach the end of the test window (its last bar is within one bar of it).
    if (testEnd > last + barMs) break;
    // Calendar months are 28–31 days: with a step in days and a window in months (or the reverse)
    // a test window can reach a day or two into the next one's. The later one then starts where the
    // earlier ended, so no bar is tested twice (its training window still ends before it).
    const test = spanOf(ts, Math.max(validEnd, previousTestEnd), testEnd);
    const train = spanOf(ts, trainStart, trainEnd);
    if (test.to <= test.from || train.to <= train.from) continue;
    previousTestEnd = testEnd;
    folds.push({ index: folds.length, train, ...(s.validation ? { validation: spanOf(ts, trainEnd, validEnd) } : {}), test });
  }
  if (folds.length === 0) {
    const need = [s.train, ...(s.validation ? [s.validation] : []), s.test].map(formatDuration).join(' + ');
    throw new UserError(`the data (${new Date(t0).toISOString().slice(0, 10)} .. ${new Date(last).toISOString().slice(0, 10)}) is too short for one fold of ${need}`, '--train');
  }
  return folds;
}
