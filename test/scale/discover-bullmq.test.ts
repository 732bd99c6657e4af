/**
 * `discover --backend bullmq` against two `edgelab worker` processes on a real redis-server
 * (Debian package; skipped with a message without it; the workers need the build, which
 * bin/edgelab.js makes when sources changed):
 *
 * - the run is byte-identical to `--backend local`: the same result (digest as transcripts store it)
 *   and the same test ledger and candidates in DuckDB, row for row;
 * - a session whose data differs from every worker's is refused by each, the message naming both
 *   snapshot digests, and the run is cancelled from the shell;
 * - a worker killed while it holds a study unit (proved: frozen with SIGSTOP, killed only when Redis
 *   shows a job active and owned by it) loses nothing: the unit stalls, the other worker takes it,
 *   and the ledger holds every test once — the same rows as the local run;
 * - Redis restarted empty while units are pending: the shell sends the lost ones again and the run
 *   is still the local one.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { Queue, QueueEvents, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import cmd from '../../commands/discover.js';
import type { Dataset } from '../../src/core/table.js';
import { resultDigest } from '../../src/shell/dispatcher.js';
import { bullConnection, parseRedisUrl } from '../../src/scale/connection.js';
import { snapshotDigest } from '../../src/scale/data-snapshot.js';
import { decodeSpec, queueName, SWEEPS_KEY, type TrialJobData } from '../../src/scale/protocol.js';
import type { DiscoverStudySpec } from '../../src/scale/discover-trial.js';
import { haveRedisServer, loadData, recordingIo, redisWithWorkerProcesses, sessionWith, type ProcessCluster } from '../helpers/redis-workers.js';
import { tempFiles } from '../helpers/temp-files.js';

const tmp = tempFiles('scale-discover');
const haveRedis = haveRedisServer('discover --backend bullmq tests');

// Two crypto perpetuals (with funding) and an ETF at two intervals: three asset groups, so every
// family has several units, and half a year gives candidates whose probes go out too.
const SETUP = 'ingest synthetic --years 0.5 --symbols BTCUSDT,ETHUSDT,SPY';
const DISCOVER = { families: ['all'], horizons: '4,16' };

async function ledgerRows(db: string): Promise<{ tests: unknown[]; candidates: unknown[] }> {
  const instance = await DuckDBInstance.create(db);
  const conn = await instance.connect();
  const rows = async (sql: string) => (await conn.runAndReadAll(sql)).getRowObjectsJS();
  const out = {
    tests: await rows('SELECT * FROM discovery_tests ORDER BY seq'),
    candidates: await rows('SELECT * FROM edge_candidates ORDER BY num'),
  };
  conn.closeSync();
  instance.closeSync();
  return out;
}

describe('discover --backend: bad input is one clear line', () => {
  const attempt = (args: Record<string, unknown>) => cmd.run(sessionWith([], tmp.dir), cmd.schema.parse({ ...DISCOVER, ...args }), recordingIo());
  it('bullmq without a Redis URL, --redis without bullmq, a URL that is not redis://', async () => {
    await expect(attempt({ backend: 'bullmq' })).rejects.toThrow(/--backend bullmq needs --redis URL or config scale\.redis_url/);
    await expect(attempt({ redis: 'redis://127.0.0.1:6379' })).rejects.toThrow(/--redis needs --backend bullmq/);
    await expect(attempt({ backend: 'bullmq', redis: 'http://127.0.0.1:6379' })).rejects.toThrow(/expected a redis:\/\/ or rediss:\/\/ URL, got 'http:'/);
    expect(() => cmd.schema.parse({ ...DISCOVER, backend: 'spark' })).toThrow();
  });
});

describe.skipIf(!haveRedis)('discover --backend bullmq with two worker processes', () => {
  let cluster: ProcessCluster;
  let data: Dataset[] = [];
  let local: { digest: string; blocks: unknown; rows: Awaited<ReturnType<typeof ledgerRows>> };
  const run = (db: string, extra: Record<string, unknown> = {}, io = recordingIo(), on = data) => cmd.run(sessionWith(on, tmp.dir), cmd.schema.parse({ ...DISCOVER, db: join(tmp.dir, db), ...extra }), io);

  beforeAll(async () => {
    const started = redisWithWorkerProcesses(SETUP, ['d1', 'd2'], tmp.dir);
    data = await loadData(SETUP, tmp.dir);
    cluster = await started;
    const r = await run('local.duckdb');
    expect(r.status).toBe('ok');
    local = { digest: resultDigest(r), blocks: r.blocks, rows: await ledgerRows(join(tmp.dir, 'local.duckdb')) };
    expect(local.rows.tests.length).toBeGreaterThan(0);
    expect(local.rows.candidates.length, 'the case needs candidates so that probes go out as jobs too').toBeGreaterThan(0);
  }, 240_000);
  afterAll(async () => {
    await cluster?.stop();
  }, 30_000);

  it('gives the local run byte for byte: result digest, blocks, test ledger and candidates', async () => {
    const io = recordingIo();
    const remote = await run('bullmq.duckdb', { backend: 'bullmq', redis: cluster.redis.url }, io);
    expect(remote.status).toBe('ok');
    expect(remote.blocks).toEqual(local.blocks);
    expect(resultDigest(remote)).toBe(local.digest);
    expect(await ledgerRows(join(tmp.dir, 'bullmq.duckdb'))).toEqual(local.rows);
    // The work went through Redis: study units and probe groups were reported from the workers.
    const labels = io.progressed.map((p) => p.label);
    expect(labels.some((l) => /study units \d+\/\d+ on workers/.test(l))).toBe(true);
    expect(labels.some((l) => /probes \d+\/\d+ groups on workers/.test(l))).toBe(true);
  }, 180_000);

  it('a session with other data: every worker refuses, naming both digests; the shell cancels', async () => {
    const other = await loadData(`${SETUP} --seed 7`, tmp.dir, 'other');
    const mine = snapshotDigest(data);
    const theirs = snapshotDigest(other);
    expect(theirs).not.toBe(mine);
    const io = recordingIo();
    const waiting = run('other.duckdb', { backend: 'bullmq', redis: cluster.redis.url }, io, other);
    for (let i = 0; i < 600 && io.logged.filter((l) => l.includes('refuses sweep')).length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    io.abort();
    await expect(waiting).rejects.toThrow(/cancel/i);
    const refusals = io.logged.filter((l) => l.includes('refuses sweep'));
    expect(refusals.map((l) => l.split(' ')[1]).sort()).toEqual(['d1', 'd2']);
    for (const l of refusals) expect(l).toContain(`its data digest ${theirs.slice(0, 16)} differs from this worker's ${mine.slice(0, 16)}`);
    expect(io.progressed.some((p) => p.label.includes(`waiting for a worker with data ${theirs.slice(0, 16)}`))).toBe(true);
    // Cancelled from the shell: no job of the run is left in Redis, and the run is no longer announced.
    const queue = new Queue<TrialJobData>(queueName(theirs), { connection: bullConnection(parseRedisUrl(cluster.redis.url)) });
    expect(Object.values(await queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized')).reduce((a, b) => a + b, 0)).toBe(0);
    await queue.close();
    const redis = new Redis(cluster.redis.url);
    expect(await redis.hgetall(SWEEPS_KEY)).toEqual({});
    redis.disconnect();
  }, 120_000);

  it('a worker killed while it holds a study unit: the unit is retried by the other, every test recorded once', async () => {
    const digest = snapshotDigest(data);
    const connection = bullConnection(parseRedisUrl(cluster.redis.url));
    const queue = new Queue<TrialJobData>(queueName(digest), { connection });
    const events = new QueueEvents(queueName(digest), { connection });
    const stalled = new Set<string>();
    events.on('stalled', ({ jobId }) => void stalled.add(jobId));
    await events.waitUntilReady();
    const running = run('kill.duckdb', { backend: 'bullmq', redis: cluster.redis.url });
    // Freeze d1; if Redis shows a study job active and owned by it, d1 is mid-unit (frozen, it cannot finish): kill it.
    const victim = cluster.workers[0]!;
    let held: Job<TrialJobData> | undefined;
    for (let attempt = 0; !held && attempt < 2000; attempt++) {
      victim.child.kill('SIGSTOP');
      const active = (await queue.getJobs(['active'])) as (Job<TrialJobData> | undefined)[];
      held = active.find((j) => j?.processedBy === 'd1' && j.data.kind === 'discover-study');
      if (held) victim.child.kill('SIGKILL');
      else {
        victim.child.kill('SIGCONT');
        await new Promise((r) => setTimeout(r, 10));
      }
    }
    expect(held, 'd1 never held a study unit while the run went on').toBeDefined();
    const done = await running;
    expect(done.status).toBe('ok');
    expect(stalled.has(held!.id!)).toBe(true);
    expect(resultDigest(done)).toBe(local.digest);
    const rows = await ledgerRows(join(tmp.dir, 'kill.duckdb'));
    expect(rows).toEqual(local.rows);
    // The killed worker's unit: its tests are in the ledger once each, as many as the local run has.
    const unit = decodeSpec(held!.data.spec) as DiscoverStudySpec;
    const ofUnit = (r: { tests: unknown[] }) => (r.tests as { family: string; grp: string; key: string }[]).filter((t) => t.family === unit.family && t.grp === unit.group.label);
    expect(new Set(ofUnit(rows).map((t) => t.key)).size).toBe(ofUnit(rows).length);
    expect(ofUnit(rows).length).toBe(ofUnit(local.rows).length);
    await events.close();
    await queue.close();
  }, 180_000);

  it('Redis restarted empty mid-run: the units it lost are sent again, the run is still the local one', async () => {
    const io = recordingIo();
    let restart: Promise<void> | undefined;
    const progress = io.progress;
    io.progress = (p) => {
      progress(p);
      const m = /study units (\d+)\/(\d+) on workers/.exec(p.label);
      if (!restart && m && Number(m[1]) >= 1 && Number(m[1]) < Number(m[2])) restart = cluster.redis.restart();
    };
    const done = await run('restart.duckdb', { backend: 'bullmq', redis: cluster.redis.url }, io);
    expect(restart, 'Redis was not restarted while units were pending').toBeDefined();
    await restart;
    expect(done.status).toBe('ok');
    expect(resultDigest(done)).toBe(local.digest);
    expect(await ledgerRows(join(tmp.dir, 'restart.duckdb'))).toEqual(local.rows);
  }, 180_000);
});
