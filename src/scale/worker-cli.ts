/**
 * `edgelab worker --redis URL [--concurrency N] (--snapshot DIR | --script FILE)` (docs/scale-out.md):
 * a worker process for sweeps on BullMQ. Its data comes from a snapshot folder (`snapshot export`
 * on the shell's machine) or from running a session script (e.g. `ingest synthetic`), and is named
 * by its digest: it only takes trials for exactly that data. `--concurrency N` starts N worker
 * processes (trials are CPU work: one process per core). It runs until SIGINT/SIGTERM, finishing
 * the trial in hand.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import type { Dataset } from '../core/table.js';
import { createShell } from '../shell/runtime.js';
import { readScript } from '../shell/script.js';
import { importSnapshot, snapshotDigest } from './data-snapshot.js';
import { parseRedisUrl } from './connection.js';
import { startScaleWorker } from './worker.js';

export interface WorkerArgs {
  readonly redis?: string;
  readonly concurrency: number;
  readonly snapshot?: string;
  readonly script?: string;
  readonly id?: string;
}

async function workerData(a: WorkerArgs): Promise<Map<string, Dataset>> {
  if (a.snapshot !== undefined) return new Map((await importSnapshot(resolve(a.snapshot))).datasets.map((d) => [d.name, d]));
  if (a.script === undefined) throw new UserError('a worker needs its data: --snapshot DIR (from `snapshot export DIR`) or --script FILE (a session script that loads it)', 'worker');
  const dataRoot = mkdtempSync(join(tmpdir(), 'edgelab-worker-'));
  try {
    const { dispatcher, session } = await createShell({ dataRoot });
    for (const line of readScript(resolve(a.script))) {
      const ex = await dispatcher.execute(line.text);
      if (ex.result.status !== 'ok' && !line.expectError) throw new UserError(`line ${line.lineNo} of the script failed: ${line.text}`, a.script);
    }
    await dispatcher.close();
    return new Map(session.datasets);
  } finally {
    rmSync(dataRoot, { recursive: true, force: true });
  }
}

export async function runWorkerCli(a: WorkerArgs, argv: readonly string[]): Promise<number> {
  if (a.redis === undefined) throw new UserError('needs --redis URL (the Redis the shell sends trials to)', 'worker');
  const target = parseRedisUrl(a.redis);
  if (!Number.isInteger(a.concurrency) || a.concurrency < 1 || a.concurrency > 64) throw new UserError(`--concurrency needs an integer 1..64, got ${a.concurrency}`, 'worker');
  if (a.concurrency > 1) {
    const rest = argv.filter((x, i) => x !== '--concurrency' && argv[i - 1] !== '--concurrency' && !x.startsWith('--concurrency='));
    const children = Array.from({ length: a.concurrency }, (_, k) => fork(process.argv[1]!, ['worker', ...rest, '--concurrency', '1', '--id', `${a.id ?? 'w'}-${process.pid}-${k + 1}`], { stdio: 'inherit' }));
    const stop = (): void => children.forEach((c) => c.kill('SIGTERM'));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const codes = await Promise.all(children.map((c) => new Promise<number>((r) => c.once('exit', (code) => r(code ?? 0)))));
    return Math.max(0, ...codes);
  }
  const datasets = await workerData(a);
  const worker = await startScaleWorker({ target, datasets, dataDigest: snapshotDigest(datasets.values()), ...(a.id ? { id: a.id } : {}) });
  await new Promise<void>((r) => {
    process.once('SIGINT', () => r());
    process.once('SIGTERM', () => r());
  });
  await worker.close();
  return 0;
}
