import { checkFinite, checkPeriod } from './check.js';
import { rollingMoments } from './rolling-moments.js';

/** Bollinger Bands columns, each of the input's length. */
export interface BollingerBands {
  /** Middle band: SMA(close, p). */
  readonly mid: Float64Array;
  /** mid + k · σ, σ the population standard deviation (ddof 0) of the last p closes. */
  readonly upper: Float64Array;
  /** mid - k · σ. */
  readonly lower: Float64Array;
  /** %b = (close - lower) / (upper - lower); 0.5 when the bands touch (σ = 0, close = mid). */
  readonly pctB: Float64Array;
  /** Bandwidth = (upper - lower) / mid, a fraction of the middle band (NaN when mid = 0). */
  readonly width: Float64Array;
}

/**
 * Bollinger Bands (John Bollinger, *Bollinger on Bollinger Bands*, 2001): middle band SMA(p),
 * bands at ±k population standard deviations (ddof 0, as Bollinger specifies and as TA-Lib
 * `TA_BBANDS` and backtrader `BollingerBands` compute), %b and bandwidth.
 *
 * - Warm-up: NaN for t < p-1. NaN policy: NaN while a non-finite close is in the window.
 * - O(n): one windowed mean/σ pass (`rollingMoments`), one combining loop; no allocation per bar.
 *
 * Reference: Bollinger (2001), ch. 7 and 8 (%b, BandWidth); backtrader `tests/test_ind_bbands.py`.
 * @param period window length (integer ≥ 1). Bollinger's default 20.
 * @param k band multiplier (finite). Bollinger's default 2.
 */
export function bollinger(close: Float64Array, period: number, k: number): BollingerBands {
  checkPeriod('bb', period);
  checkFinite('bb', k, 'k');
  const n = close.length;
  const mid = new Float64Array(n);
  const upper = new Float64Array(n); // holds σ until the combining loop turns it into the band
  rollingMoments('bb', close, period, 0, mid, upper);
  const lower = new Float64Array(n);
  const pctB = new Float64Array(n);
  const width = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    const m = mid[t]!;
    const half = k * upper[t]!;
    const u = m + half;
    const l = m - half;
    upper[t] = u;
    lower[t] = l;
    const span = u - l;
    pctB[t] = span !== 0 ? (close[t]! - l) / span : m === m ? 0.5 : NaN;
    width[t] = span / m;
  }
  return { mid, upper, lower, pctB, width };
}
