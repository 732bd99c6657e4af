/**
 * Experiments: which overlay fields become search dimensions, what values a range gives (worked by
 * hand), and that bad input is one line naming the file and the YAML path.
 */
import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config/load.js';
import fc from 'fast-check';
import { canonicalJson } from '../../src/core/canonical.js';
import { experimentFromOverlay, planOfPoint, planOfPointInFull } from '../../src/optimize/experiment.js';
import { trialKey } from '../../src/optimize/trial.js';
import { gridPoints, gridSize, parseGridFlag } from '../../src/optimize/dimensions.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const base = loadConfig(resolve(root, 'configs/base.yaml')).config;
const exp = (overlay: unknown) => experimentFromOverlay('t', overlay, base, 'exp.yaml');

describe('dimensions in an overlay', () => {
  it('a list, a range and distributions are dimensions; a list where the base holds a list replaces it', () => {
    const e = exp({
      optimize: { model: 'sma_cross' },
      backtest: {
        models: {
          sma_cross: { parameters: { fast: [5, 10], slow: { from: 20, to: 30, step: 5 } } },
          equity_trend: { parameters: { momentum_days: [21, 63], sma_days: { int: [100, 102] }, weight_step: { uniform: [0.1, 0.5] } } },
        },
      },
    });
    const byPath = Object.fromEntries(e.dimensions.map((d) => [d.path, d]));
    expect(byPath['backtest.models.sma_cross.parameters.fast']).toEqual({ path: 'backtest.models.sma_cross.parameters.fast', kind: 'discrete', values: [5, 10] });
    expect(byPath['backtest.models.sma_cross.parameters.slow']).toMatchObject({ values: [20, 25, 30] });
    expect(byPath['backtest.models.equity_trend.parameters.sma_days']).toMatchObject({ values: [100, 101, 102] });
    expect(byPath['backtest.models.equity_trend.parameters.weight_step']).toMatchObject({ kind: 'continuous', low: 0.1, high: 0.5, log: false });
    // momentum_days is a list-valued field: [21, 63] replaces it, it is no dimension
    expect(byPath['backtest.models.equity_trend.parameters.momentum_days']).toBeUndefined();
    expect(e.config.backtest.models['equity_trend']!.parameters['momentum_days']).toEqual([21, 63]);
    expect(e.dimensions).toHaveLength(4);
  });

  it('a fractional range keeps its decimals (0.1 steps, not 0.30000000000000004)', () => {
    const e = exp({ backtest: { risk: { max_gross: { from: 0.1, to: 0.5, step: 0.1 } } } });
    expect(e.dimensions[0]).toMatchObject({ path: 'backtest.risk.max_gross', values: [0.1, 0.2, 0.3, 0.4, 0.5] });
  });

  it('the grid enumerates the discrete dimensions, first dimension slowest', () => {
    const dims = parseGridFlag('fast=5..15:5,slow=20|40', (n) => n);
    expect(gridSize(dims)).toBe(6);
    expect(gridPoints(dims)).toEqual([
      { fast: 5, slow: 20 }, { fast: 5, slow: 40 }, { fast: 10, slow: 20 }, { fast: 10, slow: 40 }, { fast: 15, slow: 20 }, { fast: 15, slow: 40 },
    ]);
  });

  it('a point becomes a single-model plan with its parameters; an infeasible one names the parameter', () => {
    const e = exp({ optimize: { model: 'sma_cross', interval: '1d' } });
    const plan = planOfPoint(e, { 'backtest.models.sma_cross.parameters.fast': 7, 'backtest.models.sma_cross.parameters.slow': 21 });
    expect(plan.models[0]!.params).toMatchObject({ fast: 7, slow: 21 });
    expect(plan.interval).toBe('1d');
    expect(() => planOfPoint(e, { 'backtest.models.sma_cross.parameters.fast': 30, 'backtest.models.sma_cross.parameters.slow': 21 })).toThrow(/fast.*shorter than slow/);
  });

  it('a point of the model’s own parameters gives the plan (and trial key) of validating its whole configuration, errors included', () => {
    const P = 'backtest.models.sma_cross.parameters.';
    const bases = [
      exp({ optimize: { model: 'sma_cross', interval: '1h', commission_pct: 0.1 } }),
      exp({ optimize: { model: 'sma_cross' }, backtest: { risk: { max_gross: 0.8 }, models: { sma_cross: { parameters: { fast: [3, 4], size: 'units:2' } } } } }),
      // a point on another path (or a new parameter the model rejects) takes the full validation
      exp({ optimize: { model: 'sma_cross', interval: '1d' }, backtest: { execution: { fill: 'same_close' } } }),
    ];
    // mostly feasible points, sometimes a value or a parameter the model rejects, or another path
    const rarely = <T,>(arb: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(undefined), weight: 6 }, { arbitrary: arb, weight: 1 });
    const point = fc
      .record({
        fast: fc.integer({ min: 0, max: 60 }),
        slow: fc.integer({ min: 1, max: 90 }),
        short: rarely(fc.constantFrom(true, false, 'yes')),
        size: rarely(fc.constantFrom('equity:0.95', 'units:3', 'bad')),
        extra: rarely(fc.constant(1)),
        maxGross: rarely(fc.constantFrom(0.5, -1)),
      })
      .map(({ fast, slow, short, size, extra, maxGross }) => ({
        [`${P}fast`]: fast,
        [`${P}slow`]: slow,
        ...(short !== undefined ? { [`${P}short`]: short } : {}),
        ...(size !== undefined ? { [`${P}size`]: size } : {}),
        ...(extra !== undefined ? { [`${P}extra`]: extra } : {}),
        ...(maxGross !== undefined ? { 'backtest.risk.max_gross': maxGross } : {}),
      }));
    const outcome = (plan: () => unknown): string => {
      try {
        const p = plan() as Parameters<typeof trialKey>[0];
        return `${canonicalJson(p)} ${trialKey(p, 'data')}`;
      } catch (err) {
        return `error: ${(err as Error).message}`;
      }
    };
    let errors = 0;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: bases.length - 1 }), point, (b, pt) => {
        const fast = outcome(() => planOfPoint(bases[b]!, pt));
        expect(fast).toBe(outcome(() => planOfPointInFull(bases[b]!, pt)));
        if (fast.startsWith('error')) errors++;
      }),
      { numRuns: 300, seed: 16 },
    );
    // both kinds occur: feasible plans and refusals (fast ≥ slow, a bad size, a negative max_gross)
    expect(errors).toBeGreaterThan(30);
    expect(errors).toBeLessThan(270);
    // the comparison can fail: another parameter value gives another plan and key
    const a = outcome(() => planOfPoint(bases[0]!, { [`${P}fast`]: 5, [`${P}slow`]: 20 }));
    expect(a).not.toBe(outcome(() => planOfPointInFull(bases[0]!, { [`${P}fast`]: 5, [`${P}slow`]: 21 })));
  });
});

describe('bad experiments: one line naming the file and the YAML path', () => {
  it.each([
    [{ backtest: { models: { sma_cross: { parameters: { fast: { from: 10, to: 5 } } } } } }, "exp.yaml: backtest.models.sma_cross.parameters.fast.to: 'to' must be at least 'from'"],
    [{ backtest: { risk: { max_gross: { from: 1, to: 2, step: 0 } } } }, 'exp.yaml: backtest.risk.max_gross.step: step must be > 0'],
    [{ backtest: { risk: { max_gross: { uniform: [2, 1] } } } }, 'exp.yaml: backtest.risk.max_gross.uniform: the second bound must exceed the first'],
    [{ backtest: { risk: { max_gross: [] } } }, 'exp.yaml: backtest.risk.max_gross: an empty list is no search dimension'],
    [{ optimize: { ea: { generations: -1 } } }, 'exp.yaml: optimize.ea.generations'],
    [{ optimize: { model: 'nope' } }, "exp.yaml: optimize.model: unknown model 'nope'"],
    [{ backtest: { risk: { max_gross: ['a', 'b'] } } }, 'exp.yaml: backtest.risk.max_gross'],
  ])('%j', (overlay, message) => {
    expect(() => exp(overlay)).toThrow(message);
  });
});
