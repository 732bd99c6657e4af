/**
 * The trial runner: a trial's metrics are the backtest's own (the same plan through
 * runBacktestReport, built here without the optimiser); a repeated trial is read back from DuckDB,
 * not recomputed (the stored row is altered and the altered value comes back); the worker pool
 * gives the same trials as the job thread; each trial carries its plan's digest; a window restricts
 * the decisions; an infeasible point says why.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { loadConfig } from '../../src/config/load.js';
import { createRng } from '../../src/core/rng.js';
import { tableDigest, type BarFrame, type Dataset } from '../../src/core/table.js';
import { singleModelPlan } from '../../src/backtest/run-backtest-plan.js';
import { runBacktestReport } from '../../src/backtest/run-backtest.js';
import { Session } from '../../src/shell/session.js';
import { digestOf } from '../../src/core/canonical.js';
import { experimentFromOverlay, planOfPoint } from '../../src/optimize/experiment.js';
import { runTrials } from '../../src/optimize/runner.js';
import { tempFiles } from '../helpers/temp-files.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const tmp = tempFiles('optimize-runner');
const DAY = 86_400_000;

function dailyBars(n: number): Dataset {
  const rng = createRng(3, 'optimize-runner');
  const cols = { ts: new Float64Array(n), open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), volume: new Float64Array(n) };
  let c = 100;
  for (let i = 0; i < n; i++) {
    const o = c;
    c = o * Math.exp(0.0003 + 0.012 * rng.normal());
    cols.ts[i] = Date.UTC(2015, 0, 1) + i * DAY;
    cols.open[i] = o;
    cols.close[i] = c;
    cols.high[i] = Math.max(o, c) * 1.004;
    cols.low[i] = Math.min(o, c) * 0.996;
    cols.volume[i] = 1e6;
  }
  const table = { length: n, columns: cols } as unknown as BarFrame;
  return { name: 'SPY:1d', kind: 'bars', stage: 'clean', symbol: 'SPY', interval: '1d', assetClass: 'etf', source: 'test', table, digest: tableDigest(table) };
}

const data = dailyBars(900);
function session(): Session {
  const s = new Session({ root, cwd: tmp.dir });
  s.addDataset(data);
  return s;
}
const base = loadConfig(join(root, 'configs/base.yaml')).config;
const experiment = experimentFromOverlay('t', { optimize: { model: 'sma_cross', interval: '1d' } }, base, 'test');
const P = 'backtest.models.sma_cross.parameters.';
const points = [
  { [`${P}fast`]: 5, [`${P}slow`]: 20 },
  { [`${P}fast`]: 10, [`${P}slow`]: 40 },
  { [`${P}fast`]: 40, [`${P}slow`]: 20 }, // infeasible: fast ≥ slow
];

describe('runTrials', () => {
  it("gives the backtest's own metrics and return series for each point", async () => {
    const got = await runTrials(session(), { base: experiment, points: points.slice(0, 2), workers: 0, store: false });
    for (const [i, [fast, slow]] of [[5, 20], [10, 40]].entries()) {
      const plan = singleModelPlan(base, 'sma_cross', { params: { fast, slow }, interval: '1d' });
      const report = await runBacktestReport(plan, new Map([[data.name, data]]), { probes: false });
      for (const [k, v] of Object.entries(report.metrics)) expect(got[i]!.metrics[k], k).toBe(Number.isFinite(v) ? v : null);
      expect(got[i]!.score).toBe(report.metrics['bps']);
      expect(got[i]!.trades).toBe(report.result.trades.filter((t) => t.exitTs !== null).length);
      expect(got[i]!.returns.length).toBe(report.result.nav.length - 1);
      expect(got[i]!.returns[5]).toBe(report.result.nav[6]! / report.result.nav[5]! - 1);
    }
  });

  it('reports an infeasible point with the reason and no score', async () => {
    const [bad] = await runTrials(session(), { base: experiment, points: [points[2]!], workers: 0, store: false });
    expect(bad!.infeasible).toMatch(/fast must be shorter than slow/);
    expect(bad!.score).toBeNull();
  });

  it('reads a repeated trial back from the results database instead of recomputing it', async () => {
    const db = join(tmp.dir, 'trials.duckdb');
    const first = await runTrials(session(), { base: experiment, points: points.slice(0, 2), workers: 0, db });
    expect(first.map((r) => r.cached)).toEqual([false, false]);
    // alter the stored row: a recomputed trial would give the true value, a read-back one this
    const inst = await DuckDBInstance.create(db);
    const conn = await inst.connect();
    await conn.run(`UPDATE trials SET metrics = '{"bps":123.5}' WHERE trial_key = '${first[0]!.key}'`);
    conn.closeSync();
    inst.closeSync();
    const second = await runTrials(session(), { base: experiment, points: points.slice(0, 2), workers: 0, db });
    expect(second.map((r) => r.cached)).toEqual([true, true]);
    expect(second[0]!.score).toBe(123.5);
    expect(second[1]!.metrics).toEqual(first[1]!.metrics);
    expect(second[1]!.returns).toEqual(first[1]!.returns);
    expect(second[0]!.key).toBe(first[0]!.key);
  });

  it('each trial carries its plan digest, computed or read back', async () => {
    const db = join(tmp.dir, 'trials3.duckdb');
    for (const cached of [false, true]) {
      const got = await runTrials(session(), { base: experiment, points: points.slice(0, 2), workers: 0, db });
      got.forEach((r, i) => {
        expect(r.cached).toBe(cached);
        expect(r.configDigest).toBe(digestOf(planOfPoint(experiment, points[i]!)));
      });
    }
  });

  it('another dataset digest is another trial (no stale read-back)', async () => {
    const db = join(tmp.dir, 'trials2.duckdb');
    const a = await runTrials(session(), { base: experiment, points: points.slice(0, 1), workers: 0, db });
    const s = session();
    const other = dailyBars(901);
    s.addDataset(other);
    const b = await runTrials(s, { base: experiment, points: points.slice(0, 1), workers: 0, db });
    expect(b[0]!.key).not.toBe(a[0]!.key);
    expect(b[0]!.cached).toBe(false);
  });

  it('a window restricts the decisions to it', async () => {
    const start = Date.UTC(2016, 0, 1);
    const end = Date.UTC(2016, 11, 31);
    const [r] = await runTrials(session(), { base: experiment, points: points.slice(0, 1), workers: 0, store: false, window: { start, end } });
    expect(r!.returnTs[0]!).toBeGreaterThanOrEqual(start);
    expect(r!.returnTs[r!.returnTs.length - 1]!).toBeLessThanOrEqual(end + DAY);
  });

  const built = existsSync(join(root, 'dist/src/optimize/trial-worker.js'));
  it.skipIf(!built)('the worker pool (2 threads) gives the same trials as the job thread', async () => {
    const inline = await runTrials(session(), { base: experiment, points, workers: 0, store: false });
    const pooled = await runTrials(session(), { base: experiment, points, workers: 2, store: false });
    expect(pooled).toEqual(inline);
    pooled.slice(0, 2).forEach((r, i) => expect(r.configDigest).toBe(digestOf(planOfPoint(experiment, points[i]!))));
  });
  if (!built) it('skips the pool test: run npm run build first (workers load the compiled trial worker)', () => undefined);
});
