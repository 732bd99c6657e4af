/**
 * `walkforward` on the backtest engine with the synthetic SPY (daily bars 2012-01 .. 2022-01):
 * perturb-the-future (bars after a fold's selection window changed → that fold's choice and
 * in-sample scores unchanged), the stitched curve covers exactly the test windows' decision times,
 * the command's result, live fold lines, stored record, and bad input in one line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import cmd from '../../commands/walkforward.js';
import { Session } from '../../src/shell/session.js';
import { createShell } from '../../src/shell/runtime.js';
import type { CommandIO, Progress } from '../../src/shell/command.js';
import type { Dataset, BarFrame } from '../../src/core/table.js';
import type { MetricsBlock, SeriesBlock, TableBlock } from '../../src/core/result.js';
import { backtestEvaluator, planFor } from '../../src/walkforward/backtest-evaluator.js';
import { runWalkForward } from '../../src/walkforward/run.js';
import { foldWindows, type WindowSettings } from '../../src/walkforward/windows.js';
import { gridPoints, parseGrid } from '../../src/walkforward/grid.js';
import { runBacktestReport } from '../../src/backtest/run-backtest.js';
import { latestWalkForward } from '../../src/walkforward/store.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const dir = mkdtempSync(join(tmpdir(), 'edgelab-walkforward-'));
const db = join(dir, 'results.duckdb');
let demo: Dataset[] = [];

function fakeIo(): CommandIO & { progressed: Progress[]; logged: string[] } {
  const progressed: Progress[] = [];
  const logged: string[] = [];
  return { signal: new AbortController().signal, progress: (p) => progressed.push(p), log: (m) => logged.push(m), execute: () => Promise.reject(new Error('not used')), progressed, logged };
}

function session(datasets: readonly Dataset[] = demo): Session {
  const s = new Session({ root, cwd: dir });
  for (const d of datasets) s.addDataset(d);
  return s;
}

/** SPY:1d with every price after `after` (epoch ms) scaled by a factor that grows over time. */
function perturbedAfter(ds: Dataset, after: number): Dataset {
  const t = ds.table as BarFrame;
  const ts = t.columns['ts'] as Float64Array;
  const columns: Record<string, unknown> = { ...t.columns };
  for (const c of ['open', 'high', 'low', 'close']) {
    const src = t.columns[c] as Float64Array;
    columns[c] = src.map((v, i) => (ts[i]! > after ? v * (1 + 0.002 * (i % 37) - 0.03) : v));
  }
  return { ...ds, table: { ...t, columns } as BarFrame, digest: `${ds.digest}-perturbed` };
}

