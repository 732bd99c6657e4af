import { checkPeriod, outputArray } from './check.js';

/**
 * Simple return over k bars: `r[t] = x[t] / x[t-k] - 1` (a fraction, not percent).
 *
 * - Warm-up: NaN for t < k. NaN in either x[t] or x[t-k] → NaN (IEEE arithmetic); x[t-k] = 0
 *   gives ±Infinity or NaN, which callers should treat as missing.
 * - O(n), no allocation per bar; output t reads x[t] and x[t-k] only.
 *
 * Reference: the standard arithmetic return (e.g. pandas `pct_change(k)`).
 * @param k lag in bars (integer ≥ 1)
 */
export function simpleReturns(x: Float64Array, k: number, out?: Float64Array): Float64Array {
  checkPeriod('returns', k, 1, 'k');
  const n = x.length;
  const y = outputArray('returns', n, out);
  const warm = Math.min(k, n);
  for (let t = 0; t < warm; t++) y[t] = NaN;
  for (let t = k; t < n; t++) y[t] = x[t]! / x[t - k]! - 1;
  return y;
}

/**
 * Log return over k bars: `r[t] = ln(x[t] / x[t-k])`.
 *
 * - Warm-up: NaN for t < k. NaN input → NaN; a non-positive price gives NaN or ±Infinity.
 * - O(n), no allocation per bar; output t reads x[t] and x[t-k] only.
 *
 * Reference: the standard continuously compounded return.
 * @param k lag in bars (integer ≥ 1)
 */
export function logReturns(x: Float64Array, k: number, out?: Float64Array): Float64Array {
  checkPeriod('log returns', k, 1, 'k');
  const n = x.length;
  const y = outputArray('log returns', n, out);
  const warm = Math.min(k, n);
  for (let t = 0; t < warm; t++) y[t] = NaN;
  for (let t = k; t < n; t++) y[t] = Math.log(x[t]! / x[t - k]!);
  return y;
}
