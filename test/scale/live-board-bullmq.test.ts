/**
 * The live leaderboard with `--backend bullmq` (real redis-server, two workers; skipped with a
 * message without it): results flowing back from the workers fill the board exactly as the local
 * pool's do — `optimize`'s last board has the same top trials as on the local backend, and
 * `walkforward`'s the same folds — and the board is reported along the way, not only at the end.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import optimize from '../../commands/optimize.js';
import walkforward from '../../commands/walkforward.js';
import type { Session } from '../../src/shell/session.js';
import type { Progress } from '../../src/shell/command.js';
import type { LiveBoard } from '../../src/shell/live-board.js';
import type { Dataset } from '../../src/core/table.js';
import { haveRedisServer, loadData, recordingIo as fakeIo, redisWithWorkers, sessionWith, type InProcessCluster } from '../helpers/redis-workers.js';
import { tempFiles } from '../helpers/temp-files.js';

const tmp = tempFiles('scale-live-board');
const haveRedis = haveRedisServer('live board over BullMQ');

const boards = (io: { progressed: Progress[] }): LiveBoard[] => io.progressed.flatMap((p) => (p.board ? [p.board] : []));
/** What the pane shows of a board, without the read-back flags (the two runs use different databases anyway). */
const shown = (b: LiveBoard) => ({ done: b.done, total: b.total, params: b.params, top: b.top.map(({ cached: _, ...t }) => t), folds: b.folds });

describe.skipIf(!haveRedis)('live leaderboard over BullMQ', () => {
  let cluster: InProcessCluster;
  let data: Dataset[] = [];
  const session = (): Session => sessionWith(data, tmp.dir);
  beforeAll(async () => {
    data = await loadData('ingest synthetic --symbols SPY --start 2021-01-01 --years 1 --equity-start 2012-01-01', tmp.dir);
    cluster = await redisWithWorkers(data, ['lb1', 'lb2']);
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
  }, 30_000);

  it('optimize: the same top trials as the local pool, reported as results come back', async () => {
    const line = { experiment: 'sma_cross', grid: 'symbol=SPY,fast=5..30:5,slow=40..160:40' };
    const local = fakeIo();
    await optimize.run(session(), optimize.schema.parse({ ...line, workers: 0, db: join(tmp.dir, 'opt-local.duckdb') }), local);
    const remote = fakeIo();
    const r = await optimize.run(session(), optimize.schema.parse({ ...line, backend: 'bullmq', redis: cluster.redis.url, db: join(tmp.dir, 'opt-bullmq.duckdb') }), remote);
    expect(r.status).toBe('ok');
    const a = boards(local);
    const b = boards(remote);
    expect(shown(b[b.length - 1]!)).toEqual(shown(a[a.length - 1]!));
    expect(b[b.length - 1]!.top.length).toBe(10);
    // updates on the way: a board with some but not all trials done
    expect(b.some((x) => x.done > 0 && x.done < x.total)).toBe(true);
  }, 300_000);

  it('walkforward: the same folds as the local pool', async () => {
    const line = { target: 'sma_cross', grid: 'fast=5|10|20,slow=40|80', train: '3y', test: '1y' };
    const local = fakeIo();
    await walkforward.run(session(), walkforward.schema.parse({ ...line, workers: 0, db: join(tmp.dir, 'wf-local.duckdb') }), local);
    const remote = fakeIo();
    await walkforward.run(session(), walkforward.schema.parse({ ...line, backend: 'bullmq', redis: cluster.redis.url, db: join(tmp.dir, 'wf-bullmq.duckdb') }), remote);
    const a = boards(local);
    const b = boards(remote);
    expect(b[b.length - 1]!.folds!.length).toBeGreaterThan(1);
    expect(b[b.length - 1]!.folds).toEqual(a[a.length - 1]!.folds);
  }, 300_000);
});
