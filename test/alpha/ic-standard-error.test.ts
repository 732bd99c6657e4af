/**
 * The IC t-statistic's standard error (src/alpha/ic.ts longRunVariance): Hansen–Hodrick's equal-weight
 * long-run variance over lags 1…h−1, the right one for the MA(h−1) overlap of h-bar labels, with
 * Newey–West as the fallback when the equal-weight sum is not positive. Hand-worked values, and an
 * MA(1) series whose long-run variance is known in closed form.
 */
import { describe, expect, it } from 'vitest';
import { longRunVariance, summariseIc } from '../../src/alpha/ic.js';
import { createRng } from '../../src/core/rng.js';

describe('longRunVariance', () => {
  it('equals γ0 + 2·γ1 on a hand-worked series', () => {
    // d = [1, 2, −1, −2]: γ0 = (1 + 4 + 1 + 4)/4 = 2.5; γ1 = (2·1 + (−1)·2 + (−2)·(−1))/4 = 0.5 → 3.5
    expect(longRunVariance([1, 2, -1, -2], 1)).toBeCloseTo(3.5, 15);
  });
  it('falls back to Newey–West when the equal-weight sum is not positive', () => {
    // d = [1, −1, 2, −2]: γ0 = 2.5, γ1 = (−1 − 2 − 4)/4 = −1.75 → 2.5 − 3.5 < 0; Bartlett: 2.5 + 2·½·(−1.75) = 0.75
    expect(longRunVariance([1, -1, 2, -2], 1)).toBeCloseTo(0.75, 15);
  });
  it('recovers an MA(1) long-run variance that Bartlett weights understate', () => {
    // y_t = e_t + e_{t−1}, e ~ N(0,1): γ0 = 2, γ1 = 1, long-run variance (1 + 1)² = 4; Bartlett with lag 1 gives 2 + 1 = 3
    const rng = createRng(5, 'test/ic-ma1');
    const m = 200_000;
    const e = Array.from({ length: m + 1 }, () => rng.normal());
    const y = Array.from({ length: m }, (_, t) => e[t + 1]! + e[t]!);
    const mean = y.reduce((a, b) => a + b, 0) / m;
    const d = y.map((x) => x - mean);
    expect(longRunVariance(d, 1)).toBeGreaterThan(4 * 0.97);
    expect(longRunVariance(d, 1)).toBeLessThan(4 * 1.03);
  });
  it('summariseIc: t = mean / √(long-run variance / m)', () => {
    const ic = Float64Array.from([0.1, 0.3, -0.1, NaN, 0.2]);
    // finite values 0.1, 0.3, −0.1, 0.2: mean 0.125; d = [−0.025, 0.175, −0.225, 0.075]
    // γ0 = (0.000625 + 0.030625 + 0.050625 + 0.005625)/4 = 0.0218750; γ1 = (−0.004375 − 0.039375 − 0.016875)/4 = −0.01515625
    // equal weights: 0.021875 − 0.0303125 < 0 → Newey–West: 0.021875 − 0.01515625 = 0.00671875
    const s = summariseIc(ic, 1);
    expect(s.bars).toBe(4);
    expect(s.mean).toBeCloseTo(0.125, 15);
    expect(s.t).toBeCloseTo(0.125 / Math.sqrt(0.00671875 / 4), 12);
  });
});
