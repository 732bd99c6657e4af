/**
 * `trialKeyAndDigest` (trial.ts), which the runner uses to make every point's trial key and plan
 * digest from one canonical writing of the plan, gives exactly `trialKey(plan, data)` and
 * `digestOf(plan)`: on the plans of a grid (sharing the regime section, with the memo of sections
 * kept across them, as the runner does) and on random plan-like objects (fast-check: undefined and
 * extra fields, -0, NaN and infinities, nested arrays and objects, sections shared between plans).
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { digestOf } from '../../src/core/canonical.js';
import { experimentFromOverlay, planOfPoint } from '../../src/optimize/experiment.js';
import { gridPoints, parseGridFlag } from '../../src/optimize/dimensions.js';
import { planInWindow, trialKey, trialKeyAndDigest } from '../../src/optimize/trial.js';
import type { BacktestPlan } from '../../src/backtest/run-backtest-plan.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

describe('trialKeyAndDigest', () => {
  it('gives trialKey and digestOf for every point of a grid, the shared sections written once', () => {
    const base = loadConfig(join(root, 'configs/base.yaml')).config;
    const experiment = experimentFromOverlay('t', { optimize: { model: 'sma_cross', interval: '1m', commission_pct: 0.1 } }, base, 'test');
    const dims = parseGridFlag('fast=5..50:15,slow=60..240:60', (name) => `backtest.models.sma_cross.parameters.${name}`);
    const points = [false, true].flatMap((short) => gridPoints(dims).map((p) => ({ ...p, 'backtest.models.sma_cross.parameters.short': short })));
    const plans = points.map((p) => planInWindow(planOfPoint(experiment, p), { start: Date.UTC(2021, 0, 1), end: null }));
    expect(plans.length).toBe(32);
    expect(plans[0]!.regime).toBe(plans[1]!.regime);
    const written = new Map<object, string>();
    const keys = new Set<string>();
    for (const plan of plans) {
      const got = trialKeyAndDigest(plan, 'data-digest', written);
      expect(got).toEqual({ key: trialKey(plan, 'data-digest'), configDigest: digestOf(plan) });
      expect(trialKeyAndDigest(plan, 'data-digest')).toEqual(got);
      keys.add(got.key);
    }
    expect(keys.size).toBe(32);
    // the key follows the data, the digest does not
    expect(trialKeyAndDigest(plans[0]!, 'other').key).not.toBe(trialKeyAndDigest(plans[0]!, 'data-digest').key);
    expect(trialKeyAndDigest(plans[0]!, 'other').configDigest).toBe(digestOf(plans[0]));
  });

  it('gives trialKey and digestOf on random plan-like objects (fast-check)', () => {
    const leaf = fc.oneof(
      fc.double(), fc.constantFrom(-0, 0, NaN, Infinity, -Infinity, 1e21, 5e-324), fc.integer(), fc.string({ maxLength: 6 }), fc.boolean(), fc.constant(null), fc.constant(undefined),
    );
    const { value } = fc.letrec<{ value: unknown }>((tie) => ({
      value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 5 }), tie('value'), { maxKeys: 4 })),
    }));
    const field = fc.option(value, { nil: undefined });
    const planLike = fc.record(
      { kind: field, label: field, interval: field, backtest: field, regime: field, models: field, extra: field, zeta: field, _a: field },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.array(planLike, { minLength: 1, maxLength: 4 }), value, fc.string({ maxLength: 8 }), (raw, shared, data) => {
        // every plan carries the same section object as its regime, as a grid's plans do
        const plans = raw.map((p) => ({ ...p, regime: shared }) as unknown as BacktestPlan);
        const written = new Map<object, string>();
        for (const plan of plans) {
          expect(trialKeyAndDigest(plan, data, written)).toEqual({ key: trialKey(plan, data), configDigest: digestOf(plan) });
        }
      }),
      { seed: 16, numRuns: 400 },
    );
  });
});
