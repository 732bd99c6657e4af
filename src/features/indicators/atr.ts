import { checkPeriod, checkSameLength, outputArray } from './check.js';
import { trueRange } from './true-range.js';
import { wilder } from './wilder.js';

export { trueRange } from './true-range.js';

/**
 * Average true range, Wilder's: the true range (see `trueRange`) smoothed with Wilder's average,
 * seeded with the simple mean of the first p true ranges: `ATR[t] = (ATR[t-1] · (p-1) + TR[t]) / p`.
 *
 * - Warm-up: TR[0] is NaN, so the first ATR is at index p (mean of TR[1..p]).
 * - NaN policy: a non-finite true range gives NaN and restarts the smoothing (p finite TRs again).
 * - Units: price units. O(n); one temporary array for the true range (reused as the output).
 *
 * Reference: J. W. Wilder (1978), pp. 21–23; TA-Lib `TA_ATR`; backtrader `tests/test_ind_atr.py`.
 * @param period smoothing length (integer ≥ 1). Wilder used 14.
 */
export function atr(high: Float64Array, low: Float64Array, close: Float64Array, period: number, out?: Float64Array): Float64Array {
  checkPeriod('atr', period);
  const n = checkSameLength('atr', high, low, close);
  const tr = trueRange(high, low, close);
  // Wilder smoothing reads tr[t] before writing y[t], so it may write in place.
  return wilder(tr, period, out === undefined ? tr : outputArray('atr', n, out));
}
