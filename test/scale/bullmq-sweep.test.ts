/**
 * Scale-out on a real redis-server (Debian package; skipped with a message without it): the same
 * trials give identical results through BullMQ workers and evaluated here directly (the shell's own
 * evaluator); each trial is recorded once; a Redis restart mid-sweep loses no result; a worker with
 * other data refuses the sweep naming both digests; snapshots round-trip and refuse tampering.
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { createRng } from '../../src/core/rng.js';
import { tableDigest, type BarFrame, type Dataset } from '../../src/core/table.js';
import { singleModelPlan } from '../../src/backtest/run-backtest-plan.js';
import { evaluateTrial, type TrialSpec } from '../../src/optimize/trial.js';
import { exportSnapshot, importSnapshot, snapshotDigest } from '../../src/scale/data-snapshot.js';
import { parseRedisUrl } from '../../src/scale/connection.js';
import type { LocalRedis } from '../../src/scale/local-redis.js';
import { startScaleWorker } from '../../src/scale/worker.js';
import { runSweepOnBullmq } from '../../src/scale/bullmq-backend.js';
import { trialId } from '../../src/scale/protocol.js';
import { haveRedisServer, redisWithWorkers, type InProcessCluster } from '../helpers/redis-workers.js';
import { tempFiles } from '../helpers/temp-files.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const tmp = tempFiles('scale');
const DAY = 86_400_000;
const haveRedis = haveRedisServer('BullMQ sweep tests');

function dailyBars(n: number, seed: number): Dataset {
  const rng = createRng(seed, 'scale-test');
  const cols = { ts: new Float64Array(n), open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), volume: new Float64Array(n) };
  let c = 100;
  for (let i = 0; i < n; i++) {
    const o = c;
    c = o * Math.exp(0.0003 + 0.012 * rng.normal());
    cols.ts[i] = Date.UTC(2015, 0, 1) + i * DAY;
    cols.open[i] = o;
    cols.close[i] = c;
    cols.high[i] = Math.max(o, c) * 1.004;
    cols.low[i] = Math.min(o, c) * 0.996;
    cols.volume[i] = 1e6;
  }
  const table = { length: n, columns: cols } as unknown as BarFrame;
  return { name: 'SPY:1d', kind: 'bars', stage: 'clean', symbol: 'SPY', interval: '1d', assetClass: 'etf', source: 'test', table, digest: tableDigest(table) };
}

const base = loadConfig(join(root, 'configs/base.yaml')).config;
const data = new Map([['SPY:1d', dailyBars(700, 3)]]);
const digest = snapshotDigest(data.values());
const specs: TrialSpec[] = [];
for (const fast of [3, 5, 8, 13]) for (const slow of [21, 34, 55]) {
  const plan = singleModelPlan(base, 'sma_cross', { params: { fast, slow }, interval: '1d' });
  specs.push({ plan, point: { fast, slow } });
}
const trials = specs.map((spec) => ({ kind: 'optimize', spec }));

describe('data snapshots', () => {
  it('round-trip every dataset exactly, keep the digest, and refuse a tampered file', async () => {
    const dir = join(tmp.dir, 'snap');
    const manifest = await exportSnapshot([...data.values()], dir);
    expect(manifest.digest).toBe(digest);
    const back = await importSnapshot(dir);
    expect(back.datasets.map((d) => [d.name, d.digest, tableDigest(d.table)])).toEqual([...data.values()].map((d) => [d.name, d.digest, tableDigest(d.table)]));
    expect(snapshotDigest(back.datasets)).toBe(digest);
    const file = join(dir, manifest.datasets[0]!.file);
    const manifestPath = join(dir, 'snapshot.json');
    const edited = JSON.parse(readFileSync(manifestPath, 'utf8'));
    edited.datasets[0].content = '0'.repeat(64);
    writeFileSync(manifestPath, JSON.stringify(edited));
    await expect(importSnapshot(dir)).rejects.toThrow(/does not match the manifest: dataset SPY:1d has content digest/);
    appendFileSync(file, 'x');
    await expect(importSnapshot(join(tmp.dir, 'nowhere'))).rejects.toThrow(/not a data snapshot/);
  });
  it("keep -0 beside 0 (Parquet dictionary encoding would merge them: the demo data's MACRO:curve_slope has one)", async () => {
    // 3000 rows of a few repeated values (dictionary-encoded by default) and one -0 among many 0s.
    const n = 3000;
    const value = Float64Array.from({ length: n }, (_, i) => (i === 1439 ? -0 : i % 7 === 0 ? 0 : (i % 13) / 4));
    const table = { length: n, columns: { ts: Float64Array.from({ length: n }, (_, i) => Date.UTC(2015, 0, 1) + i * DAY), value } } as unknown as BarFrame;
    const macro: Dataset = { name: 'MACRO:zeros', kind: 'series', stage: 'clean', symbol: 'MACRO', interval: '1d', source: 'test', table, digest: tableDigest(table) } as Dataset;
    const dir = join(tmp.dir, 'snap-zeros');
    await exportSnapshot([macro], dir);
    const back = await importSnapshot(dir);
    const got = back.datasets[0]!.table.columns['value'] as Float64Array;
    expect(Object.is(got[1439], -0)).toBe(true);
    expect(tableDigest(back.datasets[0]!.table)).toBe(tableDigest(table));
  });
  it('the snapshot digest does not depend on the order datasets were loaded in', () => {
    const a = { name: 'A', digest: '1' }, b = { name: 'B', digest: '2' };
    expect(snapshotDigest([a, b])).toBe(snapshotDigest([b, a]));
    expect(snapshotDigest([a, b])).not.toBe(snapshotDigest([a, { name: 'B', digest: '3' }]));
  });
  it('a bad Redis URL is one clear line', () => {
    expect(() => parseRedisUrl('localhost:6379')).toThrow(/redis:\/\//);
    expect(() => parseRedisUrl('http://127.0.0.1:6379')).toThrow(/expected a redis/);
  });
});

describe.skipIf(!haveRedis)('sweeps on BullMQ workers over a real redis-server', () => {
  let cluster: InProcessCluster;
  let redis: LocalRedis;
  beforeAll(async () => {
    cluster = await redisWithWorkers([...data.values()], ['w1', 'w2'], 2000);
    redis = cluster.redis;
  }, 30_000);
  afterAll(async () => {
    await cluster?.stop();
  }, 30_000);

  it('gives exactly the results of evaluating each trial here, each recorded once', async () => {
    const local = [];
    for (const spec of specs) local.push(await evaluateTrial(data, spec));
    const recorded: string[] = [];
    const out = await runSweepOnBullmq({ target: parseRedisUrl(redis.url), sweep: 's1', dataDigest: digest, trials, onResult: (id) => void recorded.push(id) });
    expect(out.results).toEqual(JSON.parse(JSON.stringify(local)));
    expect(out.evaluated).toBe(specs.length);
    expect([...recorded].sort()).toEqual([...new Set(out.ids)].sort());
    // Known results are not sent again.
    const again = await runSweepOnBullmq({ target: parseRedisUrl(redis.url), sweep: 's2', dataDigest: digest, trials, known: (id) => out.results[out.ids.indexOf(id)] });
    expect(again.evaluated).toBe(0);
    expect(again.results).toEqual(out.results);
  }, 120_000);

  it('a Redis restart mid-sweep loses no result and records none twice', async () => {
    const fresh = specs.map((spec) => ({ kind: 'optimize', spec: { ...spec, point: { ...spec.point, run: 'restart' } } }));
    const recorded = new Map<string, number>();
    let restarted = false;
    const out = await runSweepOnBullmq({
      target: parseRedisUrl(redis.url), sweep: 's3', dataDigest: digest, trials: fresh, checkMs: 300,
      onResult: async (id) => {
        recorded.set(id, (recorded.get(id) ?? 0) + 1);
        if (!restarted) {
          restarted = true;
          await redis.restart();
        }
      },
    });
    expect(restarted).toBe(true);
    expect(out.results.every((r) => r !== undefined)).toBe(true);
    expect([...recorded.values()].every((n) => n === 1)).toBe(true);
    expect(recorded.size).toBe(new Set(fresh.map((t) => trialId(t.kind, t.spec, digest))).size);
  }, 120_000);

  it('workers with other data refuse the sweep, naming both digests; the shell says none has its data; cancel cleans up', async () => {
    const other = new Map([['SPY:1d', dailyBars(700, 4)]]);
    const otherDigest = snapshotDigest(other.values());
    const lines: string[] = [];
    const stranger = await startScaleWorker({ target: parseRedisUrl(redis.url), datasets: data, dataDigest: digest, id: 'stranger', log: (l) => lines.push(l) });
    const logs: string[] = [];
    const notes: string[] = [];
    const stop = new AbortController();
    try {
      await expect(runSweepOnBullmq({
        target: parseRedisUrl(redis.url), sweep: 's4', dataDigest: otherDigest, trials: trials.slice(0, 3), checkMs: 200, signal: stop.signal,
        onLog: (l) => {
          logs.push(l);
          if (logs.length >= 3) stop.abort();
        },
        onProgress: (_d, _t, note) => void (note && notes.push(note)),
      })).rejects.toThrow(/cancel/i);
    } finally {
      await stranger.close();
    }
    expect(logs.map((l) => l.split(' ')[1]).sort()).toEqual(['stranger', 'w1', 'w2']);
    for (const l of logs) expect(l).toContain(`its data digest ${otherDigest.slice(0, 16)} differs from this worker's ${digest.slice(0, 16)}`);
    expect(lines.some((l) => l.includes('refuses sweep s4'))).toBe(true);
    expect(notes.some((n) => n.startsWith(`waiting for a worker with data ${otherDigest.slice(0, 16)}`))).toBe(true);
  }, 120_000);
});
