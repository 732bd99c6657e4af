import { checkPeriod, checkSameLength } from './check.js';
import { highest } from './highest.js';
import { lowest } from './lowest.js';
import { sma } from './sma.js';

/** Stochastic oscillator columns, in percent [0, 100]. */
export interface Stochastic {
  /** %K: the raw %K smoothed by SMA(smooth) (smooth = 1 gives the fast stochastic). */
  readonly k: Float64Array;
  /** %D = SMA(%K, dPeriod). */
  readonly d: Float64Array;
}

/**
 * Stochastic oscillator (George Lane): raw `%K = 100 · (close - LL_p) / (HH_p - LL_p)`, with HH/LL
 * the highest high and lowest low of the last p bars; `%K = SMA(raw %K, smooth)`,
 * `%D = SMA(%K, dPeriod)`. With smooth = 3 this is the "slow" stochastic of backtrader's
 * `Stochastic` (period 14, period_dfast 3, period_dslow 3); smooth = 1 is `StochasticFast`.
 *
 * - A flat range (HH = LL) gives raw %K = 50 (the close is both the high and the low).
 * - Warm-up: %K from index p+smooth-2, %D from p+smooth+dPeriod-3.
 * - NaN policy: NaN while a non-finite input is in any of the windows.
 * - O(n) (monotonic deques and running sums), no allocation per bar.
 *
 * Reference: G. Lane (1984); backtrader `tests/test_ind_stochastic.py`; TA-Lib `TA_STOCH` (SMA type).
 * @param period lookback p for HH/LL (integer ≥ 1). Default 14.
 * @param dPeriod %D smoothing (integer ≥ 1). Default 3.
 * @param smooth %K smoothing (integer ≥ 1). @default 3
 */
export function stochastic(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  period: number,
  dPeriod: number,
  smooth = 3,
): Stochastic {
  checkPeriod('stoch', period);
  checkPeriod('stoch', dPeriod, 1, 'd period');
  checkPeriod('stoch', smooth, 1, 'smoothing');
  const n = checkSameLength('stoch', high, low, close);
  const hh = highest(high, period);
  const raw = lowest(low, period, new Float64Array(n));
  for (let t = 0; t < n; t++) {
    const ll = raw[t]!;
    const range = hh[t]! - ll;
    raw[t] = range > 0 ? (100 * (close[t]! - ll)) / range : range === 0 ? 50 : NaN;
  }
  const k = smooth === 1 ? raw : sma(raw, smooth, hh);
  const d = sma(k, dPeriod);
  return { k, d };
}
