/**
 * When the book saw each bar: the close time of every bar, the close a symbol is marked at on each
 * clock step, and the step at which a fill entered cash and positions. These follow the event loop's
 * order (docs/backtest-engine.md): at step t every bar whose close is ≤ t is processed (its fills
 * booked, its close becomes the mark); a `same_close` market fill is booked at its decision close.
 */
import { InvariantError } from '../core/errors.js';
import { intervalMs, type Interval } from '../core/time.js';
import type { BarFrame } from '../core/table.js';

/** Close time of each bar: the `close_ts` column (session bars), else ts + interval. */
export function barCloseTimes(bars: BarFrame, interval: Interval): Float64Array {
  const given = bars.columns['close_ts'];
  if (given instanceof Float64Array) return given;
  const step = intervalMs(interval);
  return Float64Array.from(bars.columns.ts, (t) => t + step);
}

/** The close of the last bar closed by each clock step (NaN before the first close). O(steps + bars). */
export function marksOnClock(clock: Float64Array, closeTs: Float64Array, close: Float64Array): Float64Array {
  const out = new Float64Array(clock.length);
  let j = -1;
  for (let k = 0; k < clock.length; k++) {
    while (j + 1 < closeTs.length && closeTs[j + 1]! <= clock[k]!) j++;
    out[k] = j >= 0 ? close[j]! : NaN;
  }
  return out;
}

/** First clock time ≥ t (the step that books something happening at t); +Infinity after the last step. */
export function stepAtOrAfter(clock: Float64Array, t: number): number {
  let lo = 0;
  let hi = clock.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (clock[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo < clock.length ? clock[lo]! : Infinity;
}

/** Index of the bar opening at `ts` (binary search), or -1. */
function barOpeningAt(openTs: Float64Array, ts: number): number {
  let lo = 0;
  let hi = openTs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = openTs[mid]!;
    if (v === ts) return mid;
    if (v < ts) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

export interface FillTiming {
  readonly orderId: number;
  readonly symbol: string;
  readonly ts: number;
  readonly type: string;
}

/**
 * The clock time at which each fill was booked. A fill inside a bar (next open, stop or limit
 * level) is booked at that bar's close; with `same_close`, the first fill of a market order placed
 * at a decision close t is booked at t (later parts of a capped order fill inside later bars).
 */
export function bookedTimes(
  fills: readonly FillTiming[],
  placedAt: ReadonlyMap<number, number>,
  sameClose: boolean,
  bars: ReadonlyMap<string, { readonly openTs: Float64Array; readonly closeTs: Float64Array }>,
  clock: Float64Array,
): Float64Array {
  const out = new Float64Array(fills.length);
  const seen = new Set<number>();
  fills.forEach((f, i) => {
    const first = !seen.has(f.orderId);
    seen.add(f.orderId);
    if (sameClose && f.type === 'market' && first && placedAt.get(f.orderId) === f.ts) {
      out[i] = f.ts;
      return;
    }
    const b = bars.get(f.symbol);
    const j = b ? barOpeningAt(b.openTs, f.ts) : -1;
    if (!b || j < 0) throw new InvariantError(`fill of order #${f.orderId} ${f.symbol} at ${f.ts}: no bar opens then`);
    out[i] = stepAtOrAfter(clock, b.closeTs[j]!);
  });
  return out;
}
