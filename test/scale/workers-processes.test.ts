/**
 * `optimize --backend bullmq` against two `edgelab worker` processes on a real redis-server: the
 * same sweep gives the same trials and leaderboard as the local pool; a worker killed (SIGKILL)
 * mid-sweep loses no trial and records none twice. Needs redis-server (skips with a message) and the
 * build (bin/edgelab.js builds when sources changed).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { createShell } from '../../src/shell/runtime.js';
import { redisServerAvailable, startLocalRedis, type LocalRedis } from '../../src/scale/local-redis.js';
import type { TableBlock } from '../../src/core/result.js';
import { tempFiles } from '../helpers/temp-files.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const bin = join(root, 'bin/edgelab.js');
const tmp = tempFiles('scale-processes');
const haveRedis = redisServerAvailable();
if (!haveRedis) console.warn('test/scale: redis-server is not installed — worker-process tests skipped');

const SETUP = 'ingest synthetic --years 3';
const SWEEP = 'optimize sma_cross --grid fast=4..24:4,slow=30..90:15 --workers 1 --no-store';

function startWorker(url: string, script: string, id: string): { child: ChildProcess; ready: Promise<void>; log: string[] } {
  const log: string[] = [];
  const child = spawn('node', [bin, 'worker', '--redis', url, '--script', script, '--id', id], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const ready = new Promise<void>((res, rej) => {
    const onData = (d: Buffer): void => {
      log.push(...d.toString().split('\n').filter(Boolean));
      if (log.some((l) => l.includes('ready on'))) res();
    };
    child.stderr!.on('data', onData);
    child.stdout!.on('data', onData);
    child.once('exit', (code) => rej(new Error(`worker ${id} exited (${code}) before ready: ${log.join(' | ')}`)));
  });
  return { child, ready, log };
}

let roots = 0;
async function shellWithData() {
  const shell = await createShell({ dataRoot: join(tmp.dir, `root-${++roots}`), cwd: tmp.dir });
  const r = await shell.dispatcher.execute(SETUP);
  expect(r.result.status).toBe('ok');
  return shell;
}

const leaderboard = (blocks: readonly unknown[]): unknown => (blocks.find((b) => (b as TableBlock).kind === 'table') as TableBlock | undefined)?.rows;

describe.skipIf(!haveRedis)('edgelab worker processes', () => {
  let redis: LocalRedis;
  const workers: ReturnType<typeof startWorker>[] = [];
  beforeAll(async () => {
    redis = await startLocalRedis();
    const script = join(tmp.dir, 'data.edgelab');
    writeFileSync(script, `${SETUP}\n`);
    workers.push(startWorker(redis.url, script, 'p1'), startWorker(redis.url, script, 'p2'));
    await Promise.all(workers.map((w) => w.ready));
  }, 180_000);
  afterAll(async () => {
    for (const w of workers) w.child.kill('SIGTERM');
    await redis?.stop();
  });

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

  it('a worker killed mid-sweep: every trial is recorded, none twice', async () => {
    const shell = await shellWithData();
    const db = join(tmp.dir, 'kill.duckdb');
    const line = `optimize sma_cross --grid fast=3..27:3,slow=35..95:10 --workers 1 --db ${db} --backend bullmq --redis ${redis.url}`;
    const running = shell.dispatcher.execute(line);
    await new Promise((r) => setTimeout(r, 1500));
    workers[0]!.child.kill('SIGKILL');
    const done = await running;
    expect(done.result.status, JSON.stringify(done.result.blocks).slice(0, 400)).toBe('ok');
    const conn = await (await DuckDBInstance.create(db)).connect();
    const rows = (await (await conn.runAndReadAll('SELECT count(*) AS n, count(DISTINCT trial_key) AS k FROM trials')).getRowObjects())[0]!;
    expect(Number(rows['n'])).toBeGreaterThanOrEqual(9 * 7); // the grid, plus any random/EA points of the defaults
    expect(Number(rows['k'])).toBe(Number(rows['n']));
    expect(JSON.stringify(done.result.blocks)).toMatch(/trials/);
    conn.closeSync();
  }, 300_000);
});
