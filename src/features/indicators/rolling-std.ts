import { UserError } from '../../core/errors.js';
import { checkPeriod, outputArray } from './check.js';

/**
 * Rolling standard deviation over the last p values:
 * `sd[t] = sqrt( Σ (x[i] - mean)² / (p - ddof) )` for i in t-p+1..t.
 *
 * - `ddof = 1` (default) is the sample deviation (pandas `rolling(p).std()`); `ddof = 0` the
 *   population deviation (TA-Lib `TA_STDDEV`, Bollinger Bands).
 * - Numerics: Welford's running mean and sum of squared deviations, with the sliding-window
 *   update `M2 += (x_new - x_old) · (x_new - mean_new + x_old - mean_old)` (no catastrophic
 *   cancellation as with Σx² - (Σx)²/p); M2 is clamped at 0. Constant input gives exactly 0.
 * - Warm-up: NaN for t < p-1. NaN policy: NaN while a non-finite input is in the window.
 * - O(n), no allocation per bar; output t reads only x[0..t].
 *
 * Reference: B. P. Welford (1962); D. Knuth, TAOCP vol. 2 §4.2.2.
 * @param period window length (integer ≥ 1; ≥ 2 when ddof = 1)
 * @param ddof delta degrees of freedom, 0 or 1. @default 1
 */
export function rollingStd(x: Float64Array, period: number, ddof = 1, out?: Float64Array): Float64Array {
  checkPeriod('rolling std', period, ddof + 1);
  if (ddof !== 0 && ddof !== 1) throw new UserError(`rolling std: ddof must be 0 or 1, got ${ddof}`, 'rolling std');
  const n = x.length;
  const y = outputArray('rolling std', n, out);
  const denom = period - ddof;
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
    y[t] = run >= period ? Math.sqrt(m2 / denom) : NaN;
  }
  return y;
}
