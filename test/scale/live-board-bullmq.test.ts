/**
 * The live leaderboard with `--backend bullmq` (real redis-server, two workers; skipped with a
 * message without it): results flowing back from the workers fill the board exactly as the local
 * pool's do — `optimize`'s last board has the same top trials as on the local backend, and
 * `walkforward`'s the same folds — and the board is reported along the way, not only at the end.
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import optimize from '../../commands/optimize.js';
import walkforward from '../../commands/walkforward.js';
import { createShell } from '../../src/shell/runtime.js';
import { Session } from '../../src/shell/session.js';
import type { CommandIO, Progress } from '../../src/shell/command.js';
import type { LiveBoard } from '../../src/shell/live-board.js';
import type { Dataset } from '../../src/core/table.js';
import { parseRedisUrl } from '../../src/scale/connection.js';
import { snapshotDigest } from '../../src/scale/data-snapshot.js';
import { redisServerAvailable, startLocalRedis, type LocalRedis } from '../../src/scale/local-redis.js';
import { startScaleWorker, type ScaleWorker } from '../../src/scale/worker.js';
import { tempFiles } from '../helpers/temp-files.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const tmp = tempFiles('scale-live-board');
const haveRedis = redisServerAvailable();
if (!haveRedis) console.warn('test/scale: redis-server is not installed (apt-get install redis-server; .ci/run does) — live board over BullMQ skipped');

function fakeIo(): CommandIO & { progressed: Progress[] } {
  const progressed: Progress[] = [];
  return { signal: new AbortController().signal, progress: (p) => progressed.push(p), log: () => undefined, execute: () => Promise.reject(new Error('not used')), progressed };
}
const boards = (io: { progressed: Progress[] }): LiveBoard[] => io.progressed.flatMap((p) => (p.board ? [p.board] : []));
/** What the pane shows of a board, without the read-back flags (the two runs use different databases anyway). */
const shown = (b: LiveBoard) => ({ done: b.done, total: b.total, params: b.params, top: b.top.map(({ cached: _, ...t }) => t), folds: b.folds });

describe.skipIf(!haveRedis)('live leaderboard over BullMQ', () => {
  let redis: LocalRedis;
  let data: Dataset[] = [];
  const workers: ScaleWorker[] = [];
  const session = (): Session => {
    const s = new Session({ root, cwd: tmp.dir });
    for (const d of data) s.addDataset(d);
    return s;
  };
  beforeAll(async () => {
    const shell = await createShell({ root, cwd: tmp.dir, dataRoot: join(tmp.dir, 'data') });
    const r = await shell.dispatcher.execute('ingest synthetic --symbols SPY --start 2021-01-01 --years 1 --equity-start 2012-01-01');
    expect(r.result.status).toBe('ok');
    data = [...shell.session.datasets.values()];
    redis = await startLocalRedis();
    const datasets = new Map(data.map((d) => [d.name, d]));
    for (const id of ['lb1', 'lb2']) workers.push(await startScaleWorker({ target: parseRedisUrl(redis.url), datasets, dataDigest: snapshotDigest(data), id, log: () => undefined }));
  }, 120_000);
  afterAll(async () => {
    for (const w of workers) await w.close();
    await redis?.stop();
  }, 30_000);

  it('optimize: the same top trials as the local pool, reported as results come back', async () => {
    const line = { experiment: 'sma_cross', grid: 'symbol=SPY,fast=5..30:5,slow=40..160:40' };
    const local = fakeIo();
    await optimize.run(session(), optimize.schema.parse({ ...line, workers: 0, db: join(tmp.dir, 'opt-local.duckdb') }), local);
    const remote = fakeIo();
    const r = await optimize.run(session(), optimize.schema.parse({ ...line, backend: 'bullmq', redis: redis.url, db: join(tmp.dir, 'opt-bullmq.duckdb') }), remote);
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
    await walkforward.run(session(), walkforward.schema.parse({ ...line, backend: 'bullmq', redis: redis.url, db: join(tmp.dir, 'wf-bullmq.duckdb') }), remote);
    const a = boards(local);
    const b = boards(remote);
    expect(b[b.length - 1]!.folds!.length).toBeGreaterThan(1);
    expect(b[b.length - 1]!.folds).toEqual(a[a.length - 1]!.folds);
  }, 300_000);
});
