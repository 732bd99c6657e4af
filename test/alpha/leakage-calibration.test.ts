/**
 * Must-show 2 and 4: purged, embargoed folds leave no training label window overlapping a test
 * row's (checked pair by pair here, not through the code's own check), and the fit's check
 * (assertPurged) catches a fold builder without purge and a label longer than the purge. Isotonic
 * calibration is monotone and equals the min–max formula of the isotonic fit,
 * m_i = max_{j≤i} min_{k≥i} mean(y_j..y_k) (Barlow et al. 1972).
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import { assertPurged, purgedFolds } from '../../src/alpha/folds.js';
import { calibrate, fitCalibration, poolAdjacentViolators } from '../../src/alpha/calibrate.js';

/** Rows of a panel: `symbols` rows per bar, bars 0..bars−1 with a few missing bars. */
function rowBars(bars: number, symbols: number): Int32Array {
  const out: number[] = [];
  for (let t = 0; t < bars; t++) if (t % 37 !== 5) for (let i = 0; i < symbols; i++) out.push(t);
  return Int32Array.from(out);
}

describe('purge and embargo', () => {
  const bar = rowBars(600, 3);
  for (const [h, embargo, folds] of [[4, 4, 5], [12, 0, 4], [1, 6, 6]] as const) {
    it(`h = ${h}, embargo ${embargo}, ${folds} folds: no training label window (t, t+h] overlaps any test row's; embargo holds`, () => {
      const fs = purgedFolds(bar, { folds, horizon: h, embargo });
      expect(fs).toHaveLength(folds);
      for (const f of fs) {
        const testBars = new Set(Array.from(f.test, (r) => bar[r]!));
        const overlaps: string[] = [];
        for (const r of f.train) {
          const t = bar[r]!;
          for (const u of testBars) if (!(t + h <= u || t >= u + h)) overlaps.push(`train ${t} vs test ${u}`);
          // embargo: nothing in the `embargo` bars after the test labels end
          if (t > f.testTo && t < f.testTo + h + embargo) overlaps.push(`train ${t} inside the embargo`);
        }
        expect(overlaps.slice(0, 3)).toEqual([]);
        // every row is in test or train or purged, never both
        for (const r of f.train) expect(testBars.has(bar[r]!)).toBe(false);
      }
      // the test blocks cover every row exactly once
      const seen = new Int32Array(bar.length);
      for (const f of fs) for (const r of f.test) seen[r]!++;
      expect(Array.from(seen).every((c) => c === 1)).toBe(true);
      expect(() => assertPurged(fs, bar, h)).not.toThrow();
    });
  }

  it('a fold builder without purge is caught by the fit\'s check, naming the fold and bars', () => {
    const leaky = purgedFolds(bar, { folds: 5, horizon: 0, embargo: 0 });
    expect(() => assertPurged(leaky, bar, 4)).toThrow(/fold \d: the label window of training bar \d+ overlaps test bar \d+'s \(purge failed\)$/);
  });

  it('a deliberately leaky label (8 bars, folds purged for 4) is caught', () => {
    const folds = purgedFolds(bar, { folds: 5, horizon: 4, embargo: 4 });
    expect(() => assertPurged(folds, bar, 4)).not.toThrow();
    expect(() => assertPurged(folds, bar, 8)).toThrow(/purge failed/);
  });

  it('too few bars for the folds is one clear line', () => {
    expect(() => purgedFolds(Int32Array.from([0, 1, 2]), { folds: 5, horizon: 1, embargo: 1 })).toThrow('too few bars with data (3) for 5 folds');
  });
});

/** m_i = max_{j≤i} min_{k≥i} mean(y_j..y_k): the isotonic regression, written from its definition. */
function isotonicMinMax(y: number[]): number[] {
  const n = y.length;
  const prefix = [0];
  for (const v of y) prefix.push(prefix.at(-1)! + v);
  const mean = (j: number, k: number): number => (prefix[k + 1]! - prefix[j]!) / (k - j + 1);
  return y.map((_, i) => {
    let best = -Infinity;
    for (let j = 0; j <= i; j++) {
      let lo = Infinity;
      for (let k = i; k < n; k++) lo = Math.min(lo, mean(j, k));
      best = Math.max(best, lo);
    }
    return best;
  });
}

describe('isotonic calibration', () => {
  it('the textbook case: y = [1, 3, 2, 4, 3, 5] → [1, 2.5, 2.5, 3.5, 3.5, 5]', () => {
    const r = poolAdjacentViolators(Float64Array.from([1, 2, 3, 4, 5, 6]), Float64Array.from([1, 3, 2, 4, 3, 5]));
    expect(Array.from(r.fitted)).toEqual([1, 2.5, 2.5, 3.5, 3.5, 5]);
  });

  for (const seed of [1, 2, 3]) {
    it(`equals the min–max formula and is monotone (noisy data, seed ${seed})`, () => {
      const rng = createRng(seed, 'test/pav');
      const n = 300;
      const x = Float64Array.from({ length: n }, (_, i) => i / n);
      const y = Float64Array.from(x, (v) => 0.3 * v + rng.normal() * 0.5);
      const r = poolAdjacentViolators(x, y);
      const ref = isotonicMinMax(Array.from(y));
      for (let i = 0; i < n; i++) expect(Math.abs(r.fitted[i]! - ref[i]!)).toBeLessThan(1e-12);
      for (let i = 1; i < n; i++) expect(r.fitted[i]!).toBeGreaterThanOrEqual(r.fitted[i - 1]!);
    });
  }

  it('fitCalibration (unsorted scores) gives a non-decreasing μ(s), equal to the block means at the knots', () => {
    const rng = createRng(9, 'test/pav');
    const s = Float64Array.from({ length: 500 }, () => rng.normal());
    const y = Float64Array.from(s, (v) => 0.01 * v + 0.02 * rng.normal());
    const c = fitCalibration('isotonic', s, y);
    let prev = -Infinity;
    for (let v = -4; v <= 4; v += 0.01) { const m = calibrate(c, v); expect(m).toBeGreaterThanOrEqual(prev); prev = m; }
    const order = Array.from(s.keys()).sort((a, b) => s[a]! - s[b]!);
    const ref = isotonicMinMax(order.map((i) => y[i]!));
    const distinct = [...new Set(ref)];
    expect(c.mu).toHaveLength(distinct.length);
    c.mu.forEach((m, k) => expect(Math.abs(m - distinct[k]!)).toBeLessThan(1e-12));
  });

  it('linear calibration is the least-squares line; binned gives each equal-count bin\'s mean', () => {
    const s = Float64Array.from([0, 1, 2, 3]);
    const y = Float64Array.from([1, 3, 5, 7]);
    const lin = fitCalibration('linear', s, y);
    expect(calibrate(lin, 10)).toBeCloseTo(21, 12);
    const bin = fitCalibration('binned', s, y, 2);
    expect([calibrate(bin, 0.5), calibrate(bin, 2.5)]).toEqual([2, 6]);
  });
});
