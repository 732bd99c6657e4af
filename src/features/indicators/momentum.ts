import { checkPeriod, outputArray } from './check.js';

/**
 * Momentum in price units: `mom[t] = x[t] - x[t-k]` (TA-Lib `TA_MOM`; backtrader `Momentum`,
 * `tests/test_ind_momentum.py`). Warm-up NaN for t < k; NaN inputs propagate; O(n).
 * @param k lag in bars (integer ≥ 1). Default 10.
 */
export function momentum(x: Float64Array, k: number, out?: Float64Array): Float64Array {
  checkPeriod('mom', k);
  const n = x.length;
  const y = outputArray('mom', n, out);
  const warm = Math.min(k, n);
  for (let t = 0; t < warm; t++) y[t] = NaN;
  for (let t = k; t < n; t++) y[t] = x[t]! - x[t - k]!;
  return y;
}
