/**
 * Multi-timeframe alignment without look-ahead.
 *
 * Timestamps are bar OPEN times. A source row (a daily bar, a funding event, a macro value) is
 * usable only from its availability time: a bar's close (`ts + interval`, or its `close_ts` column
 * for irregular bars), a series value's `ts`. A target bar opening at time T may use every source
 * row with `availableAt ≤ T`, and it takes the latest of them.
 *
 * Example: the daily bar opening D = 2024-03-11 00:00 closes, and becomes available, at
 * D + 1d = 2024-03-12 00:00. The 4h bar opening 2024-03-12 00:00 is the first to see it; the 4h bar
 * opening 2024-03-11 20:00 (which closes at the same instant as the daily bar) still sees the
 * daily bar of 2024-03-10. A daily value thus becomes visible at the first bar after its close,
 * never earlier, and what a bar sees is fixed by its open time, so it is known before the bar's
 * own values are.
 */
import { InvariantError, UserError } from '../core/errors.js';
import type { Dataset } from '../core/table.js';
import { intervalMs } from '../core/time.js';

/**
 * For each target time `targetTs[i]` (a bar's open), the value of the latest source row whose
 * availability time is ≤ that time: `out[i] = srcValues[j*]`, `j* = max{ j : srcAvailableAt[j] ≤ targetTs[i] }`,
 * NaN when no source row is available yet. A NaN source value is carried as NaN (it is the
 * latest known value); there is no forward fill past it.
 *
 * Both time columns must be non-decreasing (checked: an InvariantError names the first offending
 * row). O(n + m) two-pointer merge; no allocation besides the output.
 */
export function alignAsOf(
  srcAvailableAt: Float64Array,
  srcValues: Float64Array,
  targetTs: Float64Array,
  out?: Float64Array,
): Float64Array {
  const m = srcAvailableAt.length;
  const n = targetTs.length;
  if (srcValues.length !== m) {
    throw new UserError(`align: source times (${m}) and values (${srcValues.length}) differ in length`, 'align');
  }
  if (out !== undefined && out.length !== n) {
    throw new UserError(`align: output array has length ${out.length}, expected ${n}`, 'align');
  }
  for (let j = 1; j < m; j++) {
    if (!(srcAvailableAt[j]! >= srcAvailableAt[j - 1]!)) {
      throw new InvariantError(`align: source availability times are not sorted at row ${j}`);
    }
  }
  for (let i = 1; i < n; i++) {
    if (!(targetTs[i]! >= targetTs[i - 1]!)) {
      throw new InvariantError(`align: target timestamps are not sorted at row ${i}`);
    }
  }
  const y = out ?? new Float64Array(n);
  let j = -1; // latest available source row
  for (let i = 0; i < n; i++) {
    const t = targetTs[i]!;
    while (j + 1 < m && srcAvailableAt[j + 1]! <= t) j++;
    y[i] = j >= 0 ? srcValues[j]! : NaN;
  }
  return y;
}

/**
 * Per-row availability times of a dataset (epoch ms UTC):
 * - a `close_ts` column when present (irregular bars such as equity-session 4h bars);
 * - bars / features with an interval: `ts + intervalMs(interval)`, with '1M' bars closing at the
 *   start of the next calendar month (UTC);
 * - series, funding events and anything without an interval: `ts` itself (the time the value
 *   became known).
 */
export function availableAt(dataset: Dataset): Float64Array {
  const cols = dataset.table.columns;
  const closeTs = cols['close_ts'];
  if (closeTs instanceof Float64Array) return closeTs.slice();
  const ts = cols['ts'];
  if (!(ts instanceof Float64Array)) {
    throw new UserError(`dataset has no numeric 'ts' column`, dataset.name);
  }
  const n = ts.length;
  const out = new Float64Array(n);
  const interval = dataset.interval;
  if (interval === undefined || dataset.kind === 'series' || dataset.kind === 'funding') {
    out.set(ts);
    return out;
  }
  if (interval === '1M') {
    for (let i = 0; i < n; i++) {
      const d = new Date(ts[i]!);
      out[i] = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    }
    return out;
  }
  const step = intervalMs(interval);
  for (let i = 0; i < n; i++) out[i] = ts[i]! + step;
  return out;
}
