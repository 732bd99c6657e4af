/**
 * The concurrency harness: N headless edgelab processes on one data root at once, each ingesting
 * its own CSV into the same lake partition (file/CONC/1d) and storing a backtest in the one results
 * database. Checked: every run a process reports stored is in the database; the partition's
 * manifest lists versions 1..n, each readable; a process that lost (lock or database wait bound)
 * says so in one clear line and exits non-zero — nothing fails silently or with an internal error.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listRuns } from '../../../src/store/index.js';
import { readManifest, rawPartitionDir, readParquet } from '../../../src/data/lake/index.js';

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const bin = join(repo, 'bin', 'edgelab.js');

export interface ConcurrencyFigures {
  readonly processes: number;
  readonly runsStored: number;
  readonly losersWithMessage: number;
  readonly invariantsChecked: number;
  readonly failures: readonly string[];
}

const LOSER = /(NOT stored: results database is in use by another process|lake partition is locked by pid \d+)/;

function csv(k: number): string {
  const rows = ['Date,Open,High,Low,Close,Volume'];
  for (let i = 0; i < 120; i++) {
    const d = new Date(Date.UTC(2022, 0, 3) + i * 86_400_000).toISOString().slice(0, 10);
    const c = 100 + k + Math.sin(i / 9) * 5;
    rows.push(`${d},${c},${c + 1},${c - 1},${c + 0.5},${1000 + i}`);
  }
  return `${rows.join('\n')}\n`;
}

function headless(script: string, root: string, env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((done) => {
    const p = spawn('node', [bin, 'run', script, '--transcript', `${script}.jsonl`], { cwd: repo, env: { ...process.env, EDGELAB_DATA_ROOT: root, HOME: root, ...env } });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    p.on('close', (code) => done({ code, out }));
  });
}

export async function concurrencyHarness(processes: number, env: Record<string, string> = {}): Promise<ConcurrencyFigures> {
  const root = mkdtempSync(join(tmpdir(), 'edgelab-conc-'));
  const scripts = Array.from({ length: processes }, (_, k) => {
    const data = join(root, `conc-${k}.csv`);
    writeFileSync(data, csv(k));
    const script = join(root, `conc-${k}.edgelab`);
    writeFileSync(script, `ingest file ${data} --symbol CONC --interval 1d\nclean raw:CONC:1d\nbacktest sma_cross --symbol CONC --interval 1d --fast ${3 + k} --slow 20 --force\n`);
    return script;
  });
  const outs = await Promise.all(scripts.map((s) => headless(s, root, env)));
  const failures: string[] = [];
  let invariantsChecked = 0;
  let losersWithMessage = 0;
  const reported: string[] = [];
  for (const [k, o] of outs.entries()) {
    invariantsChecked++;
    const id = /stored as run (\S+)/.exec(o.out)?.[1];
    if (o.code === 0) {
      if (id) reported.push(id);
      else failures.push(`process ${k}: exit 0 without 'stored as run'`);
    } else if (LOSER.test(o.out)) {
      losersWithMessage++;
    } else {
      failures.push(`process ${k}: exit ${o.code} without a clear message: ${o.out.slice(-400)}`);
    }
    if (/internal error|\n\s+at /.test(o.out)) failures.push(`process ${k}: internal error: ${o.out.slice(-400)}`);
  }
  const db = join(root, 'edgelab.duckdb');
  const stored = existsSync(db) ? (await listRuns(db)).map((r) => r.id) : [];
  for (const id of reported) {
    invariantsChecked++;
    if (!stored.some((s) => s.startsWith(id) || id.startsWith(s))) failures.push(`run ${id} reported stored but not in the database`);
  }
  const part = { source: 'file', symbol: 'CONC', interval: '1d' };
  const dir = rawPartitionDir(join(root, 'lake'), part);
  const m = readManifest(dir, part);
  invariantsChecked++;
  if (m.entries.some((e, i) => e.version !== i + 1)) failures.push(`manifest versions ${m.entries.map((e) => e.version).join(',')}`);
  for (const e of m.entries) {
    invariantsChecked++;
    if ((await readParquet(join(dir, e.file))).length !== e.rows) failures.push(`${e.file}: row count differs from the manifest`);
  }
  return { processes, runsStored: reported.length, losersWithMessage, invariantsChecked, failures };
}
