/**
 * `sameSweep` (sma-sweep.ts), with which a chunk's specs of one sweep share one setup key instead of
 * one each (trial.ts `evaluateTrials`), answers true only for plans whose setups are the same:
 * on random edits of a plan (fast-check: the combo parameters, costs, execution, the window, the
 * model's budget and size, the regime, an added or undefined field, -0 for 0) sameSweep true means
 * `sweepSetup` gives the very same setup (setups are cached by key); changing only fast, slow or
 * short answers true. A chunk mixing sweeps gives every spec `evaluateTrial`'s outcome.
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { canonicalJson } from '../../src/core/canonical.js';
import { createRng } from '../../src/core/rng.js';
import { tableDigest, type BarFrame, type Dataset } from '../../src/core/table.js';
import type { BacktestPlan } from '../../src/backtest/run-backtest-plan.js';
import { experimentFromOverlay, planOfPoint } from '../../src/optimize/experiment.js';
import { sameSweep, sweepSetup } from '../../src/optimize/sma-sweep.js';
import { evaluateTrial, evaluateTrials } from '../../src/optimize/trial.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const HOUR = 3_600_000;

function hourly(n: number): Dataset {
  const rng = createRng(5, 'same-sweep');
  const cols = { ts: new Float64Array(n), open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), volume: new Float64Array(n) };
  let c = 100;
  for (let i = 0; i < n; i++) {
    const o = c;
    c = o * Math.exp(0.0001 + 0.006 * rng.normal());
    cols.ts[i] = Date.UTC(2020, 0, 1) + i * HOUR;
    cols.open[i] = o;
    cols.close[i] = c;
    cols.high[i] = Math.max(o, c) * 1.002;
    cols.low[i] = Math.min(o, c) * 0.998;
    cols.volume[i] = 1e6;
  }
  const table = { length: n, columns: cols } as unknown as BarFrame;
  return { name: 'X:1h', kind: 'bars', stage: 'clean', symbol: 'X', interval: '1h', assetClass: 'crypto_perp', source: 'test', table, digest: tableDigest(table) };
}

const data = hourly(2500);
const datasets = new Map([[data.name, data]]);
const base = loadConfig(join(root, 'configs/base.yaml')).config;
const universe = { X: { asset_class: 'crypto_perp' as const } };
const experiment = experimentFromOverlay('t', { optimize: { model: 'sma_cross', interval: '1h', commission_pct: 0.05 } }, { ...base, backtest: { ...base.backtest, universe } }, 'test');
const P = 'backtest.models.sma_cross.parameters.';
const planAt = (fast: number, slow: number): BacktestPlan => planOfPoint(experiment, { [`${P}fast`]: fast, [`${P}slow`]: slow, [`${P}symbol`]: 'X' });

type Edit = (p: Record<string, any>) => void; // eslint-disable-line @typescript-eslint/no-explicit-any
/** Edits of a plan (a deep copy): some change its setup, some only its combo. */
const EDITS: Record<string, Edit> = {
  fast: (p) => (p['models'][0].params.fast = 7),
  slow: (p) => (p['models'][0].params.slow = 45),
  short: (p) => (p['models'][0].params.short = !p['models'][0].params.short),
  size: (p) => (p['models'][0].params.size = 'equity:0.5'),
  budget: (p) => (p['models'][0].budget = 0.5),
  zeroBudget: (p) => (p['models'][0].budget = p['models'][0].budget === 0 ? -0 : p['models'][0].budget),
  taker: (p) => (p['backtest'].costs.crypto_perp = { ...p['backtest'].costs.crypto_perp, taker_bps: 3 }),
  fill: (p) => (p['backtest'].execution.fill = 'same_close'),
  start: (p) => (p['backtest'].start = '2020-02-01'),
  capital: (p) => (p['backtest'].initial_capital = 12345),
  interval: (p) => (p['interval'] = '4h'),
  regime: (p) => (p['regime'] = { ...p['regime'], extra: 1 }),
  added: (p) => (p['backtest'].added = true),
  undefinedField: (p) => (p['backtest'].undefinedField = undefined),
  label: (p) => (p['label'] = 'another label'),
  models: (p) => (p['backtest'].models = {}),
};

const deepCopy = (p: BacktestPlan): Record<string, any> => structuredClone(p) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('sameSweep', () => {
  it('answers true only where sweepSetup gives the very same setup, and for combo edits (fast-check)', () => {
    const edits = fc.subarray(Object.keys(EDITS), { minLength: 0, maxLength: 4 });
    let same = 0;
    let differ = 0;
    fc.assert(
      fc.property(fc.constantFrom([5, 20], [10, 40], [3, 100]), edits, ([fast, slow], names) => {
        const a = planAt(fast!, slow!);
        const edited = deepCopy(a);
        for (const n of names) EDITS[n]!(edited);
        const b = edited as unknown as BacktestPlan;
        const answer = sameSweep(a, b);
        const comboOnly = names.every((n) => ['fast', 'slow', 'short', 'label', 'models', 'zeroBudget'].includes(n));
        if (names.every((n) => ['fast', 'slow', 'short', 'label', 'models'].includes(n))) expect(answer, names.join(',')).toBe(true);
        if (answer) {
          same++;
          expect(comboOnly, names.join(',')).toBe(true);
          const sa = sweepSetup(a, datasets, false);
          expect(sweepSetup(b, datasets, false)).toBe(sa);
        } else differ++;
      }),
      { seed: 21, numRuns: 300 },
    );
    expect(same).toBeGreaterThan(20);
    expect(differ).toBeGreaterThan(100);
  });

  it('is false for other models and for plans without sma_cross', () => {
    const a = planAt(5, 20);
    const other = deepCopy(a);
    other['models'][0].name = 'equity_trend';
    expect(sameSweep(a, other as unknown as BacktestPlan)).toBe(false);
    expect(sameSweep(other as unknown as BacktestPlan, other as unknown as BacktestPlan)).toBe(false);
    expect(sameSweep(a, a)).toBe(true);
  });

  it('a chunk mixing sweeps gives each spec evaluateTrial’s outcome', async () => {
    const plans = [planAt(5, 20), planAt(8, 30), planAt(5, 20), planAt(12, 50), planAt(3, 100)];
    const mixed = plans.map((p, i) => {
      if (i % 2 === 0) return p;
      const q = deepCopy(p);
      EDITS['taker']!(q);
      EDITS['size']!(q);
      return q as unknown as BacktestPlan;
    });
    const specs = mixed.map((plan, i) => ({ plan, point: { i } }));
    const batch = await evaluateTrials(datasets, specs);
    expect(batch.filter((o) => o.engine === 'sweep').length).toBeGreaterThanOrEqual(3);
    for (let i = 0; i < specs.length; i++) expect(canonicalJson(batch[i]), `spec ${i}`).toBe(canonicalJson(await evaluateTrial(datasets, specs[i]!)));
    // the two sweeps differ (the costs and the size change the outcome)
    expect(canonicalJson(batch[1])).not.toBe(canonicalJson(await evaluateTrial(datasets, { plan: plans[1]!, point: { i: 1 } })));
  });
});
