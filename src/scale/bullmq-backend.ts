/**
 * The shell's side of a scale-out sweep (docs/scale-out.md, "Sweeps"): trials go to Redis as BullMQ
 * jobs on the queue of the session's data snapshot, workers evaluate them, and the results come back
 * here, where the caller records them (the shell owns the results store).
 *
 * Nothing is lost or counted twice:
 * - job ids are trial ids (protocol.ts), so adding a trial again is a no-op;
 * - a finished job stays in Redis until its result has been handed to `onResult`, which is called
 *   once per trial id; a shell restarted mid-sweep finds the results that finished meanwhile;
 * - every second the pending trials are checked: a job Redis no longer has (Redis restarted without
 *   persistence) is added again, so a Redis restart costs time, never a result;
 * - a worker killed mid-trial: BullMQ's stalled-job check hands the trial to another worker.
 */
import { Queue, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { CancelledError, UserError } from '../core/errors.js';
import { bullConnection, type RedisTarget } from './connection.js';
import { encodeSpec, queueName, refusalsKey, SWEEPS_KEY, trialId, WORKER_KEY_PREFIX, workerFromFields, type TrialJobData, type WorkerRecord } from './protocol.js';

export interface DistributedTrial {
  readonly kind: string;
  readonly spec: unknown;
}

export interface DistributedSweepOptions {
  readonly target: RedisTarget;
  readonly sweep: string;
  readonly dataDigest: string;
  readonly trials: readonly DistributedTrial[];
  /** Results the caller already holds (read back from the store): those trials are not sent. */
  readonly known?: (trialId: string) => unknown;
  /** Called once per trial id, in the order results arrive. Record the result before resolving. */
  readonly onResult?: (trialId: string, result: unknown) => Promise<void> | void;
  readonly onProgress?: (done: number, total: number, note?: string) => void;
  readonly onLog?: (line: string) => void;
  readonly signal?: AbortSignal;
  /** Attempts per trial before the sweep fails (a trial that throws). @default 3 */
  readonly attempts?: number;
  readonly pollMs?: number;
  readonly checkMs?: number;
}

export interface DistributedSweepResult {
  /** Results in the order of `trials`. */
  readonly results: readonly unknown[];
  readonly ids: readonly string[];
  /** Trials evaluated by workers in this call (the rest were known). */
  readonly evaluated: number;
  /** Jobs added again because Redis had lost them. */
  readonly requeued: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function runSweepOnBullmq(o: DistributedSweepOptions): Promise<DistributedSweepResult> {
  const ids = o.trials.map((t) => trialId(t.kind, t.spec, o.dataDigest));
  const byId = new Map<string, DistributedTrial>();
  ids.forEach((id, i) => byId.set(id, o.trials[i]!));
  const results = new Map<string, unknown>();
  for (const id of byId.keys()) {
    const known = o.known?.(id);
    if (known !== undefined) results.set(id, known);
  }
  const pending = new Set([...byId.keys()].filter((id) => !results.has(id)));
  const total = byId.size;
  if (pending.size === 0) return { results: ids.map((id) => results.get(id)), ids, evaluated: 0, requeued: 0 };

  const connection = bullConnection(o.target);
  const queue = new Queue<TrialJobData>(queueName(o.dataDigest), { connection });
  const redis = new Redis(o.target.url, { maxRetriesPerRequest: null, retryStrategy: (times) => Math.min(50 * times, 1000) });
  redis.on('error', () => undefined);
  queue.on('error', () => undefined);
  const attempts = o.attempts ?? 3;
  const jobOf = (id: string) => {
    const t = byId.get(id)!;
    return { name: t.kind, data: { sweep: o.sweep, trial: id, data: o.dataDigest, kind: t.kind, spec: encodeSpec(t.spec) }, opts: { jobId: id, attempts, backoff: { type: 'exponential', delay: 200 }, removeOnComplete: false, removeOnFail: false } };
  };
  let evaluated = 0;
  let requeued = 0;
  const seenRefusals = new Set<string>();
  try {
    await redis.hset(SWEEPS_KEY, o.sweep, o.dataDigest);
    await queue.addBulk([...pending].map(jobOf));
    o.onProgress?.(total - pending.size, total);
    let lastCheck = performance.now();
    while (pending.size) {
      if (o.signal?.aborted) throw new CancelledError();
      const finished = (await queue.getJobs(['completed', 'failed'], 0, 999)) as (Job<TrialJobData> | undefined)[];
      for (const job of finished) {
        if (!job?.id || !pending.has(job.id)) continue;
        if (job.failedReason && job.finishedOn && job.returnvalue === undefined) {
          throw new UserError(`trial ${job.id} failed on a worker after ${job.attemptsMade} attempt(s): ${job.failedReason}`, '--backend bullmq');
        }
        await o.onResult?.(job.id, job.returnvalue);
        results.set(job.id, job.returnvalue);
        pending.delete(job.id);
        evaluated++;
        await job.remove().catch(() => undefined);
        o.onProgress?.(total - pending.size, total);
      }
      if (performance.now() - lastCheck >= (o.checkMs ?? 1000)) {
        lastCheck = performance.now();
        requeued += await requeueLost(queue, pending, jobOf);
        await reportWorkers(redis, o, seenRefusals, total - pending.size, total);
      }
      if (pending.size) await sleep(o.pollMs ?? 50);
    }
  } finally {
    if (pending.size) await Promise.all([...pending].map((id) => queue.remove(id).catch(() => 0)));
    await redis.hdel(SWEEPS_KEY, o.sweep).catch(() => 0);
    await redis.del(refusalsKey(o.sweep)).catch(() => 0);
    await queue.close().catch(() => undefined);
    redis.disconnect();
  }
  return { results: ids.map((id) => results.get(id)), ids, evaluated, requeued };
}

/** Add again every pending trial Redis no longer knows (it restarted without persistence). */
async function requeueLost(queue: Queue<TrialJobData>, pending: ReadonlySet<string>, jobOf: (id: string) => Parameters<Queue<TrialJobData>['addBulk']>[0][number]): Promise<number> {
  const lost: string[] = [];
  for (const id of pending) if ((await queue.getJobState(id)) === 'unknown') lost.push(id);
  if (lost.length) await queue.addBulk(lost.map(jobOf));
  return lost.length;
}

/** Log each worker's refusal once; say so in the progress line when no connected worker has the data. */
async function reportWorkers(redis: Redis, o: DistributedSweepOptions, seen: Set<string>, done: number, total: number): Promise<void> {
  const refusals = await redis.hgetall(refusalsKey(o.sweep));
  for (const [worker, message] of Object.entries(refusals)) {
    if (seen.has(worker)) continue;
    seen.add(worker);
    o.onLog?.(message);
  }
  const workers = await listWorkers(redis);
  const matching = workers.filter((w) => w.data === o.dataDigest).length;
  o.onProgress?.(done, total, matching ? `${matching} worker${matching === 1 ? '' : 's'}` : `waiting for a worker with data ${o.dataDigest.slice(0, 16)} (${workers.length} connected, none with this data)`);
}

export async function listWorkers(redis: Redis): Promise<WorkerRecord[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${WORKER_KEY_PREFIX}*`, 'COUNT', 100);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  const records = await Promise.all(keys.sort().map((k) => redis.hgetall(k)));
  return records.map(workerFromFields).filter((w): w is WorkerRecord => w !== undefined);
}
