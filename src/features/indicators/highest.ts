import { extremeWindow } from './extreme-window.js';

/**
 * Highest value of the last p bars (including t): `max(x[t-p+1..t])`.
 *
 * - Warm-up: NaN for t < p-1. NaN policy: NaN while a non-finite input is in the window.
 * - O(n) amortised with a monotonic deque; no allocation per bar; reads x[0..t] only.
 *
 * Reference: TA-Lib `TA_MAX`; backtrader `Highest`; pandas `rolling(p).max()`.
 * @param period window length (integer ≥ 1)
 */
export function highest(x: Float64Array, period: number, out?: Float64Array): Float64Array {
  return extremeWindow('highest', x, period, 1, out);
}
