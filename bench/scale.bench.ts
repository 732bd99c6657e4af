/**
 * Scale-out workload (issue 19): the same 200-trial sma_cross sweep (fast 2..40:2 × slow 45..135:10
 * over 100k 1m bars, every trial a full backtest through `runTrials`) on the local piscina pool with
 * 1 worker thread, then through Redis on 1, 2 and 4 `edgelab worker` processes (BullMQ), in trials/s.
 * Figures: each speed, the speed-up of 2 and 4 processes over 1, and the per-trial overhead of going
 * through Redis (1 process − 1 local thread, per trial). Skips (one figure saying so) without
 * redis-server. EDGELAB_BENCH_SCALE_BARS sets another bar count.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config/load.js';
import { Session } from '../src/shell/session.js';
import { experimentFromOverlay } from '../src/optimize/experiment.js';
import { gridPoints, parseGridFlag, type Point } from '../src/optimize/dimensions.js';
import { runTrials } from '../src/optimize/runner.js';
import { exportSnapshot } from '../src/scale/data-snapshot.js';
import { parseRedisUrl } from '../src/scale/connection.js';
import { redisServerAvailable, startLocalRedis } from '../src/scale/local-redis.js';
import type { BenchFigure, BenchWorkload } from './types.js';
import { minuteBars } from './optimize.bench.js';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '../..');

/** `count` edgelab worker processes on a snapshot folder, resolved when each says it is ready. */
export function startWorkers(url: string, snapshot: string, count: number): Promise<ChildProcess[]> {
  return Promise.all(Array.from({ length: count }, (_, k) => new Promise<ChildProcess>((resolve, reject) => {
    const child = spawn('node', [join(root, 'bin/edgelab.js'), 'worker', '--redis', url, '--snapshot', snapshot, '--id', `bench-${count}-${k}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    let text = '';
    child.stderr!.on('data', (d: Buffer) => {
      text += d.toString();
      if (text.includes('ready on')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`worker exited (${code}): ${text}`)));
  })));
}

export const stopAll = async (children: ChildProcess[]): Promise<void> => {
  await Promise.all(children.map((c) => new Promise<void>((r) => {
    c.removeAllListeners('exit');
    c.once('exit', () => r());
    c.kill('SIGTERM');
  })));
};

export const workloads: BenchWorkload[] = [
  {
    name: 'scale-bullmq-sweep-200',
    description: 'a 200-trial sma_cross sweep on the local pool (1 thread) and on 1, 2, 4 BullMQ worker processes through a local redis-server',
    async run(): Promise<BenchFigure[]> {
      if (!redisServerAvailable()) return [{ name: 'skipped: redis-server is not installed', value: 0, unit: '' }];
      const n = Number(process.env['EDGELAB_BENCH_SCALE_BARS'] ?? 100_000);
      const data = minuteBars(n, 5, 'bench-scale', Date.UTC(2020, 0, 1));
      const base = loadConfig(join(root, 'configs/base.yaml')).config;
      const withX = { ...base, backtest: { ...base.backtest, universe: { X: { asset_class: 'crypto_perp' as const } } } };
      const experiment = experimentFromOverlay('bench', { optimize: { model: 'sma_cross', interval: '1m', commission_pct: 0 } }, withX, 'bench');
      const dims = parseGridFlag('fast=2..40:2,slow=45..135:10', (name) => `backtest.models.sma_cross.parameters.${name}`);
      const points: Point[] = gridPoints(dims).map((p) => ({ ...p, 'backtest.models.sma_cross.parameters.symbol': 'X' }));
      const session = new Session({ root });
      session.addDataset(data);
      const dir = mkdtempSync(join(tmpdir(), 'edgelab-bench-scale-'));
      const redis = await startLocalRedis();
      const figures: BenchFigure[] = [{ name: 'trials', value: points.length, unit: 'trials' }, { name: 'bars per trial', value: n, unit: 'bars' }];
      try {
        await exportSnapshot([data], join(dir, 'snap'));
        const t0 = performance.now();
        await runTrials(session, { base: experiment, points, workers: 1, store: false });
        const localMs = performance.now() - t0;
        figures.push({ name: 'local pool, 1 thread', value: Number((points.length / (localMs / 1000)).toFixed(2)), unit: 'trials/s' });
        const times = new Map<number, number>();
        for (const count of [1, 2, 4]) {
          const children = await startWorkers(redis.url, join(dir, 'snap'), count);
          try {
            const t = performance.now();
            await runTrials(session, { base: experiment, points, store: false, bullmq: { target: parseRedisUrl(redis.url), sweep: `bench-${count}` } });
            times.set(count, performance.now() - t);
          } finally {
            await stopAll(children);
          }
          figures.push({ name: `bullmq, ${count} worker process${count > 1 ? 'es' : ''}`, value: Number((points.length / (times.get(count)! / 1000)).toFixed(2)), unit: 'trials/s' });
        }
        figures.push({ name: 'speed-up of 2 processes over 1', value: Number((times.get(1)! / times.get(2)!).toFixed(3)), unit: 'ratio' });
        figures.push({ name: 'speed-up of 4 processes over 1', value: Number((times.get(1)! / times.get(4)!).toFixed(3)), unit: 'ratio' });
        figures.push({ name: 'overhead per trial through Redis (1 process − local 1 thread)', value: Number(((times.get(1)! - localMs) / points.length).toFixed(2)), unit: 'ms' });
      } finally {
        await redis.stop();
        rmSync(dir, { recursive: true, force: true });
      }
      return figures;
    },
  },
];
