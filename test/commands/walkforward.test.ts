/**
 * `walkforward` on the backtest engine with the synthetic SPY (daily bars 2012-01 .. 2022-01):
 * perturb-the-future (bars after a fold's selection window changed → that fold's choice and
 * in-sample scores unchanged), the stitched curve covers exactly the test windows' decision times,
 * the command's result, live fold lines, stored record, and bad input in one line.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
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
import { trialEvaluator } from '../../src/walkforward/trial-evaluator.js';
import { resolveWalkForwardTarget } from '../../src/walkforward/target.js';
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

/** The command's path: each fold's points are a runTrials sweep (no store, job thread). */
async function walk(datasets: readonly Dataset[]) {
  const s = session(datasets);
  const target = await resolveWalkForwardTarget(s, { target: 'sma_cross', grid: 'fast=5..20:5,slow=40..120:40' }, db);
  const options = { config: s.config, datasets: s.datasets, model: 'sma_cross', baseParams: { symbol: 'SPY' }, plan: { interval: '1d' as const } };
  const whole = await runBacktestReport(planFor(options, points[0]!), s.datasets, { probes: false });
  const evaluator = trialEvaluator({ session: s, base: target.base, pathOf: target.pathOf, objective: 'bps', workers: 0, store: false });
  const wf = await runWalkForward({ ts: whole.result.ts, settings, points: target.points, evaluator, periodsPerYear: whole.periodsPerYear, pboSlices: 8 });
  return { wf, ts: whole.result.ts, evaluator };
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

  it('the trial runner chooses what independent backtests choose: same points, in-sample scores and stitched equity as the backtest-report evaluator', async () => {
    const viaTrials = await walk(demo);
    const s = session();
    const options = { config: s.config, datasets: s.datasets, model: 'sma_cross', baseParams: { symbol: 'SPY' }, plan: { interval: '1d' as const } };
    const reference = await runWalkForward({ ts: viaTrials.ts, settings, points, evaluator: backtestEvaluator(options), periodsPerYear: 252, pboSlices: 8 });
    expect(viaTrials.wf.folds.map((f) => f.chosen)).toEqual(reference.folds.map((f) => f.chosen));
    expect(viaTrials.wf.folds.map((f) => f.inSampleScore)).toEqual(reference.folds.map((f) => f.inSampleScore));
    expect(viaTrials.wf.folds.map((f) => f.outOfSampleScore)).toEqual(reference.folds.map((f) => f.outOfSampleScore));
    expect(Array.from(viaTrials.wf.equity)).toEqual(Array.from(reference.equity));
    // Each fold: every point on its training window and on its test window, the chosen test trial shared.
    const counts = viaTrials.evaluator.counts();
    expect(counts).toEqual({ trials: viaTrials.wf.folds.length * 2 * points.length, cached: 0, navRuns: viaTrials.wf.folds.length });
  }, 300_000);

  it('the command: stitched equity first, folds logged live as they finish, a stored record; bad input in one line', async () => {
    const io = fakeIo();
    const s = session();
    const r = await cmd.run(s, cmd.schema.parse({ db, grid: 'fast=5..20:5,slow=40..120:40', train: '3y', test: '1y', workers: 0 }), io);
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
    await expect(cmd.run(s, cmd.schema.parse({ db, target: 'sma_crs' }), fakeIo())).rejects.toThrow(/unknown model 'sma_crs'; did you mean 'sma_cross'/);
  }, 300_000);

  it('a repeated walk-forward reads every trial back (none recomputed, same result); each window is its own trial', async () => {
    const trialsDb = join(dir, 'repeat.duckdb');
    const line = { db: trialsDb, grid: 'fast=5..20:5,slow=40..120:40', train: '3y', test: '1y', workers: 0 };
    const first = fakeIo();
    const a = await cmd.run(session(), cmd.schema.parse(line), first);
    const second = fakeIo();
    const b = await cmd.run(session(), cmd.schema.parse(line), second);
    const folds = (a.blocks.find((x) => x.kind === 'table' && x.title?.startsWith('folds')) as TableBlock).rows.length;
    const n = folds * 2 * points.length; // every point on each training and each test window
    expect(first.logged).toContain(`0 of ${n} trials read back from the results database, ${n} computed (job thread); ${folds} test-window backtests for the stitched curve`);
    expect(second.logged).toContain(`${n} of ${n} trials read back from the results database, 0 computed (job thread); ${folds} test-window backtests for the stitched curve`);
    expect(b.blocks).toEqual(a.blocks);
    // The window is in the trial's plan: one stored trial per (point, window), each with its own config digest.
    const conn = await (await DuckDBInstance.create(trialsDb)).connect();
    const row = (await (await conn.runAndReadAll('SELECT count(*) AS n, count(DISTINCT trial_key) AS k, count(DISTINCT config_digest) AS c, count(DISTINCT point) AS p FROM trials')).getRowObjects())[0]!;
    conn.closeSync();
    expect([Number(row['n']), Number(row['k']), Number(row['c']), Number(row['p'])]).toEqual([n, n, n, points.length]);
  }, 300_000);

  it('an experiment file walks forward like the model with the same grid; its own objective and infeasible points are reported', async () => {
    const file = join(dir, 'wf-small.yaml');
    writeFileSync(file, 'optimize:\n  model: sma_cross\n  interval: 1d\n  objective: sharpe\nbacktest:\n  models:\n    sma_cross:\n      parameters:\n        symbol: SPY\n        fast: [5, 10, 40, 80]\n        slow: { from: 40, to: 80, step: 40 }\n');
    const io = fakeIo();
    const viaExperiment = await cmd.run(session(), cmd.schema.parse({ target: file, train: '3y', test: '1y', workers: 0, noStore: true }), io);
    // fast 40 and 80 with slow 40, and fast 80 with slow 80, are not valid sma_cross settings (fast < slow).
    expect(io.logged.some((l) => /^3 grid point\(s\) left out: .*fast/.test(l))).toBe(true);
    // The same five feasible points, in the same order, given as a model and a --grid.
    const viaModel = await cmd.run(session(), cmd.schema.parse({ target: 'sma_cross', grid: 'fast=5|10|40,slow=40|80', objective: 'sharpe', train: '3y', test: '1y', workers: 0, noStore: true }), fakeIo());
    const foldsOf = (r: typeof viaModel) => (r.blocks.find((x) => x.kind === 'table' && x.title?.startsWith('folds')) as TableBlock).rows;
    expect(foldsOf(viaExperiment).length).toBeGreaterThanOrEqual(5);
    expect(foldsOf(viaExperiment)).toEqual(foldsOf(viaModel));
    const summaryOf = (r: typeof viaModel) => (r.blocks.find((x) => x.kind === 'metrics' && x.title === 'stitched out-of-sample') as MetricsBlock).items;
    expect(summaryOf(viaExperiment)).toEqual(summaryOf(viaModel));
    await expect(cmd.run(session(), cmd.schema.parse({ target: 'dem0', workers: 0 }), fakeIo())).rejects.toThrow(/unknown model 'dem0'; did you mean 'demo'/);
    const continuous = join(dir, 'wf-continuous.yaml');
    writeFileSync(continuous, 'optimize:\n  model: sma_cross\nbacktest:\n  models:\n    sma_cross:\n      parameters:\n        fast: { uniform: [5, 20] }\n');
    await expect(cmd.run(session(), cmd.schema.parse({ target: continuous, workers: 0 }), fakeIo())).rejects.toThrow(/backtest\.models\.sma_cross\.parameters\.fast is a continuous distribution: a grid cannot enumerate it/);
  }, 300_000);

  const built = existsSync(join(root, 'dist/src/optimize/trial-worker.js'));
  it.skipIf(!built)('one worker pool (2 threads) serves every fold and gives the job thread’s walk-forward', async () => {
    const line = { grid: 'fast=5|10|20,slow=40|80', train: '3y', test: '1y', validation: '3m', noStore: true };
    const inline = await cmd.run(session(), cmd.schema.parse({ ...line, workers: 0 }), fakeIo());
    const pooled = await cmd.run(session(), cmd.schema.parse({ ...line, workers: 2 }), fakeIo());
    expect(pooled.blocks).toEqual(inline.blocks);
  }, 300_000);
  if (!built) it('skips the pool test: run npm run build first (workers load the compiled trial worker)', () => undefined);
});
