import { checkPeriod, outputArray } from './check.js';
import { rollingMoments } from './rolling-moments.js';

/**
 * Rolling z-score of the current value against its own window (the window includes t):
 * `z[t] = (x[t] - mean(x[t-p+1..t])) / sd(x[t-p+1..t])`, sd the sample deviation (ddof 1), as
 * `(x - x.rolling(p).mean()) / x.rolling(p).std()` in pandas.
 *
 * - Warm-up: NaN for t < p-1 (p ≥ 2). A constant window (sd = 0) gives NaN: the score is undefined.
 * - NaN policy: NaN while a non-finite input is in the window.
 * - Numerics: `rollingMoments` (anchored sliding sums); O(n), one temporary array, no allocation
 *   per bar; output t reads x[0..t].
 *
 * Reference: the standard score; pandas rolling mean/std.
 * @param period window length (integer ≥ 2)
 */
export function rollingZScore(x: Float64Array, period: number, out?: Float64Array): Float64Array {
  checkPeriod('zscore', period, 2);
  const n = x.length;
  const y = outputArray('zscore', n, out);
  const sd = new Float64Array(n);
  rollingMoments('zscore', x, period, 1, y, sd);
  for (let t = 0; t < n; t++) {
    const s = sd[t]!;
    y[t] = s > 0 ? (x[t]! - y[t]!) / s : NaN;
  }
  return y;
}
