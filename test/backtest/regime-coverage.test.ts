/**
 * Regimes only from data that covers the run. A backtest whose regime inputs do not cover it (ORCL
 * 1995–1999 with the demo's 2021 inputs loaded) used to show crypto RISK_OFF 100 % and macro
 * EXPANSION 100 %: neutral defaults presented as regimes. Now such a dimension is "no data" in the
 * split by regime, regime budgets do not act on it (and the summary says so), and coverage at t
 * reads nothing after t (perturb-the-future).
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { createRng } from '../../src/core/rng.js';
import { tableDigest, type BarFrame, type Dataset } from '../../src/core/table.js';
import { runBacktest } from '../../src/backtest/engine.js';
import { resultDigest } from '../../src/backtest/engine-digest.js';
import { singleModelPlan } from '../../src/backtest/run-backtest-plan.js';
import { regimeLookupFor, runBacktestReport } from '../../src/backtest/run-backtest.js';
import { summaryLines } from '../../src/backtest/report-blocks.js';
import { regimeBudgetNotes } from '../../src/backtest/report-regime.js';
import { generateSyntheticMarket, toDatasets } from '../../src/data/synthetic/index.js';
import { truncateDatasets } from '../../src/backtest/probes.js';
import { coverageOf, coveredLookup, NO_DATA_SNAPSHOT, STALE_AFTER_MS } from '../../src/regime/coverage.js';
import { mergeTimeline } from '../../src/regime/timeline.js';
import { NEUTRAL_SNAPSHOT, type RegimeSnapshot } from '../../src/regime/types.js';
import { bars, cfg, DAY, flat, scripted, T0, withBudget } from './engine-helpers.js';

const f = (xs: number[]): Float64Array => Float64Array.from(xs);
const series = (knownAt: number[], code: number[]) => ({ knownAt: f(knownAt), code: f(code), sources: ['X:1d'], method: 'test' });

describe('coverage of a dimension (hand-worked)', () => {
  it('from the first warmed-up value; a hole longer than the limit and the end of the input leave no data', () => {
    // rows on days 0..3 (0, 1 warming up), then a 15-day hole, then day 19
    const s = series([0, 1, 2, 3, 19].map((d) => d * DAY), [NaN, NaN, 2, 2, 0]);
    const c = coverageOf(s, 10 * DAY);
    expect([...c.from]).toEqual([2 * DAY, 19 * DAY]);
    expect([...c.to]).toEqual([13 * DAY, 29 * DAY]);
  });
  it('the lookup marks uncovered dimensions and keeps the neutral values for models', () => {
    const tl = mergeTimeline({ equity: series([0, 1, 2].map((d) => T0 + d * DAY), [NaN, 0, 0]) });
    const at = coveredLookup(tl);
    expect(at(T0 - 1)).toBe(NO_DATA_SNAPSHOT);
    expect(at(T0).noData).toEqual(['equity', 'vol', 'crypto', 'macro']); // warming up
    expect(at(T0 + DAY)).toEqual({ ...NEUTRAL_SNAPSHOT, equity: 'BEAR', noData: ['vol', 'crypto', 'macro'] });
    expect(at(T0 + 2 * DAY + STALE_AFTER_MS.equity - 1).equity).toBe('BEAR');
    expect(at(T0 + 2 * DAY + STALE_AFTER_MS.equity).noData).toEqual(['equity', 'vol', 'crypto', 'macro']);
    // the same object for the same state (the split resolves its rows once per snapshot object)
    expect(at(T0 + DAY + 5)).toBe(at(T0 + DAY + 7));
  });
});

function dailyBars(symbol: string, start: number, days: number, seed: number): Dataset {
  const rng = createRng(seed, symbol);
  const cols = { ts: new Float64Array(days), open: new Float64Array(days), high: new Float64Array(days), low: new Float64Array(days), close: new Float64Array(days), volume: new Float64Array(days) };
  let c = 20;
  for (let i = 0; i < days; i++) {
    const o = c;
    c = o * Math.exp(0.015 * rng.normal());
    cols.ts[i] = start + i * DAY;
    cols.open[i] = o;
    cols.close[i] = c;
    cols.high[i] = Math.max(o, c) * 1.01;
    cols.low[i] = Math.min(o, c) * 0.99;
    cols.volume[i] = 1e6;
  }
  const table = { length: days, columns: cols } as unknown as BarFrame;
  return { name: `${symbol}:1d`, kind: 'bars', stage: 'clean', symbol, interval: '1d', assetClass: 'equity', source: 'test', table, digest: tableDigest(table) };
}

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const { config } = loadConfig(resolve(root, 'configs/base.yaml'));
const market = generateSyntheticMarket({ seed: 7, start: '2021-01-01', years: 1.2, equityStart: '2021-01-01' }, (s) => createRng(7, s));
const demo = toDatasets(market);

describe('a backtest outside its regime inputs', () => {
  it('ORCL 1995–1999 with the 2021 demo inputs loaded: every dimension is "no data" for the whole run', async () => {
    const orcl = dailyBars('ORCL', Date.UTC(1995, 0, 3), 1800, 11);
    const data = new Map([...demo, orcl].map((d) => [d.name, d] as const));
    const plan = singleModelPlan(config, 'sma_cross', { params: { symbol: 'ORCL', fast: 10, slow: 30 }, interval: '1d' });
    const r = await runBacktestReport(plan, data, { probes: false });
    const rows = r.regimeSplit.map((row) => [row.dimension, row.value, row.share]);
    expect(rows).toEqual([['equity', 'no data', 1], ['vol', 'no data', 1], ['crypto', 'no data', 1], ['macro', 'no data', 1]]);
  }, 60_000);

  it('a run that outlasts its inputs: "no data" from 10 days after the last regime value, by an independent count', async () => {
    // SPY/BTC/macro inputs end in early 2022; ORCL runs on to mid 2023
    const orcl = dailyBars('ORCL', Date.UTC(2021, 0, 4), 900, 12);
    const data = new Map([...demo, orcl].map((d) => [d.name, d] as const));
    const plan = singleModelPlan(config, 'sma_cross', { params: { symbol: 'ORCL', fast: 10, slow: 30 }, interval: '1d' });
    const r = await runBacktestReport(plan, data, { probes: false });
    const equityNoData = r.regimeSplit.find((row) => row.dimension === 'equity' && row.value === 'no data')!;
    // Independent: the equity regime reads SPY:1d closes with a 200-day MA and 252-day momentum; it
    // has data from its first warmed-up value to 10 days after SPY's last close.
    const spy = data.get('SPY:1d')!;
    const spyTs = spy.table.columns['ts'] as Float64Array;
    const lastKnown = spyTs[spyTs.length - 1]! + DAY; // a daily bar is known at its close
    const tl = regimeLookupFor(data, config.regime);
    const firstKnown = (() => {
      for (let d = 0; d < 2000; d++) {
        const t = Date.UTC(2021, 0, 1) + d * DAY;
        if (!tl.lookup(t).noData?.includes('equity')) return t;
      }
      return Infinity;
    })();
    expect(firstKnown).toBeGreaterThan(Date.UTC(2021, 0, 1) + 200 * DAY); // after the 200-day warm-up
    const ts = r.annualisation.kind === 'bars' ? r.result.ts : new Float64Array(0);
    let uncovered = 0;
    for (let i = 0; i + 1 < ts.length; i++) {
      const t = ts[i]!;
      if (!(t >= firstKnown && t < lastKnown + 10 * DAY)) uncovered++;
    }
    expect(equityNoData.bars).toBe(uncovered);
    expect(equityNoData.share).toBeGreaterThan(0.3);
    expect(r.regimeSplit.filter((row) => row.dimension === 'equity' && row.value !== 'no data').length).toBeGreaterThan(0);
  }, 60_000);

  it('perturb the future: coverage and regimes known at t do not change when the inputs after t are removed', () => {
    const data = new Map(demo.map((d) => [d.name, d] as const));
    const full = regimeLookupFor(data, config.regime).lookup;
    for (const cut of [Date.UTC(2021, 6, 1), Date.UTC(2021, 10, 15), Date.UTC(2022, 0, 20)]) {
      const cutData = regimeLookupFor(truncateDatasets(data, cut), config.regime).lookup;
      for (let t = Date.UTC(2020, 11, 20); t < cut; t += 6 * 3_600_000) {
        expect(cutData(t), new Date(t).toISOString()).toEqual(full(t));
      }
    }
  });
});

describe('regime budgets act only where their dimension has data', () => {
  const run = (regimeAt: (t: number) => RegimeSnapshot, budgets: Record<string, Record<string, number>>) =>
    runBacktest({
      symbols: [bars('SPY', flat(100, 6))],
      models: [withBudget(scripted('m', ['SPY'], { 0: { weights: { SPY: 1 } } }), 0.6)],
      config: cfg({ regime_budgets: budgets, execution: { rebalance_band: 0.05 } }),
      regimeAt,
    });
  it('crypto_risk_off with crypto data switches the budget; without crypto data the base budget holds', () => {
    const riskOffKnown = (): RegimeSnapshot => NEUTRAL_SNAPSHOT; // crypto RISK_OFF, measured
    const riskOffDefault = (): RegimeSnapshot => NO_DATA_SNAPSHOT; // crypto RISK_OFF only as the default
    const base = run(riskOffKnown, {});
    const switched = run(riskOffKnown, { crypto_risk_off: { m: 0.2 } });
    const unswitched = run(riskOffDefault, { crypto_risk_off: { m: 0.2 } });
    expect(base.fills.map((x) => x.qty)).toEqual([60]);
    expect(switched.fills.map((x) => x.qty)).toEqual([20]);
    expect(resultDigest(unswitched)).toBe(resultDigest(run(riskOffDefault, {})));
    expect(unswitched.fills.map((x) => x.qty)).toEqual([60]);
  });
  it('the summary names the budget keys whose dimension had no data', () => {
    const split = [
      { dimension: 'equity' as const, value: 'BEAR', bars: 10, share: 0.25, totalReturn: 0, annualReturn: 0, annualVol: 0, sharpe: 0 },
      { dimension: 'equity' as const, value: 'no data', bars: 30, share: 0.75, totalReturn: 0, annualReturn: 0, annualVol: 0, sharpe: 0 },
      { dimension: 'crypto' as const, value: 'no data', bars: 40, share: 1, totalReturn: 0, annualReturn: 0, annualVol: 0, sharpe: 0 },
      { dimension: 'vol' as const, value: 'HIGH', bars: 40, share: 1, totalReturn: 0, annualReturn: 0, annualVol: 0, sharpe: 0 },
    ];
    expect(regimeBudgetNotes(['vol_high', 'equity_bear', 'crypto_risk_off'], split)).toEqual([
      'crypto_risk_off (crypto: no data for the whole run, base budgets)',
      'equity_bear (equity: no data for 75.0 % of the run, base budgets there)',
      'vol_high',
    ]);
  });
  it('in the demo portfolio the summary says which regime budgets had data', async () => {
    const { portfolioPlan } = await import('../../src/backtest/run-backtest-plan.js');
    const data = new Map(demo.map((d) => [d.name, d] as const));
    const r = await runBacktestReport(portfolioPlan(config), data, { probes: false });
    const line = summaryLines(r).find((l) => l.startsWith('budgets:'))!;
    const share = r.regimeSplit.find((row) => row.dimension === 'equity' && row.value === 'no data')!.share;
    expect(share).toBeGreaterThan(0);
    expect(line).toContain(`equity_bear (equity: no data for ${(share * 100).toFixed(1)} % of the run, base budgets there)`);
  }, 60_000);
});
