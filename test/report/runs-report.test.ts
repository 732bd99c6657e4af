/**
 * `runs show RUN` prints the full report of a stored run from a later session; `runs` filters by
 * model, by a run stored earlier or a date, and sorts by a metric; the store keeps each model's cost
 * columns; `backtest --start` decides from the start on with warm-up taken from the bars before it.
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import backtestCmd from '../../commands/backtest.js';
import runsCmd from '../../commands/runs.js';
import runsShowCmd from '../../commands/runs/show.js';
import { Session } from '../../src/shell/session.js';
import { createShell } from '../../src/shell/runtime.js';
import type { CommandIO } from '../../src/shell/command.js';
import type { Dataset } from '../../src/core/table.js';
import type { MetricsBlock, TableBlock } from '../../src/core/result.js';
import type { BacktestReport } from '../../src/backtest/run-backtest.js';
import { listRuns, loadRun, withResultsDb } from '../../src/store/index.js';
import { summaryLines } from '../../src/backtest/report-blocks.js';
import { tempFiles } from '../helpers/temp-files.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const tmp = tempFiles('runs-report');
const db = join(tmp.dir, 'results.duckdb');
let demo: Dataset[] = [];
const ids: string[] = [];
const reports: BacktestReport[] = [];

const io = (logged: string[] = []): CommandIO => ({
  signal: new AbortController().signal,
  progress: () => {},
  log: (m) => logged.push(m),
  execute: () => Promise.reject(new Error('not used')),
});

function session(): Session {
  const s = new Session({ root, cwd: tmp.dir });
  for (const d of demo) s.addDataset(d);
  return s;
}

async function backtest(raw: Record<string, unknown>): Promise<string> {
  const logged: string[] = [];
  const s = session();
  const r = await backtestCmd.run(s, backtestCmd.schema.parse({ db, skipProbes: true, ...raw }), io(logged));
  expect(r.status).toBe('ok');
  reports.push(s.state.get('backtest') as BacktestReport);
  return /stored as run (\S+)/.exec(logged.join('\n'))![1]!;
}

beforeAll(async () => {
  const shell = await createShell({ root, cwd: tmp.dir });
  expect((await shell.dispatcher.execute('ingest synthetic')).result.status).toBe('ok');
  demo = [...shell.session.datasets.values()];
  ids.push(await backtest({ model: 'sma_cross', symbol: 'SPY', fast: 10, slow: 30, interval: '1d' }));
  ids.push(await backtest({ model: 'sma_cross', symbol: 'QQQ', fast: 5, slow: 50, interval: '1d', end: '2015-01-01' }));
  ids.push(await backtest({}));
}, 240_000);

const later = (): Session => new Session({ root, cwd: tmp.dir });
const tableOf = (blocks: readonly unknown[], title: string): TableBlock => blocks.find((b) => (b as TableBlock).kind === 'table' && (b as TableBlock).title === title) as TableBlock;

describe('runs filters', () => {
  it('--model keeps the runs that traded it; --sort orders by a stored metric; --since a run id lists the runs stored after it', async () => {
    const byModel = await runsCmd.run(later(), runsCmd.schema.parse({ db, model: 'sma_cross' }), io());
    const list = (r: typeof byModel): string[] => (r.blocks.find((b) => b.kind === 'table') as TableBlock).rows.map((row) => String(row[0]));
    expect(list(byModel)).toEqual([ids[0], ids[1]]);
    expect(list(await runsCmd.run(later(), runsCmd.schema.parse({ db, model: 'equity_trend' }), io()))).toEqual([ids[2]]);
    // sorted by Sharpe, highest first, against the stored metric read independently
    const stored = await listRuns(db);
    const bySharpe = [...stored].sort((a, b) => (b.metrics['sharpe'] as number) - (a.metrics['sharpe'] as number)).map((r) => r.id);
    expect(list(await runsCmd.run(later(), runsCmd.schema.parse({ db, sort: 'sharpe' }), io()))).toEqual(bySharpe);
    expect(list(await runsCmd.run(later(), runsCmd.schema.parse({ db, sort: 'sharpe', asc: true }), io()))).toEqual([...bySharpe].reverse());
    expect(list(await runsCmd.run(later(), runsCmd.schema.parse({ db, since: ids[0] }), io()))).toEqual([ids[1], ids[2]]);
    // a date: runs whose period ends on or after it (the QQQ run ends in 2015)
    expect(list(await runsCmd.run(later(), runsCmd.schema.parse({ db, since: '2016-01-01' }), io()))).toEqual([ids[0], ids[2]]);
  });
  it('an unknown metric or a bad --since is one clear line', async () => {
    await expect(runsCmd.run(later(), runsCmd.schema.parse({ db, sort: 'sharp' }), io())).rejects.toThrow(/no stored run has a numeric metric 'sharp' \(metrics: .*sharpe/);
    await expect(runsCmd.run(later(), runsCmd.schema.parse({ db, since: 'yesterday' }), io())).rejects.toThrow(/no run 'yesterday' and not a date/);
  });
});

describe('runs show RUN: the full report, in a later session', () => {
  it('benchmark statistics, trade statistics, monthly and yearly returns, drawdowns, costs by model, regimes', async () => {
    const r = await runsShowCmd.run(later(), runsShowCmd.schema.parse({ id: ids[2], db }), io());
    const titles = r.blocks.map((b) => ('title' in b ? b.title : b.kind));
    for (const t of ['attribution and costs by model', 'cost decomposition', 'trade statistics', 'equity vs benchmark', 'underwater', 'exposure', 'equity by model', 'monthly returns %', 'yearly returns', 'top 5 drawdowns', 'performance by regime']) {
      expect(titles, t).toContain(t);
    }
    expect(titles.some((t) => /^rolling Sharpe and Sortino \(126 days\)$/.test(String(t)))).toBe(true);
    const bench = r.blocks.find((b) => b.kind === 'metrics' && (b as MetricsBlock).title!.startsWith('against buy & hold BTCUSDT,ETHUSDT,QQQ,SPY')) as MetricsBlock;
    expect(bench.items.map((i) => i.name)).toEqual(['return', 'benchmark return', 'alpha (ann.)', 'beta', 'correlation', 'information ratio', 'tracking error', 'up capture', 'down capture']);
    // the stored return is the engine's final NAV over the capital
    const res = reports[2]!.result;
    expect(bench.items[0]!.value).toBeCloseTo(res.nav[res.nav.length - 1]! / res.initialCapital - 1, 12);
    // costs by model, as the engine attributed them
    const costs = tableOf(r.blocks, 'attribution and costs by model');
    expect(costs.rows.map((row) => row[0])).toEqual(res.models.map((m) => m.name));
    const monthly = tableOf(r.blocks, 'monthly returns %');
    expect(monthly.columns[0]).toBe('year');
    expect(monthly.columns.length).toBe(14);
  });
  it('the store keeps each model\'s cost columns (run_models) equal to the engine\'s attribution', async () => {
    const rows = await withResultsDb(db, async (c) => (await c.runAndReadAll('SELECT * FROM run_models WHERE run_id = $1 ORDER BY idx', [ids[2]!])).getRowObjectsJS(), { create: false });
    const res = reports[2]!.result;
    expect(rows.map((r) => [r['model'], r['fees'], r['slippage'], r['impact'], r['funding'], r['borrow']])).toEqual(
      res.models.map((m) => [m.name, m.fees, m.slippage, m.impact, m.funding, m.borrow]),
    );
    // and the model costs add up to the run's ledger
    const sum = (k: 'fees' | 'funding') => rows.reduce((a, r) => a + Number(r[k]), 0);
    expect(sum('fees')).toBeCloseTo(res.costs.fees, 6);
    expect(sum('funding')).toBeCloseTo(res.costs.funding, 6);
  });
});

describe('one result digest', () => {
  it('the stored result digest is the digest the backtest summary prints, under the same name', async () => {
    const rec = await loadRun(db, ids[2]!);
    expect(rec.resultDigest).toBe(reports[2]!.digest);
    expect(rec.metrics['digest']).toBeUndefined();
    expect(summaryLines(reports[2]!).join('\n')).toContain(`result digest ${rec.resultDigest.slice(0, 12)}`);
    const shown = await runsShowCmd.run(later(), runsShowCmd.schema.parse({ id: ids[2], db }), io());
    const record = tableOf(shown.blocks, 'reproducibility');
    expect(record.rows.find((r) => r[0] === 'result digest')![1]).toBe(reports[2]!.digest);
  });
});

describe('backtest --start/--end', () => {
  it('decides from --start with warm-up from the bars before it: the first step can already trade', async () => {
    // SPY 1d, fast 10 / slow 30: find a start date where the fast average is above the slow one, computed here
    const spy = demo.find((d) => d.name === 'SPY:1d')!;
    const close = spy.table.columns['close'] as Float64Array;
    const ts = spy.table.columns['ts'] as Float64Array;
    const sma = (end: number, n: number): number => Array.from(close.subarray(end - n + 1, end + 1)).reduce((a, v) => a + v, 0) / n;
    let k = 400;
    while (!(sma(k, 10) > sma(k, 30))) k++;
    // the run's first decision is at the close of bar k (stamped at its open ts; close_ts = 21:00 UTC that day)
    const start = new Date(ts[k]!).toISOString().slice(0, 10);
    await backtest({ model: 'sma_cross', symbol: 'SPY', fast: 10, slow: 30, interval: '1d', start, end: '2020-01-01' });
    const r = reports[reports.length - 1]!.result;
    expect(r.ts[0]).toBeGreaterThanOrEqual(Date.parse(`${start}T00:00:00Z`));
    expect(r.ts[r.ts.length - 1]).toBeLessThanOrEqual(Date.parse('2020-01-01T00:00:00Z'));
    // warm: the first order is placed at the first step (without the earlier bars it would wait 30 bars)
    expect(r.orders[0]!.placedAt).toBe(r.ts[0]);
    expect(r.orders[0]!.qty).toBeGreaterThan(0);
  }, 60_000);
  it('--start after --end, or a date that does not parse, is one clear line naming the flag', async () => {
    const run = (raw: Record<string, unknown>) => backtestCmd.run(session(), backtestCmd.schema.parse({ db, skipProbes: true, model: 'sma_cross', symbol: 'SPY', interval: '1d', ...raw }), io());
    await expect(run({ start: '2020-01-01', end: '2019-01-01' })).rejects.toThrow(/--start 2020-01-01 is not before --end 2019-01-01/);
    await expect(run({ start: 'soon' })).rejects.toThrow(/cannot read 'soon' as a UTC time/);
  });
});
