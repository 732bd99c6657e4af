/**
 * Probabilistic Sharpe ratio (Bailey & López de Prado 2012, eq. 11) against an independent
 * implementation in this file: raw-moment skew/kurtosis and an erf-based normal CDF
 * (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7), so the tolerance is 1e-6.
 */
import { describe, expect, it } from 'vitest';
import { psr } from '../../src/backtest/metrics/index.js';
import { createRng } from '../../src/core/rng.js';

function erf(x: number): number {
  const s = Math.sign(x);
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  return s * y;
}
const phi = (z: number): number => 0.5 * (1 + erf(z / Math.SQRT2));

function referencePsr(xs: number[], srStar = 0): number {
  const n = xs.length;
  const s1 = xs.reduce((a, b) => a + b, 0) / n;
  const s2 = xs.reduce((a, b) => a + b * b, 0) / n;
  const s3 = xs.reduce((a, b) => a + b ** 3, 0) / n;
  const s4 = xs.reduce((a, b) => a + b ** 4, 0) / n;
  const m2 = s2 - s1 * s1;
  const m3 = s3 - 3 * s1 * s2 + 2 * s1 ** 3;
  const m4 = s4 - 4 * s1 * s3 + 6 * s1 * s1 * s2 - 3 * s1 ** 4;
  const skew = m3 / m2 ** 1.5;
  const kurt = m4 / (m2 * m2);
  const sd = Math.sqrt((m2 * n) / (n - 1));
  const sr = s1 / sd;
  return phi(((sr - srStar) * Math.sqrt(n - 1)) / Math.sqrt(1 - skew * sr + ((kurt - 1) / 4) * sr * sr));
}

describe('psr', () => {
  it('matches the independent formula on a skewed hand series', () => {
    const xs = [0.02, -0.01, 0.015, 0.03, -0.04, 0.01, 0.005, 0.012, -0.002, 0.025];
    expect(psr(Float64Array.from(xs))).toBeCloseTo(referencePsr(xs), 6);
  });
  it('matches on 500 seeded Student-t returns and with a benchmark', () => {
    const rng = createRng(7, 'psr-test');
    const xs = Array.from({ length: 500 }, () => 0.0005 + 0.01 * rng.studentT(4));
    const arr = Float64Array.from(xs);
    expect(psr(arr)).toBeCloseTo(referencePsr(xs), 6);
    expect(psr(arr, 0.05)).toBeCloseTo(referencePsr(xs, 0.05), 6);
  });
  it('is exactly 0.5 when the mean is zero (symmetric series), and rises with the mean', () => {
    const xs = Float64Array.from([0.01, -0.01, 0.02, -0.02, 0.03, -0.03]);
    expect(psr(xs)).toBeCloseTo(0.5, 15);
    expect(psr(Float64Array.from([0.02, 0.0, 0.03, -0.01, 0.04, -0.02]))).toBeGreaterThan(0.5);
  });
  it('is NaN for fewer than 4 returns, constant or NaN input', () => {
    expect(psr(Float64Array.from([0.01, 0.02, 0.03]))).toBeNaN();
    expect(psr(Float64Array.from([0.01, 0.01, 0.01, 0.01]))).toBeNaN();
    expect(psr(Float64Array.from([0.01, NaN, 0.02, 0.03, 0.04]))).toBeNaN();
  });
});
