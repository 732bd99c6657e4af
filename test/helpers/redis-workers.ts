/**
 * The scale-out tests' shared setup (docs/scale-out.md, "Testing"): a throwaway redis-server on
 * 127.0.0.1, the session data a setup line loads, and BullMQ workers holding that data — in this
 * process (`startScaleWorker`) or as real `edgelab worker` processes (bin/edgelab.js, so they can be
 * frozen and killed). Without redis-server the tests skip with a message (`.ci/run` installs it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { Dataset } from '../../src/core/table.js';
import type { CommandIO, Progress } from '../../src/shell/command.js';
import { createShell } from '../../src/shell/runtime.js';
import { Session } from '../../src/shell/session.js';
import { parseRedisUrl } from '../../src/scale/connection.js';
import { snapshotDigest } from '../../src/scale/data-snapshot.js';
import { redisServerAvailable, startLocalRedis, type LocalRedis } from '../../src/scale/local-redis.js';
import { startScaleWorker, type ScaleWorker } from '../../src/scale/worker.js';

export const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const bin = join(repoRoot, 'bin/edgelab.js');

/** Is redis-server installed? If not, say once which tests are skipped and why. */
export function haveRedisServer(skipped: string): boolean {
  const have = redisServerAvailable();
  if (!have) console.warn(`test/scale: redis-server is not installed (apt-get install redis-server; .ci/run does) — ${skipped} skipped`);
  return have;
}

/** A command IO that records logs and progress; `abort()` cancels like the shell's cancel key. */
export function recordingIo(): CommandIO & { logged: string[]; progressed: Progress[]; abort(): void } {
  const stop = new AbortController();
  const logged: string[] = [];
  const progressed: Progress[] = [];
  return {
    signal: stop.signal, progress: (p) => progressed.push(p), log: (m) => logged.push(m), execute: () => Promise.reject(new Error('not used')),
    logged, progressed, abort: () => stop.abort(),
  };
}

/** The datasets one setup line (e.g. `ingest synthetic --years 1`) loads in a fresh shell. */
export async function loadData(setup: string, dir: string, name = 'data'): Promise<Dataset[]> {
  const shell = await createShell({ root: repoRoot, cwd: dir, dataRoot: join(dir, name) });
  const r = await shell.dispatcher.execute(setup);
  expect(r.result.status, `${setup}: ${JSON.stringify(r.result.blocks).slice(0, 300)}`).toBe('ok');
  const data = [...shell.session.datasets.values()];
  await shell.dispatcher.close();
  return data;
}

/** A fresh session (repo config, default seed) holding `data`. */
export function sessionWith(data: readonly Dataset[], cwd: string): Session {
  const s = new Session({ root: repoRoot, cwd });
  for (const d of data) s.addDataset(d);
  return s;
}

export interface InProcessCluster {
  readonly redis: LocalRedis;
  readonly workers: ScaleWorker[];
  stop(): Promise<void>;
}

/** redis-server plus one in-process worker per id, all holding `data`. */
export async function redisWithWorkers(data: readonly Dataset[], ids: readonly string[], lockMs?: number): Promise<InProcessCluster> {
  const redis = await startLocalRedis();
  const datasets = new Map(data.map((d) => [d.name, d]));
  const workers: ScaleWorker[] = [];
  for (const id of ids) {
    workers.push(await startScaleWorker({ target: parseRedisUrl(redis.url), datasets, dataDigest: snapshotDigest(data), id, log: () => undefined, ...(lockMs ? { lockMs } : {}) }));
  }
  return {
    redis, workers,
    async stop() {
      for (const w of workers) await w.close();
      await redis.stop();
    },
  };
}

export interface WorkerProcess {
  readonly id: string;
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  /** Everything it printed, line by line. */
  readonly log: string[];
}

/** `edgelab worker --redis URL --script FILE --id ID` as a child process; `ready` once it says so. */
export function startWorkerProcess(url: string, script: string, id: string): WorkerProcess {
  const log: string[] = [];
  const child = spawn('node', [bin, 'worker', '--redis', url, '--script', script, '--id', id], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  const ready = new Promise<void>((res, rej) => {
    const onData = (d: Buffer): void => {
      log.push(...d.toString().split('\n').filter(Boolean));
      if (log.some((l) => l.includes('ready on'))) res();
    };
    child.stderr!.on('data', onData);
    child.stdout!.on('data', onData);
    child.once('exit', (code) => rej(new Error(`worker ${id} exited (${code}) before ready: ${log.join(' | ')}`)));
  });
  return { id, child, ready, log };
}

export interface ProcessCluster {
  readonly redis: LocalRedis;
  readonly workers: WorkerProcess[];
  stop(): Promise<void>;
}

/** redis-server plus one `edgelab worker` process per id, each loading its data by running `setup`. */
export async function redisWithWorkerProcesses(setup: string, ids: readonly string[], dir: string): Promise<ProcessCluster> {
  const redis = await startLocalRedis();
  const script = join(dir, 'worker-data.edgelab');
  writeFileSync(script, `${setup}\n`);
  const workers = ids.map((id) => startWorkerProcess(redis.url, script, id));
  const stop = async (): Promise<void> => {
    await Promise.all(workers.map((w) => (w.child.exitCode !== null || w.child.signalCode !== null ? undefined : new Promise((r) => {
      w.child.once('exit', r);
      w.child.kill('SIGCONT'); // a frozen worker (SIGSTOP) must run again to hear SIGTERM
      w.child.kill('SIGTERM');
    }))));
    await redis.stop();
  };
  try {
    await Promise.all(workers.map((w) => w.ready));
  } catch (err) {
    await stop();
    throw err;
  }
  return { redis, workers, stop };
}
