import { describe, expect, test } from 'vitest';
import { attributeAsset, splitAmount } from '../../src/portfolio/attribution.js';

// one asset (S = 1), three models
const run = (q: number, tq: number[], qm: number[], eligible = [1, 1, 1]) => {
  const qmA = Float64Array.from(qm);
  const delta = new Float64Array(3);
  attributeAsset(0, 1, 3, q, Float64Array.from(tq), qmA, Uint8Array.from(eligible), delta);
  return { qm: Array.from(qmA), delta: Array.from(delta) };
};

describe('attributeAsset', () => {
  test('each model holds its target when the position matches', () => {
    expect(run(35, [50, -15, 0], [0, 0, 0])).toEqual({ qm: [50, -15, 0], delta: [50, -15, 0] });
  });
  test('a residual (lot rounding) is shared by |target|', () => {
    // targets 30 and 10 (sum 40), position 36: residual −4 split 3:1
    expect(run(36, [30, 10, 0], [0, 0, 0]).qm).toEqual([27, 9, 0]);
  });
  test('all targets zero: the position stays with its previous holders', () => {
    expect(run(10, [0, 0, 0], [6, 4, 0]).qm).toEqual([6, 4, 0]);
  });
  test('nobody held anything: equal split among eligible models', () => {
    expect(run(10, [0, 0, 0], [0, 0, 0], [1, 1, 0]).qm).toEqual([5, 5, 0]);
  });
  test('the sum always equals the position', () => {
    const cases: [number, number[], number[]][] = [[7, [3, -2, 9], [1, 1, 1]], [-4, [0, 0, 0], [2, -6, 0]], [0, [5, -5, 0], [0, 0, 0]]];
    for (const [q, tq, qm] of cases) {
      const r = run(q, tq, qm);
      expect(r.qm.reduce((s, x) => s + x, 0)).toBeCloseTo(q, 12);
      expect(r.delta.reduce((s, x) => s + x, 0)).toBeCloseTo(q - qm.reduce((s, x) => s + x, 0), 12);
    }
  });
});

describe('splitAmount', () => {
  test('pro rata by |weight|', () => {
    const acc = new Float64Array(3);
    splitAmount(6, Float64Array.of(1, -2, 0), 3, acc);
    expect(Array.from(acc)).toEqual([2, 4, 0]);
  });
});
