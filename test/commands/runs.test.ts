/** `runs`, `runs show ID`, `runs diff A B` through the real dispatcher on a temporary results database. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createShell, type Shell } from '../../src/shell/runtime.js';
import { configSchema } from '../../src/config/schema.js';
import type { MetricsBlock, SeriesBlock, TableBlock, TextBlock } from '../../src/core/result.js';
import { runBacktest } from '../../src/backtest/engine.js';
import { backtestRecord, storeBacktestRun } from '../../src/store/index.js';
import { bars, cfg, neutral, scripted, withBudget, type Row } from '../backtest/engine-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'edgelab-runs-'));
const db = join(dir, 'results.duckdb');
let shell: Shell;
const ids: string[] = [];
const run = (line: string) => shell.dispatcher.execute(line).then((e) => e.result);

const rows: Row[] = Array.from({ length: 40 }, (_, i) => {
  const c = 100 + 5 * Math.sin(i / 4);
  return [c, c + 1, c - 1, c, 5000] as const;
});

async function storeOne(takerBps: number): Promise<string> {
  const config = cfg({ costs: { default: { maker_bps: 0, taker_bps: takerBps, slippage_bps: 1, impact_coef: 0 } } });
  const result = runBacktest({
    symbols: [bars('SPY', rows)],
    models: [withBudget(scripted('trend', ['SPY'], { 1: { weights: { SPY: 1 } }, 20: { weights: { SPY: 0 } } }), 1)],
    config,
    regimeAt: neutral,
  });
  const rec = backtestRecord({ result, config: { backtest: config }, codeRevision: 'abc1234', seed: 42 });
  await storeBacktestRun(db, rec, result);
  return rec.id;
}

beforeAll(async () => {
  shell = await createShell({ config: configSchema.parse({ session: { results_db: db } }), seed: 42 });
  ids.push(await storeOne(5), await storeOne(6));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('runs', () => {
  it('lists stored runs in the order they were stored', async () => {
    const r = await run('runs');
    expect(r.status).toBe('ok');
    expect((r.blocks[0] as TextBlock).text).toBe(`2 runs in ${db}`);
    const t = r.blocks[1] as TableBlock;
    expect(t.rows.map((x) => x[0])).toEqual(ids);
    expect(t.rows[0]![1]).toBe('trend · SPY');
    expect(t.rows[0]![9]).toBe('abc1234');
  });
  it('shows one run by prefix, execution profile first', async () => {
    const r = await run(`runs show ${ids[0]!.slice(0, 8)}`);
    expect(r.status).toBe('ok');
    const head = (r.blocks[0] as TextBlock).text.split('\n');
    expect(head[0]).toContain(ids[0]!);
    expect(head[1]).toBe('execution: decide at bar close · market fills next open · stops OHLC path, gaps fill at open · limits fill on touch · band 0');
    expect(head[2]).toContain('default 5/0 bps taker/maker · slip 1');
    const rec = r.blocks[1] as TableBlock;
    expect(rec.rows.find((x) => x[0] === 'code revision')![1]).toBe('abc1234');
    expect((r.blocks[2] as MetricsBlock).items.find((m) => m.name === 'fills')!.value).toBe(2);
    const eq = r.blocks.find((b) => b.kind === 'series') as SeriesBlock;
    expect(eq.series[0]!.values).toHaveLength(40);
    expect(eq.series[0]!.values[0]).toBe(10_000);
  });
  it('diffs two runs: the one config key that changed, the profile, and metrics side by side', async () => {
    const r = await run(`runs diff ${ids[0]} ${ids[1]}`);
    expect(r.status).toBe('ok');
    expect((r.blocks[0] as TextBlock).text).toMatch(/: 1 config difference · 1 in the execution profile · \d+ metrics differ$/);
    const config = r.blocks.find((b) => b.kind === 'table' && b.title === 'config') as TableBlock;
    expect(config.rows).toEqual([['backtest.costs.default.taker_bps', '5', '6']]);
    const m = r.blocks.find((b) => b.kind === 'table' && b.title === 'metrics') as TableBlock;
    const fees = m.rows.find((x) => x[0] === 'fees')!;
    expect(fees[2] as number).toBeGreaterThan(fees[1] as number);
  });
  it('an unknown id and a missing database give one clear line', async () => {
    const r = await run('runs show bt-zzzz');
    expect(r.status).toBe('error');
    expect((r.blocks[0] as TextBlock).text).toContain("no run 'bt-zzzz'");
    const r2 = await run(`runs --db ${join(dir, 'none.duckdb')}`);
    expect(r2.status).toBe('error');
    expect((r2.blocks[0] as TextBlock).text).toContain('no results database yet');
  });
});
