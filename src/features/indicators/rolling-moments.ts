import { outputArray } from './check.js';

/** Relative rounding noise of S2 - S1²/p against the magnitudes summed into it. */
const NOISE = 16 * Number.EPSILON;

/**
 * The windowed mean and standard deviation behind `rollingStd`, `rollingZScore` and `bollinger`
 * (exported for them; callers use those). One O(n) loop with no allocation per bar.
 *
 * Numerics: a sliding sum of deviations from an anchor `a`, S1 = Σ(x - a), S2 = Σ(x - a)², so
 * `var = (S2 - S1²/p) / (p - ddof)`. The anchor is re-set to the window mean and both sums are
 * rebuilt exactly every p bars (O(p) every p bars, so O(1) amortised). Keeping `a` near the window
 * mean keeps S1 small and avoids the cancellation that ruins Σx² - (Σx)²/p at high price levels;
 * rounding can only accumulate over < p slides. A plain sliding Welford update, tried first, lost
 * five digits on 1e-4 volatility at price level 100 (see test/features/indicators/reference.test.ts).
 * When S2 - S1²/p falls within the rounding noise of the terms summed since the last rebuild
 * (nearly equal values in the window), the sums are rebuilt at once around the window mean, so a
 * window of equal values gives exactly 0 (a square root of leftover rounding would be ~1e-8).
 * Constant input gives exactly 0 without rebuilds. Output at t reads only x[0..t]; NaN while a
 * non-finite input is in the window; NaN during warm-up (t < p-1).
 */
export function rollingMoments(
  name: string,
  x: Float64Array,
  period: number,
  ddof: number,
  meanOut: Float64Array | null,
  sdOut: Float64Array | null,
): void {
  const n = x.length;
  if (meanOut !== null) outputArray(name, n, meanOut);
  if (sdOut !== null) outputArray(name, n, sdOut);
  const denom = period - ddof;
  let anchor = 0;
  let s1 = 0;
  let s2 = 0;
  let acc = 0; // Σ of |terms| added to or removed from S2 since the last rebuild: bounds its rounding error
  let run = 0;
  let sinceAnchor = 0;
  for (let t = 0; t < n; t++) {
    const v = x[t]!;
    if (!Number.isFinite(v)) {
      run = 0;
      if (meanOut !== null) meanOut[t] = NaN;
      if (sdOut !== null) sdOut[t] = NaN;
      continue;
    }
    run++;
    if (run === 1) {
      anchor = v;
      s1 = 0;
      s2 = 0;
      acc = 0;
      sinceAnchor = 0;
    }
    const d = v - anchor;
    s1 += d;
    s2 += d * d;
    acc += d * d;
    if (run > period) {
      const o = x[t - period]! - anchor;
      s1 -= o;
      s2 -= o * o;
      acc += o * o;
    }
    if (run < period) {
      if (meanOut !== null) meanOut[t] = NaN;
      if (sdOut !== null) sdOut[t] = NaN;
      continue;
    }
    let m = s1 / period;
    let ss = s2 - s1 * m;
    // Rebuild every p bars, and at once when S2 - S1·m is within the rounding noise of the sums
    // (a window of nearly equal values): re-anchor at the window mean and sum again exactly.
    if (++sinceAnchor >= period || (ss <= NOISE * acc && acc > 0)) {
      anchor += m;
      s1 = 0;
      s2 = 0;
      for (let i = t - period + 1; i <= t; i++) {
        const e = x[i]! - anchor;
        s1 += e;
        s2 += e * e;
      }
      acc = s2;
      sinceAnchor = 0;
      m = s1 / period;
      ss = s2 - s1 * m;
    }
    if (meanOut !== null) meanOut[t] = anchor + m;
    if (sdOut !== null) sdOut[t] = ss > 0 ? Math.sqrt(ss / denom) : 0;
  }
}
