import { describe, expect, it } from 'vitest';
import { forwardFilter } from '../../../src/regime/hmm/forward.js';
import { backwardScaled } from '../../../src/regime/hmm/backward.js';
import { params } from './simulate.js';

/** Independent reference: enumerate every state path of a tiny HMM with plain densities. */
function gauss(x: number, m: number, v: number): number {
  return Math.exp(-((x - m) ** 2) / (2 * v)) / Math.sqrt(2 * Math.PI * v);
}
function brute(pi: number[], A: number[][], mu: number[], v: number[], xs: number[]) {
  const k = pi.length;
  const n = xs.length;
  const filtered: number[][] = [];
  let total = 0;
  const smoothed = Array.from({ length: n }, () => new Array<number>(k).fill(0));
  for (let t = 1; t <= n; t++) {
    const row = new Array<number>(k).fill(0);
    const paths = k ** t;
    for (let code = 0; code < paths; code++) {
      const s: number[] = [];
      let c = code;
      for (let i = 0; i < t; i++) {
        s.push(c % k);
        c = Math.floor(c / k);
      }
      let p = pi[s[0]!]! * gauss(xs[0]!, mu[s[0]!]!, v[s[0]!]!);
      for (let i = 1; i < t; i++) p *= A[s[i - 1]!]![s[i]!]! * gauss(xs[i]!, mu[s[i]!]!, v[s[i]!]!);
      row[s[t - 1]!]! += p;
      if (t === n) {
        total += p;
        for (let i = 0; i < n; i++) smoothed[i]![s[i]!]! += p;
      }
    }
    const z = row.reduce((a, b) => a + b, 0);
    filtered.push(row.map((r) => r / z));
  }
  return { filtered, logLik: Math.log(total), smoothed: smoothed.map((r) => r.map((q) => q / total)) };
}

describe('forward filter', () => {
  const pi = [0.6, 0.4];
  const A = [
    [0.7, 0.3],
    [0.2, 0.8],
  ];
  const mu = [0.5, -1];
  const v = [0.25, 1.5];
  const xs = [0.3, -1.2, 0.9];
  const p = params(2, 1, pi, A.flat(), mu, v);

  it('matches brute-force enumeration of all paths on 3 steps × 2 states to 1e-12', () => {
    const ref = brute(pi, A, mu, v, xs);
    const fw = forwardFilter(Float64Array.from(xs), 3, p);
    for (let t = 0; t < 3; t++) for (let j = 0; j < 2; j++) expect(Math.abs(fw.alpha[t * 2 + j]! - ref.filtered[t]![j]!)).toBeLessThan(1e-12);
    expect(Math.abs(fw.logLik - ref.logLik)).toBeLessThan(1e-12);
  });

  it('backward pass gives the brute-force smoothed posteriors (used only inside Baum–Welch)', () => {
    const ref = brute(pi, A, mu, v, xs);
    const fw = forwardFilter(Float64Array.from(xs), 3, p);
    const beta = backwardScaled(fw, 3, p);
    for (let t = 0; t < 3; t++) {
      for (let j = 0; j < 2; j++) expect(Math.abs(fw.alpha[t * 2 + j]! * beta[t * 2 + j]! - ref.smoothed[t]![j]!)).toBeLessThan(1e-12);
    }
  });

  it('matches brute force on a 3-state, 2-feature, 4-step example (diagonal covariance)', () => {
    const p3 = params(3, 2, [0.2, 0.5, 0.3], [0.8, 0.1, 0.1, 0.2, 0.7, 0.1, 0.25, 0.25, 0.5], [0, 1, 2, 0, -1, 3], [1, 0.5, 2, 1, 0.3, 4]);
    const xs2 = [0.1, 0.9, 1.7, 0.2, -0.8, 2.5, 0.4, 1.1];
    // Two independent features: the emission density is the product, which the brute force gets
    // by folding feature 2 into a per-state likelihood multiplier.
    const fw = forwardFilter(Float64Array.from(xs2), 4, p3);
    const n = 4;
    const k = 3;
    const like = (t: number, j: number) => gauss(xs2[2 * t]!, p3.means[2 * j]!, p3.vars[2 * j]!) * gauss(xs2[2 * t + 1]!, p3.means[2 * j + 1]!, p3.vars[2 * j + 1]!);
    for (let t = 1; t <= n; t++) {
      const row = [0, 0, 0];
      for (let code = 0; code < k ** t; code++) {
        const s: number[] = [];
        let c = code;
        for (let i = 0; i < t; i++) {
          s.push(c % k);
          c = Math.floor(c / k);
        }
        let q = p3.pi[s[0]!]! * like(0, s[0]!);
        for (let i = 1; i < t; i++) q *= p3.trans[s[i - 1]! * k + s[i]!]! * like(i, s[i]!);
        row[s[t - 1]!]! += q;
      }
      const z = row[0]! + row[1]! + row[2]!;
      for (let j = 0; j < k; j++) expect(Math.abs(fw.alpha[(t - 1) * k + j]! - row[j]! / z)).toBeLessThan(1e-12);
    }
  });

  it('treats a NaN row as missing: the filter propagates the prior', () => {
    const fw = forwardFilter(Float64Array.from([0.3, Number.NaN]), 2, p);
    const a0 = [fw.alpha[0]!, fw.alpha[1]!];
    const prior = [a0[0]! * 0.7 + a0[1]! * 0.2, a0[0]! * 0.3 + a0[1]! * 0.8];
    expect(fw.alpha[2]).toBeCloseTo(prior[0]!, 14);
    expect(fw.alpha[3]).toBeCloseTo(prior[1]!, 14);
  });

  it('does not underflow on a long sequence of extreme observations', () => {
    const n = 5000;
    const x = new Float64Array(n);
    for (let t = 0; t < n; t++) x[t] = t % 2 ? 40 : -40;
    const fw = forwardFilter(x, n, p);
    expect(Number.isFinite(fw.logLik)).toBe(true);
    for (let i = 0; i < n * 2; i++) expect(Number.isFinite(fw.alpha[i]!)).toBe(true);
  });

  it('returns an empty result for no observations', () => {
    const fw = forwardFilter(new Float64Array(0), 0, p);
    expect(fw.alpha.length).toBe(0);
    expect(fw.logLik).toBe(0);
  });
});
