/**
 * `optimize --backend bullmq` against two `edgelab worker` processes on a real redis-server: the
 * same sweep gives the same trials and leaderboard as the local pool; a worker killed (SIGKILL)
 * while it holds a trial loses no trial and records none twice. "While it holds a trial" is proved,
 * not hoped for: the worker is frozen (SIGSTOP) and killed only if Redis then shows a job active
 * and owned by it (a frozen process cannot finish it); that job must stall, be retried by the other
 * worker and be stored exactly once. Needs redis-server (skips with a message) and the build
 * (bin/edgelab.js builds when sources changed).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { Queue, QueueEvents, type Job } from 'bullmq';
import { parseRedisUrl, bullConnection } from '../../src/scale/connection.js';
import { decodeSpec, queueName, type TrialJobData } from '../../src/scale/protocol.js';
import { sessionDataDigest } from '../../src/optimize/runner.js';
import { trialKey, type TrialSpec } from '../../src/optimize/trial.js';
import { createShell } from '../../src/shell/runtime.js';
import type { LocalRedis } from '../../src/scale/local-redis.js';
import type { TableBlock } from '../../src/core/result.js';
import { haveRedisServer, redisWithWorkerProcesses, type ProcessCluster, type WorkerProcess } from '../helpers/redis-workers.js';
import { tempFiles } from '../helpers/temp-files.js';

const tmp = tempFiles('scale-processes');
const haveRedis = haveRedisServer('worker-process tests');

const SETUP = 'ingest synthetic --years 3';
const SWEEP = 'optimize sma_cross --grid fast=4..24:4,slow=30..90:15 --workers 1 --no-store';

let roots = 0;
async function shellWithData() {
  const shell = await createShell({ dataRoot: join(tmp.dir, `root-${++roots}`), cwd: tmp.dir });
  const r = await shell.dispatcher.execute(SETUP);
  expect(r.result.status).toBe('ok');
  return shell;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const leaderboard = (blocks: readonly unknown[]): unknown => (blocks.find((b) => (b as TableBlock).kind === 'table') as TableBlock | undefined)?.rows;

describe.skipIf(!haveRedis)('edgelab worker processes', () => {
  let cluster: ProcessCluster;
  let redis: LocalRedis;
  let workers: WorkerProcess[] = [];
  beforeAll(async () => {
    cluster = await redisWithWorkerProcesses(SETUP, ['p1', 'p2'], tmp.dir);
    ({ redis, workers } = cluster);
  }, 180_000);
  afterAll(async () => {
    await cluster?.stop();
  }, 30_000);

  it('the same sweep gives the same leaderboard on local and on bullmq with two workers', async () => {
    const local = await (await shellWithData()).dispatcher.execute(SWEEP);
    expect(local.result.status).toBe('ok');
    const shell = await shellWithData();
    const remote = await shell.dispatcher.execute(`${SWEEP} --backend bullmq --redis ${redis.url}`);
    expect(remote.result.status, JSON.stringify(remote.result.blocks).slice(0, 400)).toBe('ok');
    expect(leaderboard(remote.result.blocks)).toEqual(leaderboard(local.result.blocks));
    const workersNow = await shell.dispatcher.execute(`workers --redis ${redis.url}`);
    expect(JSON.stringify(workersNow.result.blocks)).toMatch(/2 workers on 127\.0\.0\.1:\d+, 2 with this session's data/);
  }, 300_000);

  it('a worker killed while it holds a trial: that trial stalls, is retried by the other worker and stored once; no trial lost', async () => {
    const shell = await shellWithData();
    const digest = sessionDataDigest(shell.session.datasets.values());
    const connection = bullConnection(parseRedisUrl(redis.url));
    const queue = new Queue<TrialJobData>(queueName(digest), { connection });
    const events = new QueueEvents(queueName(digest), { connection });
    const stalled = new Set<string>();
    events.on('stalled', ({ jobId }) => void stalled.add(jobId));
    await events.waitUntilReady();
    const db = join(tmp.dir, 'kill.duckdb');
    const line = `optimize sma_cross --grid fast=3..27:3,slow=35..95:10 --workers 1 --db ${db} --backend bullmq --redis ${redis.url}`;
    const running = shell.dispatcher.execute(line);
    // Freeze p1 and let Redis run anything p1 sent before it froze (a finishing trial's last command may
    // be on its way); if Redis then shows a job active and owned by p1, p1 is mid-trial (frozen, it
    // cannot finish it): kill it.
    const victim = workers[0]!;
    let held: Job<TrialJobData> | undefined;
    for (let attempt = 0; !held && attempt < 1000; attempt++) {
      victim.child.kill('SIGSTOP');
      await sleep(30);
      const active = (await queue.getJobs(['active'])) as (Job<TrialJobData> | undefined)[];
      held = active.find((j) => j?.processedBy === 'p1');
      if (held) victim.child.kill('SIGKILL');
      else {
        victim.child.kill('SIGCONT');
        await sleep(20);
      }
    }
    expect(held, 'p1 never held a trial while the sweep ran').toBeDefined();
    const done = await running;
    expect(done.result.status, JSON.stringify(done.result.blocks).slice(0, 400)).toBe('ok');
    // The stall event reaches our QueueEvents on a connection of its own, which may read the event stream
    // after the sweep (which polls the finished jobs) is done: wait for it, up to 10 s.
    for (let wait = 0; wait < 100 && !stalled.has(held!.id!); wait++) await sleep(100);
    expect(stalled.has(held!.id!)).toBe(true);
    const heldKey = trialKey((decodeSpec(held!.data.spec) as TrialSpec).plan, digest);
    const conn = await (await DuckDBInstance.create(db)).connect();
    const count = async (sql: string, ...params: string[]) => Number((await (await conn.runAndReadAll(sql, params)).getRowObjects())[0]!['n']);
    // Every point of the 9 × 7 grid once; the sweep lists each once; the killed worker's trial is among them, once.
    expect(await count('SELECT count(*) AS n FROM trials')).toBe(9 * 7);
    expect(await count('SELECT count(DISTINCT point) AS n FROM trials')).toBe(9 * 7);
    expect(await count('SELECT count(*) AS n FROM sweep_trials')).toBe(9 * 7);
    expect(await count('SELECT count(DISTINCT trial_key) AS n FROM sweep_trials')).toBe(9 * 7);
    expect(await count('SELECT count(*) AS n FROM trials WHERE trial_key = $1', heldKey)).toBe(1);
    conn.closeSync();
    await events.close();
    await queue.close();
  }, 300_000);
});
