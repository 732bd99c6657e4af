/**
 * run-backtest end to end through the real engine: the bias probes catch a planted look-ahead and
 * a planted warm-up dependence (and pass an honest model); single-model plans; vol_compression_v1
 * on synthetic 15m bars (stop hints reach the engine, one entry per UTC day).
 */
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { createRng } from '../../src/core/rng.js';
import { tableDigest, type Dataset } from '../../src/core/table.js';
import type { Model } from '../../src/models/types.js';
import { portfolioPlan, singleModelPlan } from '../../src/backtest/run-backtest-plan.js';
import { runBacktestReport } from '../../src/backtest/run-backtest.js';
import { generateSyntheticMarket, toDatasets } from '../../src/data/synthetic/index.js';

const DAY = 86_400_000;
const config = configSchema.parse({});

/** A seeded random walk of daily bars for symbol X. */
function walk(n = 600, seed = 5): Dataset {
  const rng = createRng(seed, 'walk');
  const ts = new Float64Array(n);
  const open = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const close = new Float64Array(n);
  const volume = new Float64Array(n).fill(1e6);
  let p = 100;
  for (let i = 0; i < n; i++) {
    ts[i] = Date.UTC(2020, 0, 1) + i * DAY;
    open[i] = p;
    p *= Math.exp(0.02 * rng.normal());
    close[i] = p;
    high[i] = Math.max(open[i]!, p) * 1.002;
    low[i] = Math.min(open[i]!, p) * 0.998;
  }
  const table = { length: n, columns: { ts, open, high, low, close, volume } };
  return { name: 'X:1d', kind: 'bars', stage: 'clean', symbol: 'X', interval: '1d', assetClass: 'equity', source: 'test', table, digest: tableDigest(table) };
}

const data = new Map([['X:1d', walk()]]);
const plan = singleModelPlan(config, 'sma_cross', { params: { symbol: 'X', fast: 5, slow: 20 }, interval: '1d' });

/** Planted look-ahead: long while the run's data holds a NEXT bar (read past the current one). */
const peeker = (model: Model, ds: ReadonlyMap<string, Dataset>): Model => {
  const close = ds.get('X:1d')!.table.columns['close'] as Float64Array;
  return { ...model, decide: (ctx) => ({ weights: { X: (close[ctx.bars[0]!.index + 1] ?? 0) > 0 ? 0.5 : 0 } }) };
};

/** Planted warm-up dependence: the signal follows a counter started at the model's first call. */
const counter = (model: Model): Model => {
  let calls = 0;
  // period 7: the warm-up variants start 10 and 20 bars away from the baseline, not a multiple of 7
  return { ...model, decide: () => ({ weights: { X: calls++ % 7 < 3 ? 0.5 : 0 } }) };
};

describe('bias probes through the engine', () => {
  it('an honest model passes both probes', async () => {
    const r = await runBacktestReport(plan, data);
    expect(r.gates.map((g) => [g.name, g.pass])).toEqual([
      ['look-ahead', true],
      ['warm-up', true],
    ]);
    expect(r.lookAhead!.cuts.length).toBe(3);
  });
  it('the look-ahead probe catches a model that reads the next bar, naming model, time and cut', async () => {
    const r = await runBacktestReport(plan, data, { decorate: peeker });
    const g = r.gates.find((x) => x.name === 'look-ahead')!;
    expect(g.pass).toBe(false);
    expect(g.value).toBe(3);
    // the first changed decision is the last bar before each cut (its "next" bar was cut away)
    for (const d of r.lookAhead!.differences) expect(d.t).toBe(d.cut);
    expect(g.reason).toMatch(/^sma_cross at \S+ changed when data after \S+ was removed \(full: 0\.5; truncated: 0\)$/);
  });
  it('the warm-up probe catches a signal that depends on where the model started', async () => {
    const r = await runBacktestReport(plan, data, { decorate: counter });
    const g = r.gates.find((x) => x.name === 'warm-up')!;
    expect(g.pass).toBe(false);
    expect(g.reason).toMatch(/^sma_cross (never agreed|with the (shorter|longer) warm-up differs)/);
    expect(r.gates.find((x) => x.name === 'look-ahead')!.pass).toBe(true);
  });
  it('probes can be skipped; the result then has no gates', async () => {
    const r = await runBacktestReport(plan, data, { probes: false });
    expect(r.gates).toEqual([]);
  });
});

describe('plans', () => {
  it('a single-model plan gives the model the book and keeps the risk caps out of the way unless asked', () => {
    expect(plan.models).toEqual([{ name: 'sma_cross', budget: 1, params: { symbol: 'X', fast: 5, slow: 20, short: false, size: 'equity:0.95' } }]);
    expect(plan.backtest.risk.per_asset_cap).toBe(1);
    expect(plan.backtest.execution.rebalance_band).toBe(Infinity);
    expect(plan.backtest.regime_budgets).toEqual({});
    const kept = singleModelPlan(config, 'sma_cross', { params: { symbol: 'X' }, keepRisk: true });
    expect(kept.backtest.risk).toEqual(config.backtest.risk);
    const pct = singleModelPlan(config, 'sma_cross', { params: { symbol: 'X' }, commissionPct: 0.25 });
    expect(pct.backtest.costs).toEqual({ default: { maker_bps: 25, taker_bps: 25, slippage_bps: 0, impact_coef: 0 } });
  });
  it('the portfolio plan takes the enabled models in name order and refuses an empty one', () => {
    const p = portfolioPlan(configSchema.parse({ backtest: { models: { b: { budget: 0.5, enabled: false }, equity_trend: { budget: 0.5 } } } }));
    expect(p.models.map((m) => m.name)).toEqual(['equity_trend']);
    expect(() => portfolioPlan(configSchema.parse({ backtest: { models: {} } }))).toThrow(/no models to run/);
  });
});

describe('vol_compression_v1 through the engine', () => {
  it('trades breakouts with engine stop orders, at most one entry per UTC day, and passes the probes', async () => {
    const market = generateSyntheticMarket({ seed: 3, symbols: ['BTCUSDT'], start: '2021-01-01', years: 0.25, equityStart: '2021-01-01' }, (s) => createRng(3, s));
    const ds = new Map(toDatasets(market).map((d) => [d.name, d] as const));
    const p = singleModelPlan(config, 'vol_compression_v1', { params: { symbol: 'BTCUSDT', trail_atr: 1 }, interval: '15m', commissionPct: 0.04 });
    const r = await runBacktestReport(p, ds);
    const res = r.result;
    expect(res.trades.length).toBeGreaterThan(5);
    expect(res.orders.some((o) => o.type === 'stop')).toBe(true);
    // An entry is decided at a bar close t and fills at the next open, which is t itself on a
    // gap-free 15m clock: the decision's UTC day is the day of (fill time), and no two entries share one.
    const decisionDays = res.trades.map((t) => Math.floor(t.entryTs / DAY));
    expect(new Set(decisionDays).size).toBe(decisionDays.length);
    expect(r.gates.every((g) => g.pass)).toBe(true);
  }, 120_000);
});
