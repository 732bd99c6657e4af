/**
 * Average daily volume known before each bar opens, for the square-root impact model.
 *
 *   adv[i] = mean of the daily volume totals of the last `days` complete UTC days that have bars and
 *            end before bar i's UTC day starts (fewer days at the start of the data; NaN when none).
 *
 * Days are UTC calendar days that contain at least one bar, so weekends and holidays without bars
 * do not dilute an equity's ADV. Only bars of earlier days are read: nothing at bar i reads bar i or
 * later (point-in-time). O(n) time, one pass, output allocated once.
 *
 * @param ts bar open times (epoch ms UTC, ascending)
 * @param volume bar volumes (units); NaN volumes count as 0
 * @param days window length in days with bars, ≥ 1
 */
import { DAY } from '../core/time.js';

export function averageDailyVolume(ts: Float64Array, volume: Float64Array, days: number): Float64Array {
  const n = ts.length;
  const out = new Float64Array(n);
  // Ring of the last `days` completed daily totals.
  const ring = new Float64Array(days);
  let filled = 0;
  let head = 0;
  let windowSum = 0;
  let curDay = n > 0 ? Math.floor(ts[0]! / DAY) : 0;
  let curTotal = 0;
  for (let i = 0; i < n; i++) {
    const d = Math.floor(ts[i]! / DAY);
    if (d !== curDay) {
      // close the previous day: push its total into the ring
      if (filled === days) windowSum -= ring[head]!;
      else filled++;
      ring[head] = curTotal;
      windowSum += curTotal;
      head = (head + 1) % days;
      curDay = d;
      curTotal = 0;
    }
    out[i] = filled > 0 ? windowSum / filled : NaN;
    const v = volume[i]!;
    if (v === v) curTotal += v;
  }
  return out;
}
