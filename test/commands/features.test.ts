/**
 * `features` through the real dispatcher on the seeded synthetic market: results land in the
 * session as `features:DATASET` (shown and exported like any table), daily and funding specs find
 * their sources, and bad specs, unknown datasets and failed readiness gates give one clear line.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createShell, type Shell } from '../../src/shell/runtime.js';
import { configSchema } from '../../src/config/schema.js';
import { computeFeatures, dailyFromIntraday, sma } from '../../src/features/index.js';
import type { Dataset } from '../../src/core/table.js';
import type { SeriesBlock, TableBlock, TextBlock } from '../../src/core/result.js';
import { expectClose } from '../features/helpers.js';

let shell: Shell;
const run = (line: string) => shell.dispatcher.execute(line).then((e) => e.result);
const errorText = async (line: string): Promise<string> => {
  const r = await run(line);
  expect(r.status).toBe('error');
  return (r.blocks[0] as TextBlock).text;
};

beforeAll(async () => {
  const config = configSchema.parse({ synthetic: { years: 0.3, symbols: ['BTCUSDT', 'SPY'] } });
  shell = await createShell({ config, seed: 42 });
  const r = await run('ingest synthetic');
  expect(r.status).toBe('ok');
});

const ds = (name: string): Dataset => shell.session.dataset(name);
const col = (name: string, c: string): Float64Array => ds(name).table.columns[c] as Float64Array;

describe('features command', () => {
  it('computes the specs into features:DATASET, row-aligned with the bars', async () => {
    const r = await run('features sma:50 rsi:14 atr:14 bb:20,2 --on BTCUSDT:15m');
    expect(r.status).toBe('ok');
    const f = ds('features:BTCUSDT:15m');
    expect(f).toMatchObject({ kind: 'features', stage: 'derived', symbol: 'BTCUSDT', interval: '15m' });
    expect(Object.keys(f.table.columns)).toEqual(['ts', 'sma_50', 'rsi_14', 'atr_14', 'bb_20_2_mid', 'bb_20_2_upper', 'bb_20_2_lower', 'bb_20_2_pctb', 'bb_20_2_width']);
    expect(Array.from(col('features:BTCUSDT:15m', 'ts'))).toEqual(Array.from(col('BTCUSDT:15m', 'ts')));
    expectClose(col('features:BTCUSDT:15m', 'sma_50'), sma(col('BTCUSDT:15m', 'close'), 50), 0);
    expect(r.summary).toBe(`features:BTCUSDT:15m: 4 specs → 8 columns on ${ds('BTCUSDT:15m').table.length} bars`);
    const t = r.blocks.find((b): b is TableBlock => b.kind === 'table')!;
    expect(t.rows.map((row) => row[0])).toEqual(['close', 'sma_50', 'rsi_14', 'atr_14', 'bb_20_2_mid', 'bb_20_2_upper', 'bb_20_2_lower', 'bb_20_2_pctb', 'bb_20_2_width']);
    expect(t.columns.length).toBe(3 + 5);
    const s = r.blocks.find((b): b is SeriesBlock => b.kind === 'series')!;
    expect(s.pane).toBe('equity');
    expect(s.x.length).toBeLessThanOrEqual(400);
    expect(s.x.at(-1)).toBe(col('BTCUSDT:15m', 'ts').at(-1));
    expect(s.series.map((l) => l.name)).toEqual(['close', 'sma_50']);
  });

  it('show and export work on the stored result; a second call adds columns', async () => {
    expect((await run('show features:BTCUSDT:15m --tail --rows 3')).status).toBe('ok');
    const dir = mkdtempSync(join(tmpdir(), 'edgelab-features-'));
    try {
      const out = join(dir, 'f.csv');
      expect((await run(`export features:BTCUSDT:15m ${out}`)).status).toBe('ok');
      expect(readFileSync(out, 'utf8').split('\n')[0]).toContain('sma_50');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    await run('features ema:10 --on BTCUSDT:15m');
    const names = Object.keys(ds('features:BTCUSDT:15m').table.columns);
    expect(names).toContain('sma_50');
    expect(names.at(-1)).toBe('ema_10');
    expect(ds('features:BTCUSDT:15m').meta?.['specs']).toEqual(['sma:50', 'rsi:14', 'atr:14', 'bb:20,2', 'ema:10']);
  });

  it('daily: specs use SYMBOL:1d when loaded (SPY) and UTC-day bars from the intraday data otherwise (BTCUSDT)', async () => {
    const spy = await run('features daily:sma:5 --on SPY:4h');
    expect(spy.status).toBe('ok');
    expect((spy.blocks[0] as TextBlock).text).toContain('daily specs from SPY:1d');
    const want = computeFeatures(ds('SPY:4h'), ['daily:sma:5'], { daily: ds('SPY:1d') });
    expectClose(col('features:SPY:4h', 'daily_sma_5'), want.columns['daily_sma_5'] as Float64Array, 0);
    const btc = await run('features daily:sma:5 --on BTCUSDT:15m');
    expect((btc.blocks[0] as TextBlock).text).toContain('grouped by UTC day');
    const want2 = computeFeatures(ds('BTCUSDT:15m'), ['daily:sma:5'], { daily: dailyFromIntraday(ds('BTCUSDT:15m')) });
    expectClose(col('features:BTCUSDT:15m', 'daily_sma_5'), want2.columns['daily_sma_5'] as Float64Array, 0);
  });

  it('funding specs read SYMBOL:funding', async () => {
    const r = await run('features funding_mean:9 funding_z:30 funding_persist --on BTCUSDT:15m');
    expect(r.status).toBe('ok');
    expect((r.blocks[0] as TextBlock).text).toContain('funding specs from BTCUSDT:funding');
    expect(col('features:BTCUSDT:15m', 'funding_persist').some((v) => Math.abs(v) >= 2)).toBe(true);
  });

  it('with no SPEC it uses features.specs from the config', async () => {
    const r = await run('features --on SPY:1d');
    expect(r.status).toBe('ok');
    expect(ds('features:SPY:1d').meta?.['specs']).toEqual(['sma:50', 'ema:20', 'rsi:14', 'atr:14', 'bb:20,2', 'macd:12,26,9', 'rvol:30', 'daily:sma:200']);
  });
});

describe('features: bad input gives one clear line (must-show 4)', () => {
  it('a non-positive period', async () => expect(await errorText('features sma:-3 --on BTCUSDT:15m')).toBe('features: sma: period must be a positive integer, got -3'));
  it('an unknown indicator, with a suggestion', async () =>
    expect(await errorText('features rsi:14 smaa:50 --on BTCUSDT:15m')).toMatch(/^features: unknown indicator 'smaa'; did you mean 'sma'\? \(indicators: /));
  it('an unknown dataset or symbol, with a suggestion', async () => {
    expect(await errorText('features sma:50 --on BTCUSDT:15')).toBe("features: no dataset 'BTCUSDT:15'; did you mean 'BTCUSDT:15m'?");
    expect(await errorText('features sma:50 --on ETHUSDT:15m')).toMatch(/^features: no dataset 'ETHUSDT:15m'/);
  });
  it('a missing column after @', async () =>
    expect(await errorText('features sma:5@oi --on SPY:1d')).toMatch(/^features: sma:5@oi: SPY:1d has no numeric column 'oi' \(columns: ts, open/));
  it('no --on and no config default', async () => expect(await errorText('features sma:5')).toMatch(/--on DATASET/));
  it('a non-bars dataset', async () => expect(await errorText('features sma:5 --on BTCUSDT:funding')).toMatch(/is a funding dataset; features run on bars/));
  it('nothing is stored when a spec is bad', async () => {
    const before = ds('features:BTCUSDT:15m').digest;
    await run('features ema:3 sma:0 --on BTCUSDT:15m');
    expect(ds('features:BTCUSDT:15m').digest).toBe(before);
  });
  it('a failed readiness gate refuses unless --force', async () => {
    const spy = ds('SPY:1d');
    shell.session.addDataset({
      ...spy,
      name: 'BAD:1d',
      symbol: 'BAD',
      gate: { pass: false, gates: [{ name: 'coverage', value: 0.5, threshold: '≥ 0.95', pass: false }], facts: {} },
    });
    expect(await errorText('features sma:5 --on BAD:1d')).toBe('features: BAD:1d: readiness gate failed: coverage 0.5 (needs ≥ 0.95); fix the data or pass --force');
    expect((await run('features sma:5 --on BAD:1d --force')).status).toBe('ok');
  });
});
