/**
 * A scale-out worker (docs/scale-out.md, "Workers"): takes trials for its data snapshot from Redis
 * through BullMQ, evaluates them with the registered trial kinds, and returns each result as the
 * job's return value. It announces itself in `edgelab:worker:<id>` every second and refuses, with a
 * message naming both digests, every announced sweep whose data differs from its own.
 *
 * A worker killed mid-trial holds its job's lock until the lock expires; BullMQ's stalled-job check
 * then moves the job back to waiting and another worker takes it. Results are recorded by the shell
 * once per trial id, so a trial evaluated twice is still recorded once.
 */
import { hostname } from 'node:os';
import { Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Dataset } from '../core/table.js';
import { messageOf } from '../core/errors.js';
import { bullConnection, type RedisTarget } from './connection.js';
import { decodeSpec, HEARTBEAT_MS, queueName, refusalsKey, SWEEPS_KEY, WORKER_KEY_PREFIX, WORKER_TTL_S, workerFields, type TrialJobData } from './protocol.js';
import { loadTrialKinds, trialEvaluator } from './trial-kinds.js';

export interface ScaleWorkerOptions {
  readonly target: RedisTarget;
  readonly datasets: ReadonlyMap<string, Dataset>;
  readonly dataDigest: string;
  readonly id?: string;
  /** How long a trial's lock lasts without renewal: a killed worker's trial is retried after about this long. @default 10000 */
  readonly lockMs?: number;
  readonly log?: (line: string) => void;
}

export interface ScaleWorker {
  readonly id: string;
  /** Stop taking trials; finish the running one; remove the worker's record. */
  close(): Promise<void>;
}

export async function startScaleWorker(o: ScaleWorkerOptions): Promise<ScaleWorker> {
  await loadTrialKinds();
  const id = o.id ?? `${hostname()}-${process.pid}`;
  const log = o.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const started = performance.now();
  const stats = { done: 0, failed: 0, busyMs: 0 };
  const lockMs = o.lockMs ?? 10_000;

  const worker = new Worker<TrialJobData>(
    queueName(o.dataDigest),
    async (job: Job<TrialJobData>) => {
      if (job.data.data !== o.dataDigest) {
        throw new Error(`data snapshot mismatch: trial ${job.data.trial} needs data ${job.data.data.slice(0, 12)}, this worker has ${o.dataDigest.slice(0, 12)}`);
      }
      const t0 = performance.now();
      try {
        return await trialEvaluator(job.data.kind)(o.datasets, decodeSpec(job.data.spec));
      } finally {
        stats.busyMs += performance.now() - t0;
      }
    },
    { connection: bullConnection(o.target), concurrency: 1, lockDuration: lockMs, stalledInterval: Math.max(500, Math.floor(lockMs / 2)), maxStalledCount: 5, name: id },
  );
  worker.on('completed', () => void stats.done++);
  worker.on('failed', (job, err) => {
    stats.failed++;
    log(`worker ${id}: trial ${job?.data.trial ?? '?'} failed: ${messageOf(err)}`);
  });
  worker.on('error', (err) => log(`worker ${id}: ${messageOf(err)}`));

  const redis = new Redis(o.target.url, { maxRetriesPerRequest: null, retryStrategy: (times) => Math.min(50 * times, 1000) });
  redis.on('error', () => undefined); // reconnects by itself; the heartbeat just misses a beat
  const refused = new Set<string>();
  const beat = async (): Promise<void> => {
    const key = `${WORKER_KEY_PREFIX}${id}`;
    const record = { id, host: hostname(), pid: process.pid, data: o.dataDigest, concurrency: 1, uptimeMs: Math.round(performance.now() - started), done: stats.done, failed: stats.failed, busyMs: Math.round(stats.busyMs) };
    await redis.multi().hset(key, workerFields(record)).expire(key, WORKER_TTL_S).exec();
    const sweeps = await redis.hgetall(SWEEPS_KEY);
    for (const [sweep, digest] of Object.entries(sweeps)) {
      if (digest === o.dataDigest || refused.has(sweep)) continue;
      refused.add(sweep);
      const message = `worker ${id} refuses sweep ${sweep}: its data digest ${digest.slice(0, 16)} differs from this worker's ${o.dataDigest.slice(0, 16)} (load the sweep's snapshot: edgelab snapshot import PATH)`;
      await redis.hset(refusalsKey(sweep), id, message);
      log(message);
    }
  };
  let beating: Promise<void> = Promise.resolve();
  const tick = (): void => {
    beating = beat().catch(() => undefined);
  };
  tick();
  const timer = setInterval(tick, HEARTBEAT_MS);
  await worker.waitUntilReady();
  log(`worker ${id}: ready on ${queueName(o.dataDigest)} (data ${o.dataDigest.slice(0, 16)}, ${o.datasets.size} datasets)`);

  return {
    id,
    async close() {
      clearInterval(timer);
      await beating;
      await worker.close();
      await redis.del(`${WORKER_KEY_PREFIX}${id}`).catch(() => undefined);
      redis.disconnect();
    },
  };
}
