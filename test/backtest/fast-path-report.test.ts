/**
 * The `backtest sma_cross …` pipeline (`runBacktestReport`) on the fast path and on the event
 * engine gives the same report: identical report digests (plan, data, result digest, metrics,
 * gates), the same probe outcomes, on synthetic bars (daily equity; 15m perpetual resampled to 1h
 * with funding, crypto lots and square-root impact) and on real ORCL daily bars 1995–2014 when
 * ../shared/data is present. The event engine is forced with the `decorate` hook (a decorated model
 * always runs there). Also: which configurations fall back, and that the report says so.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { createRng } from '../../src/core/rng.js';
import { tableDigest, type Dataset } from '../../src/core/table.js';
import { singleModelPlan, type SingleModelOptions } from '../../src/backtest/run-backtest-plan.js';
import { runBacktestReport, type BacktestReport } from '../../src/backtest/run-backtest.js';
import { chooseEngine } from '../../src/backtest/fast-path-select.js';
import { generateSyntheticMarket, toDatasets } from '../../src/data/synthetic/index.js';
import { createSmaCross, createVolCompression, smaCrossParams, volCompressionParams } from '../../src/models/index.js';
import type { Model } from '../../src/models/types.js';
import { sharedDataDir, sharedFile } from '../helpers/shared-data.js';
import { neutral } from './engine-helpers.js';
import { expectSameResult, pathBars } from './fast-path-helpers.js';

const config = configSchema.parse({});
const forceEvent = { decorate: (m: Model): Model => m };

function datasetOf(symbol: string, interval: '1d', assetClass: Dataset['assetClass'], table: Dataset['table'], source: string): Dataset {
  return { name: `${symbol}:${interval}`, kind: 'bars', stage: 'clean', symbol, interval, ...(assetClass ? { assetClass } : {}), source, table, digest: tableDigest(table) };
}

/** Both engines through the whole pipeline: same digest, same result, same gates. */
async function bothWays(plan: ReturnType<typeof singleModelPlan>, data: ReadonlyMap<string, Dataset>, probes: boolean): Promise<{ fast: BacktestReport; event: BacktestReport }> {
  const fast = await runBacktestReport(plan, data, { probes });
  const event = await runBacktestReport(plan, data, { probes, ...forceEvent });
  expect(fast.engine.path).toBe('fast');
  expect(event.engine).toEqual({ path: 'event', reason: 'a decorated model (test hook) runs on the event engine' });
  expectSameResult(fast.result, event.result);
  expect(fast.metrics).toEqual(event.metrics);
  expect(fast.gates).toEqual(event.gates);
  expect(fast.lookAhead).toEqual(event.lookAhead);
  expect(fast.warmup).toEqual(event.warmup);
  expect(fast.digest).toBe(event.digest);
  return { fast, event };
}

const walk = (() => {
  const sym = pathBars({ n: 700, seed: 11, vol: 0.02, tick: 1 / 16, flatAt: 0.4 }, 'equity');
  return new Map([['X:1d', datasetOf('X', '1d', 'equity', sym.bars, 'test')]]);
})();

const plan = (o: SingleModelOptions) => singleModelPlan(config, 'sma_cross', { interval: '1d', ...o });

describe('runBacktestReport: fast path = event engine', () => {
  it('daily equity bars, with the bias probes (long-only, equity sizing, configured costs with impact)', async () => {
    const { fast } = await bothWays(plan({ params: { symbol: 'X', fast: 5, slow: 20 } }), walk, true);
    expect(fast.gates.map((g) => [g.name, g.pass])).toEqual([['look-ahead', true], ['warm-up', true]]);
    expect(fast.result.trades.length).toBeGreaterThan(10);
    expect(fast.result.costs.impact).toBeGreaterThan(0);
  });

  it('long/short, units sizing, same-close fills, commission and slippage (probes compare directions)', async () => {
    const p = plan({ params: { symbol: 'X', fast: 3, slow: 8, short: true, size: 'units:50' }, fill: 'same_close', commissionPct: 0.1, slippageBps: 5 });
    const { fast } = await bothWays(p, walk, true);
    expect(fast.result.trades.some((t) => t.side === 'short')).toBe(true);
    expect(fast.gates.every((g) => g.pass)).toBe(true);
  });

  it('a perpetual on 15m bars resampled to 1h: funding, crypto lots and minimum notional, impact, probes', async () => {
    const market = generateSyntheticMarket({ seed: 4, symbols: ['BTCUSDT'], start: '2021-01-01', years: 0.2, equityStart: '2021-01-01' }, (s) => createRng(4, s));
    const ds = new Map(toDatasets(market).map((d) => [d.name, d] as const));
    const p = singleModelPlan(config, 'sma_cross', { params: { symbol: 'BTCUSDT', fast: 8, slow: 21, short: true, size: 'equity:0.8' }, interval: '1h' });
    const { fast } = await bothWays(p, ds, true);
    expect(fast.result.costs.funding).not.toBe(0);
    expect(fast.result.fills.length).toBeGreaterThan(20);
  }, 30_000);

  it('falls back with the reason in the report: configured risk limits that bind, a decorated model', async () => {
    const kept = plan({ params: { symbol: 'X', fast: 5, slow: 20 }, keepRisk: true });
    const r = await runBacktestReport(kept, walk, { probes: false });
    expect(r.engine.path).toBe('event');
    expect(r.engine.reason).toMatch(/^the fast path stopped: risk limit per_asset_cap binds at \d{4}-/);
    expect(r.result.breaches.some((b) => b.kind === 'per_asset_cap')).toBe(true);
    const forced = await runBacktestReport(kept, walk, { probes: false, ...forceEvent });
    expect(r.digest).toBe(forced.digest);
  });
});

