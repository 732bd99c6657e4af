/**
 * Discovery on BullMQ workers (docs/scale-out.md, "Discovery"): `discover all` on the demo data (the
 * seeded synthetic market, all symbols, default span) run here, then with `--backend bullmq` on 1
 * and 2 `edgelab worker` processes through a local redis-server, each run on a fresh ledger, the
 * faster of two runs each.
 * Figures: each run's seconds, the speed-up of 2 processes over 1, each bullmq run against the local
 * one (same run, same machine), and the study units and probe groups sent. The bullmq results must
 * be byte-identical to the local one (the workload fails otherwise). Skips (one figure saying so)
 * without redis-server.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import discover from '../commands/discover.js';
import type { CommandIO } from '../src/shell/command.js';
import { createShell } from '../src/shell/runtime.js';
import { Session } from '../src/shell/session.js';
import { resultDigest } from '../src/shell/dispatcher.js';
import type { Dataset } from '../src/core/table.js';
import { exportSnapshot } from '../src/scale/data-snapshot.js';
import { redisServerAvailable, startLocalRedis } from '../src/scale/local-redis.js';
import type { BenchFigure, BenchWorkload } from './types.js';
import { startWorkers, stopAll } from './scale.bench.js';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '../..');

const quietIo = (labels: string[]): CommandIO => ({
  signal: new AbortController().signal, progress: (p) => void labels.push(p.label), log: () => undefined, execute: () => Promise.reject(new Error('not used')),
});

/** The faster of two runs, each on a fresh ledger (the machine is shared: the minimum is the least disturbed). */
async function timedDiscover(data: readonly Dataset[], db: string, extra: Record<string, unknown>): Promise<{ seconds: number; digest: string; labels: string[] }> {
  let best: { seconds: number; digest: string; labels: string[] } | undefined;
  for (const attempt of [1, 2]) {
    const session = new Session({ root });
    for (const d of data) session.addDataset(d);
    const labels: string[] = [];
    const t0 = performance.now();
    const r = await discover.run(session, discover.schema.parse({ families: ['all'], db: `${db}.${attempt}`, ...extra }), quietIo(labels));
    if (r.status !== 'ok') throw new Error(`discover failed: ${r.summary}`);
    const run = { seconds: (performance.now() - t0) / 1000, digest: resultDigest(r), labels };
    if (best && best.digest !== run.digest) throw new Error(`two runs of the same discover gave ${best.digest.slice(0, 12)} and ${run.digest.slice(0, 12)}`);
    if (!best || run.seconds < best.seconds) best = run;
  }
  return best!;
}

/** The last `k/n` of a progress label family, e.g. 'study units 18/18 on workers' → 18. */
const sent = (labels: readonly string[], what: RegExp): number => Number(labels.map((l) => what.exec(l)?.[1]).filter(Boolean).pop() ?? 0);

export const workloads: BenchWorkload[] = [
  {
    name: 'discover-bullmq',
    description: '`discover all` on the demo data here and on 1 and 2 BullMQ worker processes through a local redis-server (identical results required)',
    async run(): Promise<BenchFigure[]> {
      if (!redisServerAvailable()) return [{ name: 'skipped: redis-server is not installed', value: 0, unit: '' }];
      const dir = mkdtempSync(join(tmpdir(), 'edgelab-bench-discover-scale-'));
      const shell = await createShell({ root, cwd: dir, dataRoot: join(dir, 'data') });
      const ing = (await shell.dispatcher.execute('ingest synthetic')).result;
      if (ing.status !== 'ok') throw new Error(`ingest failed: ${ing.summary}`);
      const data = [...shell.session.datasets.values()];
      await shell.dispatcher.close();
      const redis = await startLocalRedis();
      const figures: BenchFigure[] = [];
      try {
        await exportSnapshot(data, join(dir, 'snap'));
        const local = await timedDiscover(data, join(dir, 'local.duckdb'), {});
        figures.push({ name: 'local (this process)', value: Number(local.seconds.toFixed(2)), unit: 's' });
        const seconds = new Map<number, number>();
        for (const count of [1, 2]) {
          const children = await startWorkers(redis.url, join(dir, 'snap'), count);
          try {
            const remote = await timedDiscover(data, join(dir, `bullmq-${count}.duckdb`), { backend: 'bullmq', redis: redis.url });
            if (remote.digest !== local.digest) throw new Error(`bullmq on ${count} process(es) gave result ${remote.digest.slice(0, 12)}, local ${local.digest.slice(0, 12)}`);
            seconds.set(count, remote.seconds);
            if (count === 1) {
              figures.push({ name: 'study units sent', value: sent(remote.labels, /study units \d+\/(\d+) on workers/), unit: 'jobs' });
              figures.push({ name: 'probe groups sent', value: sent(remote.labels, /probes \d+\/(\d+) groups on workers/), unit: 'jobs' });
            }
          } finally {
            await stopAll(children);
          }
          figures.push({ name: `bullmq, ${count} worker process${count > 1 ? 'es' : ''}`, value: Number(seconds.get(count)!.toFixed(2)), unit: 's' });
          figures.push({ name: `  local time / bullmq ${count} time`, value: Number((local.seconds / seconds.get(count)!).toFixed(3)), unit: 'ratio' });
        }
        figures.push({ name: 'speed-up of 2 processes over 1', value: Number((seconds.get(1)! / seconds.get(2)!).toFixed(3)), unit: 'ratio' });
      } finally {
        await redis.stop();
        rmSync(dir, { recursive: true, force: true });
      }
      return figures;
    },
  },
];
