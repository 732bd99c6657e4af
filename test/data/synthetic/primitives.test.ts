import { describe, expect, it } from 'vitest';
import tDist from '@stdlib/stats-base-dists-t';
import { createRng } from '../../../src/core/rng.js';
import { bridgeExcursions, garchPath, studentTUnit } from '../../../src/data/synthetic/index.js';
import { uniformPair } from '../../../src/data/synthetic/uniform-pair.js';
import { autocorrelation, kurtosis } from './fixtures.js';

describe('uniformPair', () => {
  it('splits one 53-bit uniform into its two 32-bit halves: exact, inside (0, 1), independent', () => {
    const a = createRng(5, 'pair');
    const b = createRng(5, 'pair');
    const out = new Float64Array(2);
    let mismatches = 0;
    for (let i = 0; i < 2000; i++) {
      uniformPair(a, out);
      const u = b.uniform();
      // hand-worked: u · 2^27 = hi + lo / 2^26 with integer hi and lo
      const hi = Math.floor(u * 2 ** 27);
      const lo = (u * 2 ** 27 - hi) * 2 ** 26;
      if (!Number.isInteger(lo) || out[0] !== (hi + 0.5) / 2 ** 27 || out[1] !== (lo + 0.5) / 2 ** 26) mismatches++;
    }
    expect(mismatches).toBe(0);
    const n = 200_000;
    let s0 = 0;
    let s1 = 0;
    let s01 = 0;
    let outside = 0;
    const c = createRng(6, 'pair');
    for (let i = 0; i < n; i++) {
      uniformPair(c, out);
      if (!(out[0]! > 0 && out[0]! < 1 && out[1]! > 0 && out[1]! < 1)) outside++;
      s0 += out[0]!;
      s1 += out[1]!;
      s01 += (out[0]! - 0.5) * (out[1]! - 0.5);
    }
    expect(outside).toBe(0);
    expect(Math.abs(s0 / n - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(s1 / n - 0.5)).toBeLessThan(0.005);
    // correlation of independent uniforms: sd 1/√n
    expect(Math.abs(s01 / n / (1 / 12))).toBeLessThan(4 / Math.sqrt(n));
  });
});

describe('studentTUnit (Bailey polar method)', () => {
  it('has unit variance, the t kurtosis 3 + 6/(ν − 4), and the t CDF (Kolmogorov–Smirnov against @stdlib)', () => {
    const nu = 10;
    const rng = createRng(7, 't');
    const n = 100_000;
    const x = new Float64Array(n);
    for (let i = 0; i < n; i++) x[i] = studentTUnit(rng, nu);
    let v = 0;
    for (const e of x) v += e * e;
    expect(v / n).toBeGreaterThan(0.97);
    expect(v / n).toBeLessThan(1.03);
    expect(kurtosis(x)).toBeGreaterThan(3.6);
    expect(kurtosis(x)).toBeLessThan(4.6);
    const scale = Math.sqrt((nu - 2) / nu);
    const sorted = Float64Array.from(x).sort();
    let d = 0;
    for (let i = 0; i < n; i++) {
      const f = tDist.cdf(sorted[i]! / scale, nu);
      d = Math.max(d, Math.abs(f - i / n), Math.abs(f - (i + 1) / n));
    }
    // KS critical value at α = 0.001 is 1.95 / √n
    expect(d).toBeLessThan(1.95 / Math.sqrt(n));
  });
});

describe('bridgeExcursions (Brownian-bridge high/low)', () => {
  /** E[max of a bridge from 0 to r with variance σ²] = max(0, r) + ∫ exp(−2m(m − r)/σ²) dm, by quadrature. */
  function expectedMax(r: number, sigma: number): number {
    const a = Math.max(0, r);
    let s = 0;
    const h = sigma / 2000;
    for (let m = a + h / 2; m < a + 10 * sigma; m += h) s += Math.exp((-2 * m * (m - r)) / (sigma * sigma)) * h;
    return a + s;
  }

  it('matches the bridge maximum and minimum in expectation, and never goes inside the body', () => {
    const rng = createRng(9, 'bridge');
    for (const [r, sigma] of [[0, 1], [0.8, 1], [-0.5, 2], [0.001, 0.003]] as const) {
      const n = 60_000;
      const ret = new Float64Array(n).fill(r);
      const sd = new Float64Array(n).fill(sigma);
      const { up, dn } = bridgeExcursions(rng, ret, sd);
      let sumMax = 0;
      let sumMin = 0;
      for (let i = 0; i < n; i++) {
        expect(up[i]! >= 0 && dn[i]! >= 0).toBe(true);
        sumMax += Math.max(0, r) + up[i]!;
        sumMin += Math.min(0, r) - dn[i]!;
      }
      // E[M] for r = 0, σ = 1 is √(π/8) ≈ 0.6267 (hand value); the quadrature reproduces it
      if (r === 0 && sigma === 1) expect(expectedMax(0, 1)).toBeCloseTo(Math.sqrt(Math.PI / 8), 4);
      expect(sumMax / n).toBeCloseTo(expectedMax(r, sigma), sigma > 0.1 ? 2 : 4);
      // the minimum is the mirrored maximum of the bridge to −r
      expect(-sumMin / n).toBeCloseTo(expectedMax(-r, sigma), sigma > 0.1 ? 2 : 4);
    }
  });

  it('handles an empty input', () => {
    const { up, dn } = bridgeExcursions(createRng(1, 'b'), new Float64Array(0), new Float64Array(0));
    expect(up.length + dn.length).toBe(0);
  });
});

describe('garchPath', () => {
  it('standardised variance averages 1, the level follows the regime multiplier, and squared shocks cluster', () => {
    const n = 200_000;
    const regimes = new Uint8Array(n);
    for (let t = n / 2; t < n; t++) regimes[t] = 1;
    const { eps, sd } = garchPath(createRng(2, 'g'), regimes, [1, 2], 0.01, { alpha: 0.05, beta: 0.93, nu: 6 });
    let h0 = 0;
    let h1 = 0;
    let z2 = 0;
    for (let t = 0; t < n; t++) {
      const m = regimes[t] === 0 ? 0.01 : 0.02;
      if (regimes[t] === 0) h0 += (sd[t]! / m) ** 2;
      else h1 += (sd[t]! / m) ** 2;
      z2 += (eps[t]! / sd[t]!) ** 2;
    }
    expect(h0 / (n / 2)).toBeGreaterThan(0.9);
    expect(h0 / (n / 2)).toBeLessThan(1.1);
    expect(h1 / (n / 2)).toBeGreaterThan(0.9);
    expect(h1 / (n / 2)).toBeLessThan(1.1);
    expect(z2 / n).toBeGreaterThan(0.97);
    expect(z2 / n).toBeLessThan(1.03);
    expect(autocorrelation(eps.map((e) => e * e), 1)).toBeGreaterThan(0.05);
  });

  it('grouped updates keep h constant inside a group', () => {
    const { sd } = garchPath(createRng(2, 'g'), new Uint8Array(28), [1], 1, { alpha: 0.1, beta: 0.8, nu: 5 }, 14);
    for (let t = 1; t < 14; t++) expect(sd[t]).toBe(sd[0]);
    expect(sd[14]).not.toBe(sd[13]);
  });

  it('rejects a non-stationary specification', () => {
    expect(() => garchPath(createRng(1, 'g'), new Uint8Array(3), [1], 1, { alpha: 0.5, beta: 0.6, nu: 5 })).toThrow(/α \+ β < 1/);
  });
});
