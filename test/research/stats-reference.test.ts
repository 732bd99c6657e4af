/**
 * The discovery statistics against values computed outside the code: Student's sleep data as
 * published with R's t.test, printed t tables, the Benjamini & Hochberg (1995) worked example, and
 * hand-worked clustered / Newey–West standard errors (arithmetic written out in the comments).
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import {
  benjaminiHochberg,
  bhRejections,
  blockBootstrapMeanCi,
  clusteredMeanSe,
  meanTTest,
  neweyWestMeanSe,
  tPValue,
} from '../../src/research/stats/index.js';

describe('t test and p-values', () => {
  it("Student's sleep data (Cushny & Peebles 1905): paired differences give t = 4.0621, df = 9, p = 0.002833", () => {
    // R: t.test(extra ~ group, data = sleep, paired = TRUE) → t = -4.0621, df = 9, p-value = 0.002833,
    // mean difference -1.58 (group 1 − group 2); here group 2 − group 1.
    const diffs = [1.2, 2.4, 1.3, 1.3, 0.0, 1.0, 1.8, 0.8, 4.6, 1.4];
    const r = meanTTest(diffs);
    expect(r.n).toBe(10);
    expect(r.mean).toBeCloseTo(1.58, 12);
    expect(r.df).toBe(9);
    expect(r.t).toBeCloseTo(4.0621, 4);
    expect(tPValue(r.t, r.df, 'two-sided')).toBeCloseTo(0.002833, 6);
    expect(tPValue(r.t, r.df, 'greater')).toBeCloseTo(0.002833 / 2, 6);
  });

  it('printed t-table quantiles: t(0.975, 10) = 2.228, t(0.95, 10) = 1.812, t(0.995, 30) = 2.750', () => {
    expect(tPValue(2.228139, 10, 'two-sided')).toBeCloseTo(0.05, 6);
    expect(tPValue(1.812461, 10, 'greater')).toBeCloseTo(0.05, 6);
    expect(tPValue(-1.812461, 10, 'less')).toBeCloseTo(0.05, 6);
    expect(tPValue(2.749996, 30, 'two-sided')).toBeCloseTo(0.01, 6);
    // large df: the normal's 1.959964 gives 0.05
    expect(tPValue(1.959964, 1e7, 'two-sided')).toBeCloseTo(0.05, 5);
    expect(tPValue(0, 5, 'greater')).toBe(0.5);
  });

  it('a standard error passed in (clustered) replaces s/√n and its df', () => {
    const r = meanTTest([1, 2, 3], 0.5, 1);
    expect(r.se).toBe(0.5);
    expect(r.t).toBe(4);
    expect(r.df).toBe(1);
    expect(r.sd).toBe(1);
  });
});

describe('Benjamini–Hochberg q-values', () => {
  // Benjamini & Hochberg (1995), section 4: fifteen p-values from a multi-centre trial; at
  // q* = 0.05 the procedure rejects the four smallest (p ≤ 0.0095), Bonferroni only three.
  const P = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.324, 0.4262, 0.5719, 0.6528, 0.759, 1.0];

  it('the 1995 worked example: four rejections at 0.05', () => {
    expect(bhRejections(P, 0.05)).toBe(4);
    expect(P.filter((p) => p <= 0.05 / 15)).toHaveLength(3); // Bonferroni, as the paper says
  });

  it('q-values hand-worked: q_(i) = min_{j≥i} 15 p_(j) / j', () => {
    // 15p/i: .0015 .003 .0095 .035625 .0603 .0695 .0638571 .0645 .0765 .486 .5811818 .71487 .7532308 .8132143 1
    // running minimum from the end turns .0695 into .0638571
    const expected = [0.0015, 0.003, 0.0095, 0.035625, 0.0603, 0.0638571, 0.0638571, 0.0645, 0.0765, 0.486, 0.5811818, 0.714875, 0.7532308, 0.8132143, 1];
    const { q, rank } = benjaminiHochberg(P);
    expected.forEach((e, i) => expect(q[i]).toBeCloseTo(e, 6));
    expect([...rank]).toEqual(P.map((_, i) => i + 1));
  });

  it('order of the input does not matter; NaN counts as p = 1', () => {
    const shuffled = [P[7]!, P[0]!, P[14]!, P[3]!];
    const { q, rank } = benjaminiHochberg(shuffled);
    // sorted: .0001 (r1) .0095 (r2) .0344 (r3) 1 (r4); 4p/r: .0004 .019 .0458667 1
    expect([...rank]).toEqual([3, 1, 4, 2]);
    expect(q[0]).toBeCloseTo(0.0458667, 6);
    expect(q[1]).toBeCloseTo(0.0004, 9);
    expect(q[3]).toBeCloseTo(0.019, 9);
    expect(benjaminiHochberg([NaN, 0.01]).q[0]).toBe(1);
  });
});

describe('clustered and Newey–West standard errors', () => {
  it('clustered SE hand-worked: x = 1,2,3,4,10 in clusters a,a,b,b,c', () => {
    // x̄ = 4; deviations −3 −2 −1 0 6; cluster sums −5, −1, 6; Σ² = 62; V = 3/2 · 62 / 25 = 3.72
    const r = clusteredMeanSe([1, 2, 3, 4, 10], [1, 1, 2, 2, 3]);
    expect(r.clusters).toBe(3);
    expect(r.df).toBe(2);
    expect(r.se).toBeCloseTo(Math.sqrt(3.72), 12);
  });

  it('one observation per cluster: CR1 equals the classic s/√n', () => {
    const xs = [0.3, -1.2, 2.5, 0.7, 1.1, -0.4];
    const n = xs.length;
    const m = xs.reduce((a, b) => a + b) / n;
    const s = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1));
    expect(clusteredMeanSe(xs, [1, 2, 3, 4, 5, 6]).se).toBeCloseTo(s / Math.sqrt(n), 12);
  });

  it('Newey–West hand-worked: x = 1,2,4,5,3 with 0, 1 and 2 lags', () => {
    // x̄ = 3; d = −2 −1 1 2 0; γ0 = 10/5 = 2; γ1 = (2 − 1 + 2 + 0)/5 = 0.6; γ2 = (−2 − 2 + 0)/5 = −0.8
    const xs = [1, 2, 4, 5, 3];
    expect(neweyWestMeanSe(xs, 0)).toBeCloseTo(Math.sqrt(2 / 5), 12);
    // L = 1: (2 + 2 · ½ · 0.6) / 5 = 0.52
    expect(neweyWestMeanSe(xs, 1)).toBeCloseTo(Math.sqrt(0.52), 12);
    // L = 2: (2 + 2 · ⅔ · 0.6 + 2 · ⅓ · (−0.8)) / 5 = 2.266667 / 5
    expect(neweyWestMeanSe(xs, 2)).toBeCloseTo(Math.sqrt(2.2666667 / 5), 7);
  });
});

describe('block bootstrap CI', () => {
  it('cluster bootstrap (L = 1) of 1, 2, 6: the sd of the resampled means is the exact √(σ̂²/G) = √(14/9)', () => {
    // plug-in variance (1/G) Σ (c − c̄)² = (4 + 1 + 9)/3 = 14/3, divided by G = 3
    const ci = blockBootstrapMeanCi([1, 2, 6], [1, 2, 3], { blockLength: 1, draws: 40_000, level: 0.95, rng: createRng(1, 'test') });
    expect(ci.sd / Math.sqrt(14 / 9)).toBeGreaterThan(0.98);
    expect(ci.sd / Math.sqrt(14 / 9)).toBeLessThan(1.02);
    // the exact bootstrap distribution puts 1/27 > 2.5 % on each extreme (all 1s, all 6s)
    expect(ci.lo).toBe(1);
    expect(ci.hi).toBe(6);
  });

  it('many independent clusters: the percentile CI matches x̄ ± 1.96 σ̂/√G', () => {
    const rng = createRng(3, 'data');
    const xs = Array.from({ length: 900 }, () => rng.normal() * 2 + 0.5);
    const days = xs.map((_, i) => Math.floor(i / 3)); // 300 days of three observations
    const ci = blockBootstrapMeanCi(xs, days, { blockLength: 1, draws: 4000, level: 0.95, rng: createRng(7, 'bootstrap') });
    const mean = xs.reduce((a, b) => a + b) / xs.length;
    const se = clusteredMeanSe(xs, days).se;
    expect(Math.abs(ci.lo - (mean - 1.96 * se)) / se).toBeLessThan(0.12);
    expect(Math.abs(ci.hi - (mean + 1.96 * se)) / se).toBeLessThan(0.12);
  });

  it('positively dependent neighbouring days: longer blocks widen the CI (an AR(1) with φ = 0.8)', () => {
    const rng = createRng(5, 'ar');
    const xs: number[] = [];
    let x = 0;
    for (let i = 0; i < 2000; i++) xs.push((x = 0.8 * x + rng.normal()));
    const days = xs.map((_, i) => i);
    const opts = { draws: 2000, level: 0.95 };
    const iid = blockBootstrapMeanCi(xs, days, { ...opts, blockLength: 1, rng: createRng(1, 'b') });
    const block = blockBootstrapMeanCi(xs, days, { ...opts, blockLength: 40, rng: createRng(1, 'b') });
    // the long-run sd of an AR(1) is σ/(1 − φ) against σ/√(1 − φ²): a ratio of √((1+φ)/(1−φ)) = 3
    const ratio = (block.hi - block.lo) / (iid.hi - iid.lo);
    expect(ratio).toBeGreaterThan(2.2);
    expect(ratio).toBeLessThan(3.4);
  });

  it('same seed, same interval; equal clusters give a zero-width interval', () => {
    const args = { blockLength: 2, draws: 500, level: 0.9 } as const;
    const a = blockBootstrapMeanCi([1, 5, 2, 8, 3], [1, 2, 3, 4, 5], { ...args, rng: createRng(9, 's') });
    const b = blockBootstrapMeanCi([1, 5, 2, 8, 3], [1, 2, 3, 4, 5], { ...args, rng: createRng(9, 's') });
    expect(a).toEqual(b);
    const flat = blockBootstrapMeanCi([2, 2, 2, 2], [1, 2, 3, 4], { ...args, rng: createRng(9, 's') });
    expect([flat.lo, flat.hi]).toEqual([2, 2]);
  });
});