beforeAll(async () => {
  const shell = await createShell({ root, cwd: dir });
  const out = await shell.dispatcher.execute('ingest synthetic --symbols SPY --start 2021-01-01 --years 1 --equity-start 2012-01-01');
  expect(out.result.status).toBe('ok');
  demo = [...shell.session.datasets.values()];
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const settings: WindowSettings = { train: { months: 24 }, test: { months: 6 }, step: { months: 6 }, anchored: false };
const points = gridPoints(parseGrid('fast=5..20:5,slow=40..120:40'));

async function walk(datasets: readonly Dataset[]) {
  const s = session(datasets);
  const options = { config: s.config, datasets: s.datasets, model: 'sma_cross', baseParams: { symbol: 'SPY' }, plan: { interval: '1d' as const } };
  const whole = await runBacktestReport(planFor(options, points[0]!), s.datasets, { probes: false });
  const wf = await runWalkForward({ ts: whole.result.ts, settings, points, evaluator: backtestEvaluator(options), periodsPerYear: whole.periodsPerYear, pboSlices: 8 });
  return { wf, ts: whole.result.ts };
}

describe('walkforward on the backtest engine', () => {
  it('perturb-the-future: changing bars after a fold’s training end leaves that fold’s choice and in-sample score unchanged', async () => {
    const base = await walk(demo);
    expect(base.wf.folds.length).toBeGreaterThanOrEqual(10);
    const k = 4;
    const fold = base.wf.folds[k]!.fold;
    const spy = demo.find((d) => d.name === 'SPY:1d')!;
    const changed = demo.map((d) => (d === spy ? perturbedAfter(d, fold.train.end) : d));
    const after = await walk(changed);
    for (let i = 0; i <= k; i++) {
      expect(after.wf.folds[i]!.chosen).toEqual(base.wf.folds[i]!.chosen);
      expect(after.wf.folds[i]!.inSampleScore).toBe(base.wf.folds[i]!.inSampleScore);
    }
    // The perturbation is real: the out-of-sample results after the cut moved.
    const moved = after.wf.folds.slice(k).some((f, j) => f.outOfSampleScore !== base.wf.folds[k + j]!.outOfSampleScore);
    expect(moved).toBe(true);
  }, 300_000);

  it('the stitched curve is exactly the test windows’ decision times, and each fold’s test run starts where its window does', async () => {
    const { wf, ts } = await walk(demo);
    const folds = foldWindows(ts, settings);
    const expected = folds.flatMap((f) => Array.from(ts.slice(f.test.from, f.test.to)));
    expect(Array.from(wf.ts)).toEqual(expected);
    for (const f of folds) expect(ts[f.train.to - 1]!).toBeLessThan(ts[f.test.from]!);
  }, 300_000);

  it('the command: stitched equity first, folds logged live as they finish, a stored record; bad input in one line', async () => {
    const io = fakeIo();
    const s = session();
    const r = await cmd.run(s, cmd.schema.parse({ db, grid: 'fast=5..20:5,slow=40..120:40', train: '3y', test: '1y' }), io);
    expect(r.status).toBe('ok');
    const series = r.blocks.find((b) => b.kind === 'series') as SeriesBlock;
    expect(series.title).toMatch(/stitched out-of-sample equity/);
    const folds = r.blocks.find((b) => b.kind === 'table' && b.title?.startsWith('folds')) as TableBlock;
    const foldLines = io.logged.filter((l) => l.startsWith('fold '));
    expect(foldLines.length).toBe(folds.rows.length);
    expect(foldLines[0]).toMatch(/^fold 1\/\d+ {2}train 2012-01-0\d\.\.2015-01-0\d {2}test 2015-01-0\d\.\.2016-01-0\d {2}fast=\d+ slow=\d+/);
    expect(io.progressed.some((p) => p.fraction === 1)).toBe(true);
    const overfit = r.blocks.find((b) => b.kind === 'metrics' && b.title?.startsWith('overfitting')) as MetricsBlock;
    expect(overfit.items.map((i) => i.name)).toEqual(expect.arrayContaining(['deflated Sharpe (DSR)', 'PBO (CSCV)']));
    expect(r.blocks.some((b) => b.kind === 'gates')).toBe(true);
    const stored = await latestWalkForward(db, 'sma_cross');
    expect(stored?.summary.folds).toBe(folds.rows.length);
    expect(stored?.probes.length).toBe(2);
    expect(io.logged.some((l) => l.startsWith(`stored as walk-forward ${stored!.id}`))).toBe(true);

    await expect(cmd.run(s, cmd.schema.parse({ db, test: '6m', step: '3m' }), fakeIo())).rejects.toThrow(/--step 3m is shorter than --test 6m/);
    await expect(cmd.run(s, cmd.schema.parse({ db, train: '40y' }), fakeIo())).rejects.toThrow(/too short for one fold/);
    await expect(cmd.run(s, cmd.schema.parse({ db, objective: 'sharp' }), fakeIo())).rejects.toThrow(/unknown objective 'sharp'; did you mean 'sharpe'/);
    await expect(cmd.run(s, cmd.schema.parse({ db, model: 'sma_crs' }), fakeIo())).rejects.toThrow(/unknown model 'sma_crs'; did you mean 'sma_cross'/);
  }, 300_000);
});
