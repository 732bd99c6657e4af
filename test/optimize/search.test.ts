/**
 * Must-show 1 of the optimiser: a grid over a planted-optimum objective finds the planted point; the
 * evolutionary search reaches the grid's best of a known test function (Rastrigin on a discrete
 * lattice, global minimum 0 at the origin) with fewer evaluations than the grid; the same seed gives
 * the same trials, a different seed different ones. The objectives are computed here, independently
 * of the optimiser, and the expected optima are analytic facts.
 */
import { describe, expect, it } from 'vitest';
import { parseDimensionObject, type Dimension, type Point } from '../../src/optimize/dimensions.js';
import { runSearch, type Evaluate, type SearchSettings } from '../../src/optimize/search.js';

const range = (path: string, from: number, to: number, step: number): Dimension => ({ ...parseDimensionObject({ from, to, step }, path, 'test'), path });
const noEa = { generations: 0, population: 16, elite: 2, mutation: 0.3, crossover: 0.7, tournament: 3 };

/** Wrap a point function as an evaluator that also counts calls (points evaluated). */
function counted(f: (p: Point) => number): { evaluate: Evaluate; calls: Point[] } {
  const calls: Point[] = [];
  return {
    calls,
    evaluate: async (points) => {
      calls.push(...points);
      return points.map(f);
    },
  };
}

/** Rastrigin (Rastrigin 1974; Mühlenbein et al. 1991): 10·n + Σ (x² − 10 cos 2πx); global minimum 0 at x = 0. */
const rastrigin = (xs: readonly number[]): number => 10 * xs.length + xs.reduce((s, x) => s + x * x - 10 * Math.cos(2 * Math.PI * x), 0);

describe('grid search', () => {
  it('finds a planted optimum (fast = 17, slow = 130) among 46 × 19 points', async () => {
    const dims = [range('fast', 5, 50, 1), range('slow', 20, 200, 10)];
    // a smooth bowl with its top at the planted point, plus a ridge elsewhere that is lower
    const f = (p: Point) => -(((p['fast'] as number) - 17) ** 2) - (((p['slow'] as number) - 130) / 10) ** 2 + ((p['fast'] as number) === 40 ? -5 : 0);
    const { evaluate, calls } = counted(f);
    const out = await runSearch(dims, { grid: true, random: 0, ea: noEa, seed: 1 }, evaluate);
    expect(calls).toHaveLength(46 * 19);
    expect(out.best?.point).toEqual({ fast: 17, slow: 130 });
    expect(out.best?.score).toBe(0);
  });
});

describe('evolutionary refinement on Rastrigin (2-D lattice, step 0.08 on [−5.12, 5.12])', () => {
  const dims = [range('x', -5.12, 5.12, 0.08), range('y', -5.12, 5.12, 0.08)];
  const score = (p: Point) => -rastrigin([p['x'] as number, p['y'] as number]);
  const hybrid = (seed: number): SearchSettings => ({ grid: false, random: 40, ea: { generations: 40, population: 30, elite: 3, mutation: 0.4, crossover: 0.7, tournament: 3 }, seed });

  it('the lattice holds the origin exactly (0 is a value of both dimensions)', () => {
    for (const d of dims) expect(d.kind === 'discrete' && d.values.includes(0)).toBe(true);
  });

  it('reaches the grid best (0 at the origin) with fewer evaluations than the grid', async () => {
    const grid = counted(score);
    const full = await runSearch(dims, { grid: true, random: 0, ea: noEa, seed: 1 }, grid.evaluate);
    expect(grid.calls).toHaveLength(129 * 129);
    expect(full.best?.point).toEqual({ x: 0, y: 0 });
    expect(full.best?.score).toBeCloseTo(0, 12);
    for (const seed of [1, 2, 3]) {
      const ea = counted(score);
      const out = await runSearch(dims, hybrid(seed), ea.evaluate);
      expect(out.best?.point, `seed ${seed}`).toEqual({ x: 0, y: 0 });
      expect(out.best?.score).toBe(full.best?.score);
      expect(ea.calls.length).toBeLessThan(grid.calls.length / 10);
    }
  });

  it('the same seed proposes the same trials in the same order; another seed does not', async () => {
    const a = counted(score);
    const b = counted(score);
    const c = counted(score);
    await runSearch(dims, hybrid(7), a.evaluate);
    await runSearch(dims, hybrid(7), b.evaluate);
    await runSearch(dims, hybrid(8), c.evaluate);
    expect(b.calls).toEqual(a.calls);
    expect(c.calls).not.toEqual(a.calls);
  });

  it('never evaluates a point twice', async () => {
    const a = counted(score);
    await runSearch(dims, hybrid(5), a.evaluate);
    const keys = a.calls.map((p) => `${p['x']},${p['y']}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
