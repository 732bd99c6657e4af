import { describe, expect, it } from 'vitest';
import { baumWelch } from '../../../src/regime/hmm/baum-welch.js';
import { fitGaussianHmm, varianceFloorOf } from '../../../src/regime/hmm/fit.js';
import { initKMeans } from '../../../src/regime/hmm/init.js';
import { createRng } from '../../../src/core/rng.js';
import { FOUR_STATE, params, simulateHmm } from './simulate.js';

const fitOpts = { k: 4, maxIterations: 300, tolerance: 1e-9, varianceFloorFraction: 1e-3, restarts: 3, stay: 0.9, seed: 7 };

/** Match fitted states to true states by the order of the return mean (true means are distinct). */
function orderByMean(means: Float64Array, k: number, d: number): number[] {
  return [...Array(k).keys()].sort((a, b) => means[a * d]! - means[b * d]!);
}

/** Stationary distribution of a transition matrix by power iteration. */
function stationary(trans: Float64Array, k: number): number[] {
  let v = new Array<number>(k).fill(1 / k);
  for (let it = 0; it < 5000; it++) {
    const w = new Array<number>(k).fill(0);
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) w[j]! += v[i]! * trans[i * k + j]!;
    v = w;
  }
  return v;
}

describe('Baum–Welch', () => {
  const { x } = simulateHmm(FOUR_STATE, 3000, 12);

  it('never lowers the log-likelihood from one iteration to the next', () => {
    const floor = varianceFloorOf(x, 3000, 2, 1e-3);
    const init = initKMeans(x, 3000, 2, createRng(1, 'test'), { k: 4, stay: 0.9, varianceFloor: floor });
    const res = baumWelch(x, 3000, init, { maxIterations: 60, tolerance: 0, varianceFloor: floor });
    expect(res.history.length).toBe(61);
    for (let i = 1; i < res.history.length; i++) {
      expect(res.history[i]! - res.history[i - 1]!).toBeGreaterThanOrEqual(-1e-9 * Math.abs(res.history[i - 1]!));
    }
    expect(res.history[res.history.length - 1]!).toBeGreaterThan(res.history[0]! + 10);
  });

  it('stays monotone when the variance floor binds', () => {
    const floor = varianceFloorOf(x, 3000, 2, 0.5); // half of each feature's variance: binds for most states
    const init = initKMeans(x, 3000, 2, createRng(2, 'test'), { k: 4, stay: 0.9, varianceFloor: floor });
    const res = baumWelch(x, 3000, init, { maxIterations: 40, tolerance: 0, varianceFloor: floor });
    for (let i = 1; i < res.history.length; i++) {
      expect(res.history[i]! - res.history[i - 1]!).toBeGreaterThanOrEqual(-1e-9 * Math.abs(res.history[i - 1]!));
    }
    for (let j = 0; j < 8; j++) expect(res.params.vars[j]!).toBeGreaterThanOrEqual(floor[j % 2]!);
  });

  it('recovers the generating parameters of a simulated 4-state model (within 4 standard errors)', () => {
    const fit = fitGaussianHmm(x, 3000, 2, fitOpts);
    const order = orderByMean(fit.params.means, 4, 2);
    const truthOrder = orderByMean(FOUR_STATE.means, 4, 2);
    const occupancy = stationary(FOUR_STATE.trans, 4).map((q) => q * 3000);
    for (let r = 0; r < 4; r++) {
      const j = order[r]!;
      const s = truthOrder[r]!;
      const nS = occupancy[s]!;
      for (let f = 0; f < 2; f++) {
        const sd = Math.sqrt(FOUR_STATE.vars[s * 2 + f]!);
        // mean: standard error σ/√n_s; standard deviation: relative standard error 1/√(2 n_s)
        expect(Math.abs(fit.params.means[j * 2 + f]! - FOUR_STATE.means[s * 2 + f]!)).toBeLessThan((4 * sd) / Math.sqrt(nS));
        expect(Math.abs(Math.sqrt(fit.params.vars[j * 2 + f]!) / sd - 1)).toBeLessThan(4 / Math.sqrt(2 * nS));
      }
      // persistence (diagonal of the transition matrix): binomial standard error √(p(1−p)/n_s)
      const stay = FOUR_STATE.trans[s * 4 + s]!;
      expect(Math.abs(fit.params.trans[j * 4 + j]! - stay)).toBeLessThan(4 * Math.sqrt((stay * (1 - stay)) / nS));
    }
    expect(fit.converged).toBe(true);
  });

  it('is deterministic for a fixed seed', () => {
    const a = fitGaussianHmm(x.subarray(0, 2000), 1000, 2, { ...fitOpts, maxIterations: 30 });
    const b = fitGaussianHmm(x.subarray(0, 2000), 1000, 2, { ...fitOpts, maxIterations: 30 });
    expect([...a.params.means]).toEqual([...b.params.means]);
    expect(a.logLik).toBe(b.logLik);
  });

  it('fits a one-state model to the sample moments (variance with divisor n)', () => {
    const data = Float64Array.from([1, 2, 3, 4, 10]);
    const init = params(1, 1, [1], [1], [0], [1]);
    const res = baumWelch(data, 5, init, { maxIterations: 5, tolerance: 0, varianceFloor: Float64Array.of(1e-12) });
    expect(res.params.means[0]).toBeCloseTo(4, 12);
    expect(res.params.vars[0]).toBeCloseTo((9 + 4 + 1 + 0 + 36) / 5, 12);
  });

  it('ignores missing rows in the emission update', () => {
    const data = Float64Array.from([1, Number.NaN, 3]);
    const res = baumWelch(data, 3, params(1, 1, [1], [1], [0], [1]), { maxIterations: 3, tolerance: 0, varianceFloor: Float64Array.of(1e-12) });
    expect(res.params.means[0]).toBeCloseTo(2, 12);
    expect(res.params.vars[0]).toBeCloseTo(1, 12);
  });

  it('rejects too few observations for the number of states with a clear message', () => {
    expect(() => fitGaussianHmm(Float64Array.from([1, 2, Number.NaN, Number.NaN]), 2, 2, fitOpts)).toThrow(/needs at least 4 complete observations/);
  });

  it('handles a constant series (variance floor keeps it finite)', () => {
    const c = new Float64Array(200).fill(0.5);
    const fit = fitGaussianHmm(c, 100, 2, { ...fitOpts, k: 2 });
    expect(Number.isFinite(fit.logLik)).toBe(true);
    for (const v of fit.params.vars) expect(v).toBeGreaterThan(0);
  });
});
