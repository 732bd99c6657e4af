/**
 * Defect 3 of the reliability issue: concurrent backtests on one results database lost runs
 * silently — the loser logged "not stored", reported status ok and exit 0. Now a held database is
 * waited for (bounded, EDGELAB_DB_WAIT_MS), and a run that still cannot be stored fails the
 * command loudly (status error, non-zero exit). Three headless runs on one data root: every run a
 * process reports stored is in the database.
 */
import { describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listRuns } from '../../src/store/index.js';

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const bin = join(repo, 'bin', 'edgelab.js');

function headless(script: string, root: string, env: Record<string, string> = {}): Promise<{ code: number | null; out: string }> {
  return new Promise((done) => {
    const p = spawn('node', [bin, 'run', script, '--transcript', `${script}.jsonl`], { cwd: repo, env: { ...process.env, EDGELAB_DATA_ROOT: root, ...env } });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    p.on('close', (code) => done({ code, out }));
  });
}

function holdDatabase(path: string): Promise<ChildProcess> {
  const script = `import { DuckDBInstance } from '@duckdb/node-api';
const db = await DuckDBInstance.create(process.argv[1]);
const conn = await db.connect();
await conn.run('SELECT 1');
// kept reachable: an unreferenced instance is garbage-collected and closed, and its file lock goes with it
globalThis.heldDatabase = { db, conn };
process.stdout.write('ready\\n');
setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script, path], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((ok) => child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && ok(child)));
}

const scriptFor = (dir: string, fast: number): string => {
  const p = join(dir, `bt${fast}.edgelab`);
  writeFileSync(p, `ingest synthetic --symbols SPY --years 1\nbacktest sma_cross --symbol SPY --interval 1d --fast ${fast} --slow 30\n`);
  return p;
};

describe('backtests on one results database', () => {
  it('three processes at once: each reports its run stored, and all three are in the database', async () => {
    const root = mkdtempSync(join(tmpdir(), 'edgelab-bt-conc-'));
    const runs = await Promise.all([5, 8, 12].map((f) => headless(scriptFor(root, f), root)));
    for (const r of runs) expect(r.code, r.out).toBe(0);
    const ids = runs.map((r) => /stored as run (\S+) in (\S+)/.exec(r.out)?.[1]);
    expect(ids.every((id) => id !== undefined)).toBe(true);
    const dbPath = /stored as run \S+ in (\S+)/.exec(runs[0]!.out)![1]!;
    const stored = (await listRuns(dbPath)).map((r) => r.id);
    for (const id of ids) expect(stored).toContain(id);
  }, 180_000);

  it('a database held past the wait bound: the backtest fails loudly (exit 1), nothing claims success', async () => {
    const root = mkdtempSync(join(tmpdir(), 'edgelab-bt-held-'));
    const first = await headless(scriptFor(root, 6), root);
    const dbPath = /stored as run \S+ in (\S+)/.exec(first.out)![1]!;
    const holder = await holdDatabase(dbPath);
    try {
      const r = await headless(scriptFor(root, 9), root, { EDGELAB_DB_WAIT_MS: '400' });
      expect(r.code).not.toBe(0);
      expect(r.out).toMatch(/the run was computed but NOT stored: results database is in use by another process \(pid \d+, .*\); nothing was written .*\(waited 0\.4 s\)/);
      expect(r.out).not.toMatch(/stored as run/);
    } finally {
      holder.kill('SIGTERM');
    }
  }, 180_000);
});
