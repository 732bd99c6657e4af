/**
 * The deflated Sharpe ratio against the paper's worked example and an independent implementation
 * written here (moments by plain loops, Φ by Abramowitz & Stegun 26.2.17, Φ⁻¹ by bisection on it).
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import { deflatedSharpe, deflatedSharpeFromSummary, expectedMaxSharpe, EULER_MASCHERONI } from '../../src/overfit/index.js';

/** Standard normal CDF, Abramowitz & Stegun 26.2.17 (|error| < 7.5e-8). */
function phi(x: number): number {
  const t = 1 / (1 + 0.2316419 * Math.abs(x));
  const poly = t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  const upper = (Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI)) * poly;
  return x >= 0 ? 1 - upper : upper;
}

/** Φ⁻¹ by bisection on phi. */
function phiInverse(p: number): number {
  let lo = -10;
  let hi = 10;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (phi(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

describe('deflated Sharpe ratio (Bailey & López de Prado 2014)', () => {
  it("reproduces the paper's numerical example: SR 2.5 a year, T = 1250 days, N = 100, V = 0.5 a year, γ3 = −3, γ4 = 10 → SR0 ≈ 0.1132, DSR ≈ 0.9004", () => {
    // The paper works per day: SR = 2.5 / √250, V[SR_n] = 0.5 / 250.
    const daily = deflatedSharpeFromSummary({ sharpe: 2.5 / Math.sqrt(250), observations: 1250, skewness: -3, kurtosis: 10 }, 100, 0.5 / 250);
    expect(daily.expectedMax).toBeCloseTo(0.1132, 4);
    expect(daily.dsr).toBeCloseTo(0.9004, 3);
    // Hand-worked from the formulas with the A&S CDF: z = (0.158114 − SR0)·√1249 / √(1 + 3·0.158114 + 9/4·0.158114²)
    const z1 = phiInverse(1 - 1 / 100);
    const z2 = phiInverse(1 - 1 / (100 * Math.E));
    const sr0 = Math.sqrt(0.5 / 250) * ((1 - 0.5772156649) * z1 + 0.5772156649 * z2);
    const sr = 2.5 / Math.sqrt(250);
    const dsr = phi(((sr - sr0) * Math.sqrt(1249)) / Math.sqrt(1 + 3 * sr + (9 / 4) * sr * sr));
    expect(daily.expectedMax).toBeCloseTo(sr0, 6);
    expect(daily.dsr).toBeCloseTo(dsr, 5);
  });

  it('the expected maximum is close to the exact mean of the largest of N standard normals (Tippett 1925: 1.5388 for 10, 2.5076 for 100)', () => {
    // The paper's formula is an extreme-value approximation: within 3 % at N = 10 and 1 % at N = 100.
    expect(Math.abs(expectedMaxSharpe(10, 1) / 1.53875 - 1)).toBeLessThan(0.03);
    expect(Math.abs(expectedMaxSharpe(100, 1) / 2.50759 - 1)).toBeLessThan(0.01);
    // It scales with the standard deviation of the trial Sharpes, and one trial is no selection.
    expect(expectedMaxSharpe(100, 4)).toBeCloseTo(2 * expectedMaxSharpe(100, 1), 12);
    expect(expectedMaxSharpe(1, 1)).toBe(0);
    expect(EULER_MASCHERONI).toBeCloseTo(0.5772156649, 10);
  });

  it('from returns: equals an independent computation (plain-loop moments, A&S Φ) on skewed returns', () => {
    const rng = createRng(11);
    const returns = new Float64Array(900);
    // A mixture: small gains, rare large losses (negative skew, fat tails).
    for (let i = 0; i < returns.length; i++) returns[i] = rng.uniform() < 0.05 ? -0.03 * rng.uniform() : 0.002 + 0.004 * (rng.uniform() - 0.5);
    const trialSharpes = Array.from({ length: 40 }, (_, i) => 0.1 + 0.1 * Math.sin(i));
    const got = deflatedSharpe(returns, trialSharpes);

    const n = returns.length;
    let sum = 0;
    for (const r of returns) sum += r;
    const mean = sum / n;
    let m2 = 0, m3 = 0, m4 = 0;
    for (const r of returns) {
      m2 += (r - mean) ** 2;
      m3 += (r - mean) ** 3;
      m4 += (r - mean) ** 4;
    }
    const sd = Math.sqrt(m2 / (n - 1));
    const skew = m3 / n / (m2 / n) ** 1.5;
    const kurt = m4 / n / (m2 / n) ** 2;
    const sr = mean / sd;
    const tm = trialSharpes.reduce((a, b) => a + b, 0) / trialSharpes.length;
    const variance = trialSharpes.reduce((a, b) => a + (b - tm) ** 2, 0) / (trialSharpes.length - 1);
    const sr0 = Math.sqrt(variance) * ((1 - 0.5772156649) * phiInverse(1 - 1 / 40) + 0.5772156649 * phiInverse(1 - 1 / (40 * Math.E)));
    const dsr = phi(((sr - sr0) * Math.sqrt(n - 1)) / Math.sqrt(1 - skew * sr + ((kurt - 1) / 4) * sr * sr));

    expect(skew).toBeLessThan(-1);
    expect(got.sharpe).toBeCloseTo(sr, 10);
    expect(got.trials).toBe(40);
    expect(got.sharpeVariance).toBeCloseTo(variance, 12);
    expect(got.expectedMax).toBeCloseTo(sr0, 6);
    expect(got.dsr).toBeCloseTo(dsr, 5);
    expect(got.dsr).toBeGreaterThan(0.01);
    expect(got.dsr).toBeLessThan(0.99);
  });

  it('more trials with the same spread deflate more; zero-spread returns give NaN', () => {
    const s = { sharpe: 0.1, observations: 500, skewness: 0, kurtosis: 3 };
    const few = deflatedSharpeFromSummary(s, 5, 0.001).dsr;
    const many = deflatedSharpeFromSummary(s, 500, 0.001).dsr;
    expect(many).toBeLessThan(few);
    expect(deflatedSharpe(new Float64Array(50).fill(0.01), [0.1, 0.2]).dsr).toBeNaN();
  });
});
