import { extremeWindow } from './extreme-window.js';

/**
 * Lowest value of the last p bars (including t): `min(x[t-p+1..t])`.
 *
 * - Warm-up: NaN for t < p-1. NaN policy: NaN while a non-finite input is in the window.
 * - O(n) amortised with a monotonic deque; no allocation per bar; reads x[0..t] only.
 *
 * Reference: TA-Lib `TA_MIN`; backtrader `Lowest`; pandas `rolling(p).min()`.
 * @param period window length (integer ≥ 1)
 */
export function lowest(x: Float64Array, period: number, out?: Float64Array): Float64Array {
  return extremeWindow('lowest', x, period, -1, out);
}
