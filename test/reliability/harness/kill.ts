/**
 * The kill harness: start an operation in a child process, kill -9 it at a random moment within
 * the operation's measured length, then reopen what it wrote and check the invariants
 * (docs/reliability.md): the lake opens, every committed partition version is listed and
 * readable with its listed row count, nothing half-visible (no unlisted data file is read, no
 * journal or `.partial` survives the next write), and a retry of the operation succeeds. The
 * results database opens, and every listed run has all its equity rows. Kill moments come from a
 * seeded generator, so a failure can be replayed with the same seed.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { readManifest, rawPartitionDir, cleanPartitionDir, readParquet } from '../../../src/data/lake/index.js';
import { withResultsDb } from '../../../src/store/db.js';
import { PENDING_FILE } from '../../../src/data/lake/journal.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = resolve(here, '../../..');
const lakeChild = join(here, 'lake-child.mjs');
const bin = join(repo, 'bin', 'edgelab.js');

export type KillOp = 'ingest' | 'clean' | 'backtest-store' | 'config-set';
export const KILL_OPS: readonly KillOp[] = ['ingest', 'clean', 'backtest-store', 'config-set'];

export interface KillFigures {
  readonly op: KillOp;
  readonly killed: number;
  /** Runs that finished before the kill landed (counted, still checked). */
  readonly finishedFirst: number;
  readonly invariantsChecked: number;
  readonly failures: readonly string[];
}

/** Park–Miller minimal standard generator: reproducible kill moments from a seed. */
function moments(seed: number): () => number {
  let s = (seed % 2147483646) + 1;
  return () => {
    s = (s * 16807) % 2147483647;
    return (s - 1) / 2147483646;
  };
}

interface Spawned {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly out: string;
}

function start(args: readonly string[], env: Record<string, string>, killAfterMs?: number): Promise<Spawned> {
  return new Promise((done) => {
    const p = spawn('node', args, { cwd: repo, env: { ...process.env, ...env } });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => p.kill('SIGKILL'), killAfterMs);
    p.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      done({ code, signal, out });
    });
  });
}

interface OpSetup {
  /** Command line of one operation on `root` (attempt `i`). */
  args(root: string, i: number): string[];
  /** Check the invariants on `root`; returns [checked, failures]. */
  check(root: string): Promise<[number, string[]]>;
  /** Did a finished (unkilled) run succeed? */
  succeeded(s: Spawned): boolean;
}

async function checkPartition(dir: string, partition: Record<string, string>): Promise<[number, string[]]> {
  const failures: string[] = [];
  let checked = 0;
  let m;
  try {
    m = readManifest(dir, partition);
  } catch (err) {
    return [1, [`${dir}: manifest unreadable: ${(err as Error).message}`]];
  }
  checked++;
  const versions = m.entries.map((e) => e.version);
  checked++;
  if (versions.some((v, i) => v !== i + 1)) failures.push(`${dir}: versions ${versions.join(',')} are not 1..n`);
  for (const e of m.entries) {
    checked++;
    try {
      const t = await readParquet(join(dir, e.file));
      if (t.length !== e.rows) failures.push(`${dir}/${e.file}: ${t.length} rows, manifest says ${e.rows}`);
    } catch (err) {
      failures.push(`${dir}/${e.file}: listed but unreadable: ${(err as Error).message}`);
    }
  }
  return [checked, failures];
}

/** After a successful write, no journal or .partial may remain. */
function checkClean(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.partial') || f === PENDING_FILE).map((f) => `${dir}/${f} left after a successful write`);
}

const DEMO = { source: 'file', symbol: 'DEMO', interval: '1d' };

