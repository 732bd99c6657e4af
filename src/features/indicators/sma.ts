import { checkPeriod, outputArray } from './check.js';

/**
 * Simple moving average: `sma[t] = (x[t-p+1] + … + x[t]) / p`.
 *
 * - Warm-up: NaN for t < p-1 (the first value is at index p-1).
 * - NaN policy (shared by every windowed kernel here): a non-finite input makes the output NaN
 *   for as long as it is inside the window; the average resumes p bars after it, once the window
 *   holds p finite values again.
 * - Numerics: a running sum with Neumaier compensation (add the new value, subtract the leaving
 *   one), reset at each non-finite input, so drift stays at rounding level over long series.
 * - O(n) time, no allocation per bar; reads only x[0..t] for output t (no look-ahead).
 * - Empty input → empty output; constant input c → c after warm-up.
 *
 * Reference: the standard definition, e.g. TA-Lib `TA_SMA`, pandas `Series.rolling(p).mean()`.
 * @param period window length in bars (integer ≥ 1)
 * @param out optional output array of length x.length, reused instead of allocating
 */
export function sma(x: Float64Array, period: number, out?: Float64Array): Float64Array {
  checkPeriod('sma', period);
  const n = x.length;
  const y = outputArray('sma', n, out);
  let sum = 0;
  let comp = 0;
  let run = 0; // consecutive finite values ending at t
  for (let t = 0; t < n; t++) {
    const v = x[t]!;
    if (!Number.isFinite(v)) {
      run = 0;
      sum = 0;
      comp = 0;
      y[t] = NaN;
      continue;
    }
    // Neumaier add v
    let s = sum + v;
    comp += Math.abs(sum) >= Math.abs(v) ? sum - s + v : v - s + sum;
    sum = s;
    run++;
    if (run > period) {
      const w = -x[t - period]!;
      s = sum + w;
      comp += Math.abs(sum) >= Math.abs(w) ? sum - s + w : w - s + sum;
      sum = s;
    }
    y[t] = run >= period ? (sum + comp) / period : NaN;
  }
  return y;
}
