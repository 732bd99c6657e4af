import { checkPeriod } from './check.js';
import { emaAlpha } from './ema.js';

/**
 * Wilder's smoothing (the "smoothed moving average", RMA): an EMA with `alpha = 1 / p`,
 * `y[t] = (y[t-1] · (p-1) + x[t]) / p`, seeded with the simple average of the first p values.
 * Same warm-up and NaN restart policy as `ema`.
 *
 * Reference: J. Welles Wilder, *New Concepts in Technical Trading Systems* (1978); backtrader
 * `SmoothedMovingAverage`; TA-Lib's smoothing inside `TA_RSI` / `TA_ATR`.
 */
export function wilder(x: Float64Array, period: number, out?: Float64Array): Float64Array {
  checkPeriod('wilder', period);
  return emaAlpha('wilder', x, period, 1 / period, out);
}
