/**
 * Defects 1 and 2 of the reliability issue.
 *
 * 1. A process killed after a raw file was renamed into place but before the manifest was written
 *    left a partition that could never be written again ("invariant broken … not in its
 *    manifest") and `.partial` files behind. Now the next write recovers: a whole interrupted
 *    write is adopted, an incomplete one removed, stray `.partial` files removed, each said in one
 *    line; a lake from before the journal (an unlisted file, no journal) is written over.
 * 2. Concurrent writers of one partition produced duplicate v1 entries and a raw ENOENT. Writers
 *    now take the partition lock: N processes writing N different tables give versions 1..N, each
 *    readable; a writer that cannot get the lock in time names the holder.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir, hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readRaw, writeRaw, readManifest, rawPartitionDir, writeParquet } from '../../src/data/lake/index.js';
import { tableDigest, type ColumnTable } from '../../src/core/table.js';
import { PENDING_FILE } from '../../src/data/lake/journal.js';
import { LOCK_FILE } from '../../src/data/lake/lock.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const child = join(here, 'harness', 'lake-child.mjs');
const repo = resolve(here, '../..');
const part = { source: 'file', symbol: 'DEMO', interval: '1d' };
const DAY = 86_400_000;

const bars = (seed: number, rows = 20): ColumnTable => {
  const ts = Float64Array.from({ length: rows }, (_, i) => Date.UTC(2020, 0, 1) + (i + seed * rows) * DAY);
  const close = Float64Array.from({ length: rows }, (_, i) => 100 + seed + i);
  return { length: rows, columns: { ts, close } };
};

function runChild(args: string[], env: Record<string, string> = {}): Promise<{ ok: boolean; message?: string; version?: number }> {
  return new Promise((done, fail) => {
    const p = spawn('node', [child, ...args], { cwd: repo, env: { ...process.env, ...env } });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', fail);
    p.on('close', () => {
      try {
        done(JSON.parse(out.trim().split('\n').pop()!));
      } catch {
        fail(new Error(`child printed no result: ${out}`));
      }
    });
  });
}

describe('lake: a write interrupted by a crash is recovered by the next write (defect 1)', () => {
  it('data file renamed into place, manifest not yet written: adopted, then the retry is a no-op', async () => {
    const lake = mkdtempSync(join(tmpdir(), 'edgelab-crash-'));
    const dir = rawPartitionDir(lake, part);
    const t = bars(1);
    const digest = tableDigest(t);
    // the state a kill -9 between rename and manifest leaves: journal + whole data file + a stray .partial
    const file = `v0001-${digest.slice(0, 12)}.parquet`;
    mkdirSync(dir, { recursive: true });
    const entry = { version: 1, file, rows: 20, tsMin: t.columns['ts']![0], tsMax: t.columns['ts']![19], digest, columns: ['ts', 'close'], origin: 'x' };
    writeFileSync(join(dir, PENDING_FILE), JSON.stringify({ entry, files: [file] }));
    await writeParquet(t, join(dir, file));
    writeFileSync(join(dir, 'v0002-abc.parquet.partial'), 'PAR1 half');
    const r = await writeRaw(lake, part, t, { origin: 'x' });
    expect(r.created).toBe(false);
    expect(r.recovered).toEqual([`${file}: interrupted write was whole, adopted as version 1`, 'v0002-abc.parquet.partial: left by an interrupted write, removed']);
    expect(readManifest(dir, part).entries.map((e) => e.file)).toEqual([file]);
    expect((await readRaw(lake, part)).table.length).toBe(20);
    expect(readdirSync(dir).filter((f) => f.endsWith('.partial') || f === PENDING_FILE)).toEqual([]);
  });

  it('killed before the data file was whole: its files are removed and the retry writes version 1', async () => {
    const lake = mkdtempSync(join(tmpdir(), 'edgelab-crash-'));
    const dir = rawPartitionDir(lake, part);
    const t = bars(2);
    const file = `v0001-${tableDigest(t).slice(0, 12)}.parquet`;
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, PENDING_FILE), JSON.stringify({ entry: { version: 1, file, digest: tableDigest(t) }, files: [file] }));
    writeFileSync(join(dir, `${file}.partial`), 'PAR1 half');
    const r = await writeRaw(lake, part, t, { origin: 'x' });
    expect(r.created).toBe(true);
    expect(r.recovered?.[0]).toBe(`${file}: interrupted write was incomplete, its files removed`);
    expect((await readRaw(lake, part)).table.length).toBe(20);
  });

  it('a lake from before the journal: an unlisted data file no longer wedges the partition', async () => {
    const lake = mkdtempSync(join(tmpdir(), 'edgelab-crash-'));
    const dir = rawPartitionDir(lake, part);
    const t = bars(3);
    await writeParquet(bars(99), join(dir, `v0001-${tableDigest(t).slice(0, 12)}.parquet`)); // never committed
    const r = await writeRaw(lake, part, t, { origin: 'x' });
    expect(r.created).toBe(true);
    expect(Array.from((await readRaw(lake, part)).table.columns['close'] as Float64Array).slice(0, 2)).toEqual([103, 104]);
  });
});

describe('lake: concurrent writers are serialised by the partition lock (defect 2)', () => {
  it('4 processes writing 4 tables to one partition: versions 1..4, every one readable', async () => {
    const lake = mkdtempSync(join(tmpdir(), 'edgelab-conc-'));
    const results = await Promise.all([1, 2, 3, 4].map((s) => runChild(['raw', lake, String(s), '200'])));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.map((r) => r.version).sort()).toEqual([1, 2, 3, 4]);
    const m = readManifest(rawPartitionDir(lake, part), part);
    expect(m.entries.map((e) => e.version)).toEqual([1, 2, 3, 4]);
    expect((await readRaw(lake, part, 'all')).table.length).toBe(800);
  }, 60_000);

  it('a lock held by a live process past the wait bound: the loser is told who holds it; a dead holder is taken over', async () => {
    const lake = mkdtempSync(join(tmpdir(), 'edgelab-lock-'));
    const dir = rawPartitionDir(lake, part);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: process.pid, host: hostname(), since: '2026-01-01T00:00:00.000Z', what: 'ingest file x.csv' }));
    const loser = await runChild(['raw', lake, '1', '10'], { EDGELAB_LOCK_WAIT_MS: '300' });
    expect(loser.ok).toBe(false);
    expect(loser.message).toContain(`lake partition is locked by pid ${process.pid} on ${hostname()} (ingest file x.csv, since 2026-01-01T00:00:00.000Z); nothing was written`);
    expect(existsSync(join(dir, 'manifest.json'))).toBe(false);
    // a holder that no longer runs (pid 2^22 + 1 is above Linux's pid_max default) is stale
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: 4_194_305, host: hostname(), since: 'x', what: 'killed' }));
    expect((await runChild(['raw', lake, '1', '10'], { EDGELAB_LOCK_WAIT_MS: '300' })).ok).toBe(true);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  }, 60_000);
});
