/**
 * Must-show: a Trader and its SimulatedBroker, stepped one bar at a time through a historical clock
 * in this file, give the `backtest` pipeline's result byte for byte — the demo portfolio (three
 * models, regime budgets, risk engine), every model of the registry on its own (most of which the
 * pipeline runs on the single-asset fast path, an independent implementation), and the classic
 * SMA crossover on backtrader's 2006 daily file.
 *
 * The SMA case is checked against backtrader's published run of its SMA crossover sample on that
 * file — the close against its 15-bar SMA (sma_cross with fast 1 / slow 15), a stake of 1, orders at
 * the next open, no commission, 10 000 cash: final value 10 284.10 after 12 buys and 11 sells.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig, validateConfig } from '../../src/config/load.js';
import { createRng } from '../../src/core/rng.js';
import { tableDigest, type Dataset } from '../../src/core/table.js';
import { portfolioPlan, singleModelPlan, type BacktestPlan } from '../../src/backtest/run-backtest-plan.js';
import { prepareBacktest, runBacktestReport } from '../../src/backtest/run-backtest.js';
import { prepareRun } from '../../src/backtest/engine-setup.js';
import { resultDigest } from '../../src/backtest/engine-digest.js';
import type { BacktestResult } from '../../src/backtest/types.js';
import { HistoricalClock } from '../../src/engine/clock.js';
import { Trader } from '../../src/engine/trader.js';
import { modelNames } from '../../src/models/registry.js';
import { generateSyntheticMarket, toDatasets } from '../../src/data/synthetic/index.js';
import { referenceResultDigest } from '../helpers/reference-digest.js';
import { sharedDataDir, sharedFile } from '../helpers/shared-data.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const { config } = loadConfig(resolve(root, 'configs/base.yaml'));
const market = generateSyntheticMarket({ seed: 7, start: '2021-01-01', years: 1.2, equityStart: '2021-01-01' }, (s) => createRng(7, s));
const data = new Map(toDatasets(market).map((d) => [d.name, d] as const));

/** The plan's inputs as the pipeline builds them, run by a Trader stepped event by event. */
function stepped(plan: BacktestPlan, datasets: ReadonlyMap<string, Dataset>): BacktestResult {
  const { input } = prepareBacktest(plan, datasets, false, (m) => m);
  const prep = prepareRun(input);
  const trader = new Trader(input, prep);
  const clock = new HistoricalClock(prep.clock.times, prep.clock.offset, 0, prep.kEnd);
  let steps = 0;
  for (let e = clock.next(); e !== null; e = clock.next()) {
    trader.step(e);
    steps++;
  }
  expect(steps).toBe(prep.kEnd + 1);
  return trader.finish();
}

function expectSame(a: BacktestResult, b: BacktestResult): void {
  expect(resultDigest(a)).toBe(resultDigest(b));
  expect(referenceResultDigest(a)).toBe(referenceResultDigest(b));
  expect(a.fills).toEqual(b.fills);
  expect(a.orders).toEqual(b.orders);
  expect(Buffer.from(a.nav.buffer, a.nav.byteOffset, a.nav.byteLength).equals(Buffer.from(b.nav.buffer, b.nav.byteOffset, b.nav.byteLength))).toBe(true);
}

describe('Trader + SimulatedBroker stepped through a historical clock = backtest', () => {
  it('the demo portfolio (its pinned scheme-1 result digest included)', async () => {
    const plan = portfolioPlan(config);
    const report = await runBacktestReport(plan, data, { probes: false });
    const result = stepped(plan, data);
    expectSame(result, report.result);
    // pinned in test/backtest/execution-defaults-digest.test.ts since 4d9625a
    expect(referenceResultDigest(result)).toBe('b5cb8f92b8970ac6265f58f9f5c76853d5077317a193b09a902e4bdd7ee4a8df');
  }, 60_000);

  // alpha_bundle runs a fitted bundle made by `fit` (its own tests run it); the demo config has none.
  // edge_template runs a discovery candidate (test/commands/backtest-edge.test.ts runs it).
  // hybrid_alpha runs a fitted meta-model made by `fit meta` (test/commands/ml.test.ts runs it).
  const needsArtifacts = new Set(['alpha_bundle', 'edge_template', 'hybrid_alpha']);
  it('the one model left out cannot run on the demo config without its fitted artifact', () => {
    expect(() => singleModelPlan(config, 'alpha_bundle')).toThrow(/needs a fitted model/);
  });
  for (const name of modelNames().filter((n) => !needsArtifacts.has(n))) {
    it(`${name} alone, as \`backtest ${name}\` runs it`, async () => {
      const plan = singleModelPlan(config, name);
      const report = await runBacktestReport(plan, data, { probes: false });
      const result = stepped(plan, data);
      expectSame(result, report.result);
      expect(result.fills.length).toBeGreaterThan(0);
    }, 60_000);
  }
});

describe.skipIf(!sharedDataDir)('SMA crossover on backtrader 2006-day-001.txt', () => {
  it('final value 10 284.10 on 10 000 cash, 12 buys and 11 sells at the next opens; the backtest pipeline agrees', async () => {
    const lines = readFileSync(sharedFile('backtrader/2006-day-001.txt'), 'utf8').trim().split(/\r?\n/);
    expect(lines[0]).toBe('Date,Open,High,Low,Close,Volume,OpenInterest');
    const rows = lines.slice(1).map((l) => l.split(','));
    const col = (i: number) => Float64Array.from(rows, (r) => (i === 0 ? Date.UTC(+r[0]!.slice(0, 4), +r[0]!.slice(5, 7) - 1, +r[0]!.slice(8, 10)) : +r[i]!));
    const table = { length: rows.length, columns: { ts: col(0), open: col(1), high: col(2), low: col(3), close: col(4), volume: col(5) } };
    const ds: Dataset = { name: 'IDX:1d', kind: 'bars', stage: 'clean', symbol: 'IDX', interval: '1d', assetClass: 'index', source: 'file:2006-day-001.txt', table, digest: tableDigest(table) };
    const datasets = new Map([['IDX:1d', ds]]);
    const plan = singleModelPlan(validateConfig({ backtest: { initial_capital: 10_000 } }), 'sma_cross', {
      params: { symbol: 'IDX', fast: 1, slow: 15, size: 'units:1' },
      interval: '1d',
      fill: 'next_open',
      commissionPct: 0,
    });
    const result = stepped(plan, datasets);
    const report = await runBacktestReport(plan, datasets, { probes: false });
    expectSame(result, report.result);
    const final = result.nav[result.nav.length - 1]!;
    expect(final.toFixed(2)).toBe('10284.10');
    expect(result.fills.filter((f) => f.qty > 0).length).toBe(12);
    expect(result.fills.filter((f) => f.qty < 0).length).toBe(11);
    // every fill at the open of the bar after its decision
    for (const f of result.fills) {
      const i = table.columns.ts.indexOf(f.ts);
      expect(f.price).toBe(table.columns.open[i]);
    }
  }, 60_000);
});
