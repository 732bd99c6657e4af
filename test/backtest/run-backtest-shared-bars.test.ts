/**
 * Bars a plan resamples (run-backtest-data.ts `barsFor`: 1h from loaded 15m bars) are found once for
 * a set of datasets: the warm-up probe runs, on the main run's very datasets, take the main run's
 * (run-backtest.ts `prepareBacktest` with `reuse`), while a run on another set (the look-ahead
 * probes' truncated datasets) resamples its own. A resampled dataset's digest is its table's content
 * digest, computed when read.
 */
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { createRng } from '../../src/core/rng.js';
import { tableDigest, type BarFrame } from '../../src/core/table.js';
import { resampleBars } from '../../src/backtest/run-backtest-data.js';
import { singleModelPlan } from '../../src/backtest/run-backtest-plan.js';
import { prepareBacktest, runBacktestReport } from '../../src/backtest/run-backtest.js';
import { truncateDatasets } from '../../src/backtest/probes.js';
import { generateSyntheticMarket, toDatasets } from '../../src/data/synthetic/index.js';

const config = configSchema.parse({});
const market = generateSyntheticMarket({ seed: 4, symbols: ['BTCUSDT'], start: '2021-01-01', years: 0.1, equityStart: '2021-01-01' }, (s) => createRng(4, s));
const data = new Map(toDatasets(market).map((d) => [d.name, d] as const));
const plan = singleModelPlan(config, 'sma_cross', { params: { symbol: 'BTCUSDT', fast: 8, slow: 21, short: true, size: 'equity:0.8' }, interval: '1h' });
const source = data.get('BTCUSDT:15m')!;

describe('resampled bars', () => {
  it('are taken over by a run on the same datasets and made again on others', () => {
    const main = prepareBacktest(plan, data, false);
    const bars = main.input.symbols[0]!.bars;
    expect(bars.length).toBeLessThan(source.table.length);
    expect(prepareBacktest(plan, data, false, undefined, undefined, main.inputs).input.symbols[0]!.bars).toBe(bars);
    const copy = prepareBacktest(plan, new Map(data), false, undefined, undefined, main.inputs).input.symbols[0]!.bars;
    expect(copy).not.toBe(bars);
    expect(tableDigest(copy)).toBe(tableDigest(bars));
    const cut = (source.table.columns['ts'] as Float64Array)[Math.floor(source.table.length / 2)]!;
    const truncated = prepareBacktest(plan, truncateDatasets(data, cut), false, undefined, undefined, main.inputs).input.symbols[0]!.bars;
    expect(truncated.columns.ts[truncated.length - 1]!).toBeLessThan(cut);
    expect(tableDigest(truncated)).toBe(tableDigest(resampleBars(truncateDatasets(data, cut).get('BTCUSDT:15m')!.table as BarFrame, '15m', '1h')));
  });

  it('carry their table digest into the report, with the probes run on them', async () => {
    const r = await runBacktestReport(plan, data);
    const used = r.data.find((d) => d.name === 'BTCUSDT:1h')!;
    expect(used.source).toBe('resampled:BTCUSDT:15m');
    expect(used.digest).toBe(tableDigest(resampleBars(source.table as BarFrame, '15m', '1h')));
    expect(r.gates.map((g) => [g.name, g.pass])).toEqual([['look-ahead', true], ['warm-up', true]]);
    const withoutProbes = await runBacktestReport(plan, data, { probes: false });
    expect(withoutProbes.data).toEqual(r.data);
  }, 30_000);
});
