import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quantisedSplit } from '../../src/models/lib/quantise.js';

describe('quantisedSplit (largest remainder)', () => {
  it('splits 0.7/0.3 into 0.75/0.25 with step 0.25', () => {
    expect(quantisedSplit([0.07, 0.03], 1, 0.25)).toEqual([0.75, 0.25]);
  });
  it('sums exactly to the total and gives ties to the earlier name', () => {
    expect(quantisedSplit([1, 1, 1], 1, 0.25)).toEqual([0.5, 0.25, 0.25]);
    expect(quantisedSplit([1, 1], 1, 0.25)).toEqual([0.5, 0.5]);
  });
  it('ignores non-positive and NaN scores; all zero → all zero', () => {
    expect(quantisedSplit([0.2, -0.1, NaN], 1, 0.1)).toEqual([1, 0, 0]);
    expect(quantisedSplit([0, 0], 1, 0.25)).toEqual([0, 0]);
  });
  it('equals the sort-based largest-remainder split, value for value, on random scores', () => {
    // the textbook form: floor the quotas, then hand the units left to the largest remainders
    // (ties to the earlier name), one each, in turn
    const reference = (scores: readonly number[], total: number, step: number): number[] => {
      const out = new Array<number>(scores.length).fill(0);
      let sum = 0;
      for (const s of scores) if (s > 0) sum += s;
      if (!(sum > 0) || !(total > 0)) return out;
      const units = Math.max(1, Math.round(total / step));
      const raw = scores.map((s) => (s > 0 ? (s / sum) * units : 0));
      const whole = raw.map((r) => Math.floor(r));
      let left = units - whole.reduce((a, b) => a + b, 0);
      const order = raw
        .map((r, i) => ({ i, rem: r - whole[i]! }))
        .filter((o) => scores[o.i]! > 0)
        .sort((a, b) => b.rem - a.rem || a.i - b.i);
      for (let k = 0; left > 0 && order.length > 0; k = (k + 1) % order.length, left--) whole[order[k]!.i]!++;
      return whole.map((w) => (w / units) * total);
    };
    const score = fc.oneof(fc.double({ min: -1, max: 1, noNaN: true }), fc.constantFrom(0, NaN, 0.25, 0.5, 1e-9), fc.integer({ min: -3, max: 5 }).map((k) => k / 8));
    fc.assert(
      fc.property(fc.array(score, { minLength: 1, maxLength: 24 }), fc.constantFrom(1, 0.6, 0.95, 2), fc.constantFrom(0.25, 0.1, 0.05, 1 / 3, 0.3), (scores, total, step) => {
        const got = quantisedSplit(scores, total, step);
        const want = reference(scores, total, step);
        expect(got.length).toBe(want.length);
        got.forEach((g, i) => expect(Object.is(g, want[i])).toBe(true));
      }),
      { numRuns: 2000, seed: 20261206 },
    );
  });
});

