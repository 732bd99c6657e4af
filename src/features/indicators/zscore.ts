import { checkPeriod, outputArray } from './check.js';

/**
 * Rolling z-score of the current value against its own window (the window includes t):
 * `z[t] = (x[t] - mean(x[t-p+1..t])) / sd(x[t-p+1..t])`, sd the sample deviation (ddof 1), as
 * `(x - x.rolling(p).mean()) / x.rolling(p).std()` in pandas.
 *
 * - Warm-up: NaN for t < p-1 (p ≥ 2). A constant window (sd = 0) gives NaN: the score is undefined.
 * - NaN policy: NaN while a non-finite input is in the window.
 * - Numerics: Welford with the sliding-window update (see `rollingStd`). O(n), no allocation per bar.
 *
 * Reference: the standard score; pandas rolling mean/std.
 * @param period window length (integer ≥ 2)
 */
export function rollingZScore(x: Float64Array, period: number, out?: Float64Array): Float64Array {
  checkPeriod('zscore', period, 2);
  const n = x.length;
  const y = outputArray('zscore', n, out);
  let mean = 0;
  let m2 = 0;
  let run = 0;
  for (let t = 0; t < n; t++) {
    const v = x[t]!;
    if (!Number.isFinite(v)) {
      run = 0;
      mean = 0;
      m2 = 0;
      y[t] = NaN;
      continue;
    }
    run++;
    if (run <= period) {
      const d = v - mean;
      mean += d / run;
      m2 += d * (v - mean);
    } else {
      const old = x[t - period]!;
      const oldMean = mean;
      mean += (v - old) / period;
      m2 += (v - old) * (v - mean + old - oldMean);
      if (m2 < 0) m2 = 0;
    }
    if (run < period) {
      y[t] = NaN;
    } else {
      const sd = Math.sqrt(m2 / (period - 1));
      y[t] = sd > 0 ? (v - mean) / sd : NaN;
    }
  }
  return y;
}
