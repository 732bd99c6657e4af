import { checkPeriod, outputArray } from './check.js';

/**
 * Rate of change in percent: `roc[t] = 100 · (x[t] / x[t-k] - 1)` (TA-Lib `TA_ROC`; backtrader's
 * `RateOfChange100`). Warm-up NaN for t < k; NaN inputs propagate; O(n), no allocation per bar.
 * @param k lag in bars (integer ≥ 1). Default 10.
 */
export function roc(x: Float64Array, k: number, out?: Float64Array): Float64Array {
  checkPeriod('roc', k);
  const n = x.length;
  const y = outputArray('roc', n, out);
  const warm = Math.min(k, n);
  for (let t = 0; t < warm; t++) y[t] = NaN;
  for (let t = k; t < n; t++) y[t] = 100 * (x[t]! / x[t - k]! - 1);
  return y;
}
