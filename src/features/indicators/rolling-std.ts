import { UserError } from '../../core/errors.js';
import { checkPeriod, outputArray } from './check.js';
import { rollingMoments } from './rolling-moments.js';

/**
 * Rolling standard deviation over the last p values:
 * `sd[t] = sqrt( Σ (x[i] - mean)² / (p - ddof) )` for i in t-p+1..t.
 *
 * - `ddof = 1` (default) is the sample deviation (pandas `rolling(p).std()`); `ddof = 0` the
 *   population deviation (TA-Lib `TA_STDDEV`, Bollinger Bands).
 * - Numerics: anchored sliding sums re-based every p bars (see `rollingMoments`); constant
 *   input gives exactly 0.
 * - Warm-up: NaN for t < p-1. NaN policy: NaN while a non-finite input is in the window.
 * - O(n), no allocation per bar; output t reads only x[0..t].
 *
 * Reference: the textbook sample / population deviation; shifted-data sums as in Chan, Golub &
 * LeVeque, "Algorithms for computing the sample variance" (1983).
 * @param period window length (integer ≥ 1; ≥ 2 when ddof = 1)
 * @param ddof delta degrees of freedom, 0 or 1. @default 1
 */
export function rollingStd(x: Float64Array, period: number, ddof = 1, out?: Float64Array): Float64Array {
  if (ddof !== 0 && ddof !== 1) throw new UserError(`rolling std: ddof must be 0 or 1, got ${ddof}`, 'rolling std');
  checkPeriod('rolling std', period, ddof + 1);
  const y = outputArray('rolling std', x.length, out);
  rollingMoments('rolling std', x, period, ddof, null, y);
  return y;
}
