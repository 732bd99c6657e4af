/**
 * PBO by CSCV (Bailey, Borwein, López de Prado & Zhu 2015) against a hand-worked 2-trial case and
 * an independent straightforward implementation written here: splits enumerated as bit masks,
 * each half's rows concatenated and its Sharpe computed two-pass from the raw returns.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import { combinations, overfitReport, pboCscv, slicesFor } from '../../src/overfit/index.js';

/** mean / sample sd of an array, two-pass; −∞ when undefined. */
function sharpeOf(xs: number[]): number {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
  return variance > 0 ? mean / Math.sqrt(variance) : -Infinity;
}

/** The paper's procedure, written plainly. */
function referencePbo(matrix: Float64Array[], slices: number): { pbo: number; logits: number[] } {
  const length = matrix[0]!.length;
  const rows = Math.floor(length / slices);
  const skip = length - rows * slices;
  const logits: number[] = [];
  for (let mask = 0; mask < 1 << slices; mask++) {
    let bits = 0;
    for (let b = 0; b < slices; b++) if (mask & (1 << b)) bits++;
    if (bits !== slices / 2) continue;
    const rowsOf = (inTrain: boolean) => {
      const idx: number[] = [];
      for (let b = 0; b < slices; b++) if (Boolean(mask & (1 << b)) === inTrain) for (let i = 0; i < rows; i++) idx.push(skip + b * rows + i);
      return idx;
    };
    const trainRows = rowsOf(true);
    const testRows = rowsOf(false);
    const isSr = matrix.map((r) => sharpeOf(trainRows.map((i) => r[i]!)));
    const oosSr = matrix.map((r) => sharpeOf(testRows.map((i) => r[i]!)));
    const best = isSr.indexOf(Math.max(...isSr));
    const sorted = [...oosSr].sort((a, b) => a - b);
    const rank = sorted.indexOf(oosSr[best]!) + 1; // 1 = worst; lowest rank among ties
    const omega = rank / (matrix.length + 1);
    logits.push(Math.log(omega / (1 - omega)));
  }
  // Order: masks ascending differ from lexicographic combinations; compare as sorted multisets.
  return { pbo: logits.filter((l) => l <= 0).length / logits.length, logits: logits.sort((a, b) => a - b) };
}

function noiseMatrix(seed: number, trials: number, bars: number, drift: (n: number) => number = () => 0): Float64Array[] {
  const rng = createRng(seed);
  return Array.from({ length: trials }, (_, n) => Float64Array.from({ length: bars }, () => drift(n) + 0.01 * rng.normal()));
}

describe('probability of backtest overfitting (CSCV)', () => {
  it('hand-worked: two trials, two blocks — the in-sample best is the out-of-sample worst in both splits → PBO 1', () => {
    // A: block 0 [0.01, 0.03] SR 1.414, block 1 [0.00, 0.02] SR 0.707
    // B: block 0 [0.01, 0.02] SR 2.121, block 1 [−0.01, −0.02] SR −2.121
    // split J = {0}: best B (2.12), on J̄ B −2.12 < A 0.71 → rank 1, ω = 1/3, λ = −ln 2
    // split J = {1}: best A (0.71), on J̄ A 1.41 < B 2.12 → rank 1, ω = 1/3, λ = −ln 2
    const a = Float64Array.from([0.01, 0.03, 0.0, 0.02]);
    const b = Float64Array.from([0.01, 0.02, -0.01, -0.02]);
    const r = pboCscv([a, b], { slices: 2 });
    expect(r.splits.map((s) => s.chosen)).toEqual([1, 0]);
    expect(r.splits[0]!.inSample).toBeCloseTo(0.015 / Math.sqrt(0.00005), 10);
    expect(r.splits[0]!.outOfSample).toBeCloseTo(-0.015 / Math.sqrt(0.00005), 10);
    for (const s of r.splits) {
      expect(s.omega).toBeCloseTo(1 / 3, 12);
      expect(s.logit).toBeCloseTo(-Math.log(2), 12);
    }
    expect(r.pbo).toBe(1);
    expect(r.probOosLoss).toBe(0.5);
  });

  it('equals the straightforward implementation on random matrices (several sizes, odd row counts dropped at the front)', () => {
    for (const [seed, trials, bars, slices] of [[1, 7, 203, 8], [2, 20, 160, 10], [3, 3, 97, 6], [4, 12, 330, 12]] as const) {
      const m = noiseMatrix(seed, trials, bars, (n) => 0.0004 * Math.sin(n));
      const got = pboCscv(m, { slices });
      const ref = referencePbo(m, slices);
      expect(got.splits.length).toBe(ref.logits.length);
      expect(got.pbo).toBe(ref.pbo);
      const gotLogits = got.splits.map((s) => s.logit).sort((a, b) => a - b);
      gotLogits.forEach((l, i) => expect(l).toBeCloseTo(ref.logits[i]!, 9));
    }
  });

  it('a genuinely better trial among noise gives PBO 0; pure noise gives a PBO near one half', () => {
    const skilled = pboCscv(noiseMatrix(5, 10, 800, (n) => (n === 3 ? 0.01 : 0)), { slices: 8 });
    expect(skilled.pbo).toBe(0);
    expect(skilled.splits.every((s) => s.chosen === 3)).toBe(true);
    const noise = pboCscv(noiseMatrix(6, 30, 1600, () => 0), { slices: 16 });
    expect(noise.splits.length).toBe(12870); // C(16, 8)
    expect(noise.pbo).toBeGreaterThan(0.2);
    expect(noise.pbo).toBeLessThan(0.8);
  });

  it('combinations are C(n, k) distinct ascending subsets; slice counts adapt to short series', () => {
    const c = combinations(6, 3);
    expect(c.length).toBe(20);
    expect(new Set(c.map((x) => x.join(','))).size).toBe(20);
    expect(c.every((x) => x[0]! < x[1]! && x[1]! < x[2]!)).toBe(true);
    expect(slicesFor(1000)).toBe(16);
    expect(slicesFor(20)).toBe(10);
    expect(slicesFor(3)).toBe(0);
  });

  it('bad input is one clear error; the report says why PBO is missing', () => {
    expect(() => pboCscv([new Float64Array(40)], { slices: 4 })).toThrow(/at least 2 trials/);
    expect(() => pboCscv([new Float64Array(40), new Float64Array(40)], { slices: 3 })).toThrow(/even number/);
    expect(() => pboCscv([new Float64Array(40), new Float64Array(39)], { slices: 4 })).toThrow(/equal length/);
    const one = noiseMatrix(7, 1, 100);
    expect(overfitReport({ selected: one[0]!, trials: one }).pboReason).toMatch(/one trial/);
  });
});