describe('chooseEngine', () => {
  const sym = pathBars({ n: 50, seed: 1, vol: 0.01, tick: 0 });
  const sma = createSmaCross(smaCrossParams.parse({ symbol: 'X' }));
  const base = { symbols: [sym], models: [{ model: sma, budget: 1 }], config: config.backtest, regimeAt: neutral };
  it('takes the fast path for one vectorised model on one symbol', () => {
    expect(chooseEngine(base, { model: sma, warmupBars: 30 })).toEqual({ path: 'fast', reason: expect.stringMatching(/^one model \('sma_cross'\)/) });
  });
  it('refuses models without a vectorised signal, several models or symbols, and a caller\'s refusal', () => {
    const vc = createVolCompression(volCompressionParams.parse({ symbol: 'X' }));
    expect(chooseEngine({ ...base, models: [{ model: vc, budget: 1 }] }, { model: vc, warmupBars: 10 }).reason).toMatch(/has no vectorised signal/);
    const two = { ...base, models: [{ model: sma, budget: 0.5 }, { model: { ...sma, name: 'other' }, budget: 0.5 }] };
    expect(chooseEngine(two, null)).toEqual({ path: 'event', reason: '2 models (the fast path runs one)' });
    const y = { ...pathBars({ n: 50, seed: 2, vol: 0.01, tick: 0 }), symbol: 'Y' };
    expect(chooseEngine({ ...base, symbols: [sym, y] }, { model: sma, warmupBars: 30 }).reason).toBe('2 symbols (the fast path runs one)');
    expect(chooseEngine(base, { model: sma, warmupBars: 30 }, 'because').path).toBe('event');
  });
});

interface Row {
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

describe.skipIf(!sharedDataDir)('runBacktestReport on real ORCL daily bars: fast path = event engine', () => {
  const orcl = (): Map<string, Dataset> => {
    const lines = readFileSync(sharedFile('backtrader/orcl-1995-2014.txt'), 'utf8').trim().split(/\r?\n/).slice(1);
    const rows: Row[] = lines.map((l) => {
      const [date, o, h, lo, c, , v] = l.split(',');
      const [y, m, d] = date!.split('-').map(Number);
      return { ts: Date.UTC(y!, m! - 1, d!), open: +o!, high: +h!, low: +lo!, close: +c!, volume: +v! };
    });
    const col = (k: keyof Row) => Float64Array.from(rows, (r) => r[k]);
    const table = { length: rows.length, columns: { ts: col('ts'), open: col('open'), high: col('high'), low: col('low'), close: col('close'), volume: col('volume') } };
    return new Map([['ORCL:1d', datasetOf('ORCL', '1d', 'equity', table, 'file:orcl-1995-2014.txt')]]);
  };
  it('must-show 2 configuration with probes, and three variants without', async () => {
    const data = orcl();
    const main = await bothWays(plan({ params: { symbol: 'ORCL', fast: 10, slow: 30, size: 'equity:0.95' }, fill: 'next_open', commissionPct: 0.1 }), data, true);
    expect(main.fast.result.trades.length).toBe(99);
    expect(Math.round(main.fast.result.nav[main.fast.result.nav.length - 1]! * 100) / 100).toBe(419673.4);
    await bothWays(plan({ params: { symbol: 'ORCL', fast: 10, slow: 30, short: true, size: 'units:1000' }, fill: 'same_close', commissionPct: 0.1, slippageBps: 5 }), data, false);
    await bothWays(plan({ params: { symbol: 'ORCL', fast: 5, slow: 20, size: 'equity:1' } }), data, false); // configured equity costs: impact from ADV
    await bothWays(plan({ params: { symbol: 'ORCL', fast: 2, slow: 3, short: true, size: 'equity:0.5' }, commissionPct: 0.05 }), data, false);
  }, 30_000);
});
