import { checkSameLength, outputArray } from './check.js';

/**
 * True range: `TR[t] = max(high[t] - low[t], |high[t] - close[t-1]|, |low[t] - close[t-1]|)`.
 *
 * - TR[0] is NaN (it needs the previous close), as in TA-Lib `TA_TRANGE` and backtrader
 *   `TrueRange`; ATR therefore starts at index p.
 * - NaN in any of high[t], low[t], close[t-1] → NaN.
 * - O(n), no allocation per bar; output t reads bar t and close[t-1].
 *
 * Reference: J. W. Wilder (1978), p. 21.
 */
export function trueRange(high: Float64Array, low: Float64Array, close: Float64Array, out?: Float64Array): Float64Array {
  const n = checkSameLength('true range', high, low, close);
  const y = outputArray('true range', n, out);
  if (n === 0) return y;
  y[0] = NaN;
  for (let t = 1; t < n; t++) {
    const h = high[t]!;
    const l = low[t]!;
    const pc = close[t - 1]!;
    const a = h - l;
    const b = Math.abs(h - pc);
    const c = Math.abs(l - pc);
    // Math.max propagates NaN, which is the policy we want
    y[t] = Math.max(a, b, c);
  }
  return y;
}
