/**
 * `walkforward --backend bullmq` on a real redis-server (Debian package; skipped with a message
 * without it): each fold's trials become BullMQ jobs taken by two workers holding the same data, and
 * the walk-forward — folds, choices, scores, stitched curve, DSR/PBO — is identical to the local
 * backend's. A repeat reads every trial back from the results database and sends no job.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import cmd from '../../commands/walkforward.js';
import type { Session } from '../../src/shell/session.js';
import type { Dataset } from '../../src/core/table.js';
import { haveRedisServer, loadData, recordingIo as fakeIo, redisWithWorkers, sessionWith, type InProcessCluster } from '../helpers/redis-workers.js';
import { tempFiles } from '../helpers/temp-files.js';

const tmp = tempFiles('scale-walkforward');
const haveRedis = haveRedisServer('walkforward --backend bullmq tests');

const WALK = { target: 'sma_cross', grid: 'fast=5|10|20,slow=40|80', train: '3y', test: '1y', validation: '3m' };

describe.skipIf(!haveRedis)('walkforward --backend bullmq', () => {
  let cluster: InProcessCluster;
  let data: Dataset[] = [];
  const session = (): Session => sessionWith(data, tmp.dir);
  beforeAll(async () => {
    data = await loadData('ingest synthetic --symbols SPY --start 2021-01-01 --years 1 --equity-start 2012-01-01', tmp.dir);
    cluster = await redisWithWorkers(data, ['wf1', 'wf2']);
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
  }, 30_000);

  it('gives the local backend’s walk-forward exactly; a repeat reads every trial back and sends no job', async () => {
    const local = await cmd.run(session(), cmd.schema.parse({ ...WALK, workers: 0, db: join(tmp.dir, 'local.duckdb') }), fakeIo());
    const io = fakeIo();
    const db = join(tmp.dir, 'bullmq.duckdb');
    const remote = await cmd.run(session(), cmd.schema.parse({ ...WALK, backend: 'bullmq', redis: cluster.redis.url, db }), io);
    expect(remote.status).toBe('ok');
    expect(remote.blocks).toEqual(local.blocks);
    const counted = io.logged.find((l) => l.includes('trials read back'))!;
    expect(counted).toMatch(/^0 of (\d+) trials read back from the results database, \1 computed \(BullMQ workers\)/);
    const again = fakeIo();
    const repeat = await cmd.run(session(), cmd.schema.parse({ ...WALK, backend: 'bullmq', redis: cluster.redis.url, db }), again);
    expect(repeat.blocks).toEqual(local.blocks);
    const n = /^0 of (\d+)/.exec(counted)![1];
    expect(again.logged).toContain(`${n} of ${n} trials read back from the results database, 0 computed (BullMQ workers); ${(remote.blocks.find((b) => b.kind === 'table') as { rows: readonly unknown[] }).rows.length} test-window backtests for the stitched curve`);
  }, 300_000);

  it('--backend bullmq without a Redis URL, and --redis without bullmq, are one clear line each', async () => {
    await expect(cmd.run(session(), cmd.schema.parse({ ...WALK, backend: 'bullmq' }), fakeIo())).rejects.toThrow(/--backend bullmq needs --redis URL or config scale\.redis_url/);
    await expect(cmd.run(session(), cmd.schema.parse({ ...WALK, redis: cluster.redis.url }), fakeIo())).rejects.toThrow(/--redis needs --backend bullmq/);
  });
});