function setups(): Record<KillOp, OpSetup> {
  const lakeOp = (op: 'raw' | 'clean', dir: (lake: string) => string, part: Record<string, string>): OpSetup => ({
    args: (root, i) => [lakeChild, op, join(root, 'lake'), String(i), '3000'],
    succeeded: (s) => s.code === 0 && s.out.includes('"ok":true'),
    check: (root) => checkPartition(dir(join(root, 'lake')), part),
  });
  return {
    ingest: lakeOp('raw', (lake) => rawPartitionDir(lake, DEMO), DEMO),
    clean: lakeOp('clean', (lake) => cleanPartitionDir(lake, { symbol: 'DEMO', interval: '1d' }), { symbol: 'DEMO', interval: '1d' }),
    'backtest-store': {
      args: (root, i) => {
        const script = join(root, `bt-${i}.edgelab`);
        writeFileSync(script, `ingest synthetic --symbols SPY --years 1\nbacktest sma_cross --symbol SPY --interval 1d --fast ${3 + (i % 20)} --slow 30\n`);
        return [bin, 'run', script, '--transcript', `${script}.jsonl`];
      },
      succeeded: (s) => s.code === 0 && /stored as run/.test(s.out),
      check: async (root) => {
        const db = join(root, 'edgelab.duckdb');
        if (!existsSync(db)) return [1, []];
        try {
          const bad = await withResultsDb(db, async (conn) => {
            const has = (await conn.runAndReadAll(`SELECT count(*) FROM information_schema.tables WHERE table_name = 'runs'`)).getRowsJS()[0]![0];
            if (Number(has) === 0) return [] as string[];
            const rows = (await conn.runAndReadAll('SELECT r.id, r.steps, (SELECT count(*) FROM equity e WHERE e.run_id = r.id) AS n FROM runs r')).getRowObjectsJS();
            return rows.filter((r) => Number(r['n']) !== Number(r['steps'])).map((r) => `run ${String(r['id'])}: ${String(r['n'])} equity rows of ${String(r['steps'])}`);
          }, { create: false });
          return [2, bad];
        } catch (err) {
          return [1, [`results database does not open after the kill: ${(err as Error).message}`]];
        }
      },
    },
    'config-set': {
      args: (root, i) => {
        const script = join(root, `cfg-${i}.edgelab`);
        writeFileSync(script, Array.from({ length: 30 }, (_, k) => `config set backtest.risk.max_gross ${1 + ((i + k) % 9) / 10}`).join('\n'));
        return [bin, 'run', script, '--transcript', join(root, `cfg-${i}.jsonl`)];
      },
      succeeded: (s) => s.code === 0,
      check: async (root) => {
        // every complete transcript line parses; only the last line may be cut
        const failures: string[] = [];
        let checked = 0;
        for (const f of readdirSync(root).filter((n) => n.endsWith('.jsonl'))) {
          const lines = readFileSync(join(root, f), 'utf8').split('\n');
          const complete = lines.slice(0, -1);
          for (const [k, l] of complete.entries()) {
            checked++;
            try {
              JSON.parse(l);
            } catch {
              failures.push(`${f}:${k + 1}: a complete transcript line does not parse`);
            }
          }
        }
        return [checked, failures];
      },
    },
  };
}

/** Kill `op` at `points` random moments (seeded), checking invariants and a retry after each. */
export async function killHarness(op: KillOp, points: number, seed = 1): Promise<KillFigures> {
  const setup = setups()[op];
  const root = mkdtempSync(join(tmpdir(), `edgelab-kill-${op}-`));
  const env = { EDGELAB_DATA_ROOT: root, HOME: root, EDGELAB_LOCK_WAIT_MS: '20000' };
  const t0 = performance.now();
  const first = await start(setup.args(root, 0), env);
  const length = performance.now() - t0;
  const failures: string[] = setup.succeeded(first) ? [] : [`${op}: an uninterrupted run failed: ${first.out.slice(-300)}`];
  const next = moments(seed);
  let killed = 0;
  let finishedFirst = 0;
  let invariantsChecked = 0;
  for (let i = 1; i <= points; i++) {
    const at = Math.round(next() * length * 1.1);
    const s = await start(setup.args(root, i), env, at);
    if (s.signal === 'SIGKILL') killed++;
    else finishedFirst++;
    const [n, bad] = await setup.check(root);
    invariantsChecked += n;
    failures.push(...bad.map((b) => `after kill at ${at} ms (point ${i}): ${b}`));
    const retry = await start(setup.args(root, i), env);
    invariantsChecked++;
    if (!setup.succeeded(retry)) failures.push(`retry after kill at ${at} ms (point ${i}) failed: ${retry.out.slice(-300)}`);
    if (op === 'ingest' || op === 'clean') {
      const dir = op === 'ingest' ? rawPartitionDir(join(root, 'lake'), DEMO) : cleanPartitionDir(join(root, 'lake'), { symbol: 'DEMO', interval: '1d' });
      invariantsChecked++;
      failures.push(...checkClean(dir));
    }
  }
  return { op, killed, finishedFirst, invariantsChecked, failures };
}
