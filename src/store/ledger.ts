/**
 * The discovery test ledger and the edge candidates, in the results database. Every hypothesis
 * discovery ever tests on a ledger (a dataset family, e.g. 'synthetic/seed=42') is appended to
 * `discovery_tests` with a global sequence number; Benjamini–Hochberg q-values are computed over
 * the whole ledger as it stands after a run, so a later run pays for every earlier test. Gate
 * passers are stored in `edge_candidates` with everything needed to re-derive their p and q.
 * Tables are created on first use (IF NOT EXISTS); nothing here touches the backtest tables.
 *
 * A run's id is a digest of what it tested (ledger, settings, seed, config and data digests, and
 * every test with its statistics). Re-running an identical run is not a new test — its p-values are
 * the same deterministic function of the same inputs and add no chance of a false discovery — so
 * it is recorded once: the re-run reads back the run's rows and the ledger as it stood after it
 * (docs/discovery.md, "Multiplicity: the ledger"). Other bars or other settings give another id and
 * are appended like any new run.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { UserError } from '../core/errors.js';
import { digestOf } from '../core/canonical.js';
import { inTransaction, withResultsDb } from './db.js';

export const LEDGER_SQL: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS discovery_runs (
    id VARCHAR PRIMARY KEY, seq BIGINT NOT NULL, ledger VARCHAR NOT NULL, command VARCHAR NOT NULL, seed BIGINT NOT NULL,
    config_digest VARCHAR NOT NULL, data_digests VARCHAR NOT NULL, tests INTEGER NOT NULL, first_test BIGINT NOT NULL,
    last_test BIGINT NOT NULL, ledger_size INTEGER NOT NULL, q_level DOUBLE NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS discovery_tests (
    seq BIGINT NOT NULL, run_id VARCHAR NOT NULL, ledger VARCHAR NOT NULL, key VARCHAR NOT NULL, family VARCHAR NOT NULL,
    params VARCHAR NOT NULL, grp VARCHAR NOT NULL, condition VARCHAR NOT NULL, action VARCHAR NOT NULL, horizon INTEGER NOT NULL,
    n INTEGER NOT NULL, days INTEGER NOT NULL, mean_bps DOUBLE, sd_bps DOUBLE, se_bps DOUBLE, t DOUBLE, df DOUBLE, p DOUBLE
  )`,
  `CREATE TABLE IF NOT EXISTS edge_candidates (
    id VARCHAR PRIMARY KEY, num INTEGER NOT NULL, run_id VARCHAR NOT NULL, ledger VARCHAR NOT NULL, test_seq BIGINT NOT NULL,
    family VARCHAR NOT NULL, params VARCHAR NOT NULL, grp VARCHAR NOT NULL, datasets VARCHAR NOT NULL, condition VARCHAR NOT NULL,
    action VARCHAR NOT NULL, horizon INTEGER NOT NULL, baseline VARCHAR NOT NULL, n INTEGER NOT NULL, days INTEGER NOT NULL,
    mean_bps DOUBLE, sd_bps DOUBLE, se_bps DOUBLE, hit_rate DOUBLE, t DOUBLE, df DOUBLE, p DOUBLE, bh_rank INTEGER NOT NULL,
    ledger_size INTEGER NOT NULL, q DOUBLE, q_level DOUBLE NOT NULL, ci_lo_bps DOUBLE, ci_hi_bps DOUBLE, cost_bps DOUBLE,
    expectancy_bps DOUBLE, stability DOUBLE, probe_perturbation VARCHAR, probe_time_split VARCHAR, probe_double_costs VARCHAR,
    probe_placebo VARCHAR, stands BOOLEAN NOT NULL
  )`,
  // the cluster adjustment (src/research/clusters.ts); added to databases made before it
  `ALTER TABLE edge_candidates ADD COLUMN IF NOT EXISTS cluster_size INTEGER`,
  `ALTER TABLE edge_candidates ADD COLUMN IF NOT EXISTS within_q DOUBLE`,
  `ALTER TABLE edge_candidates ADD COLUMN IF NOT EXISTS cluster_p DOUBLE`,
  `ALTER TABLE edge_candidates ADD COLUMN IF NOT EXISTS clusters INTEGER`,
  `ALTER TABLE edge_candidates ADD COLUMN IF NOT EXISTS by_factor DOUBLE`,
];

export async function ensureLedger(conn: DuckDBConnection): Promise<void> {
  for (const sql of LEDGER_SQL) await conn.run(sql);
}

export interface LedgerTest {
  readonly key: string;
  readonly family: string;
  readonly params: string;
  readonly group: string;
  readonly condition: string;
  readonly action: string;
  readonly horizon: number;
  readonly n: number;
  readonly days: number;
  readonly meanBps: number;
  readonly sdBps: number;
  readonly seBps: number;
  readonly t: number;
  readonly df: number;
  readonly p: number;
}

export interface LedgerRun {
  readonly ledger: string;
  /** The command with every option that shapes the run (part of the run's identity). */
  readonly command: string;
  readonly seed: number;
  /** Digest of the configuration the run reads (discover: the cost model, backtest.costs). */
  readonly configDigest: string;
  readonly dataDigests: string;
  readonly qLevel: number;
}

export interface RecordedTests {
  /** Content-derived: `disc-` + 16 hex digits of the run's digest (discoveryRunId). */
  readonly runId: string;
  /** True when an identical run was already in the ledger: nothing was appended, its rows were read back. */
  readonly reused: boolean;
  /** Tests in the ledger now (after a reused run, possibly more than ledgerP, which stops at that run). */
  readonly ledgerSizeNow: number;
  /** Sequence numbers of this run's tests, in input order. */
  readonly firstSeq: number;
  /** Every p-value of the ledger (earlier runs and this one), in sequence order. */
  readonly ledgerP: Float64Array;
  /** The hypothesis key of each ledger entry, same order. */
  readonly ledgerKeys: readonly string[];
  /** The run of each ledger entry, same order. */
  readonly ledgerRuns: readonly string[];
  /** Position in ledgerP of this run's first test. */
  readonly offset: number;
}

const fin = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** The id of a discovery run: a digest of everything that decides its tests and their p-values. */
export function discoveryRunId(run: LedgerRun, tests: readonly LedgerTest[]): string {
  const content = { ...run, tests: tests.map((x) => ({ ...x, meanBps: fin(x.meanBps), sdBps: fin(x.sdBps), seBps: fin(x.seBps), t: fin(x.t), df: fin(x.df), p: fin(x.p) })) };
  return `disc-${digestOf(content).slice(0, 16)}`;
}

interface LedgerRows {
  readonly ledgerP: Float64Array;
  readonly ledgerKeys: readonly string[];
  readonly ledgerRuns: readonly string[];
  readonly seqs: readonly number[];
}

async function readLedger(conn: DuckDBConnection, ledger: string, lastSeq: number): Promise<LedgerRows> {
  const ps = (await conn.runAndReadAll('SELECT seq, p, key, run_id FROM discovery_tests WHERE ledger = $1 AND seq <= $2 ORDER BY seq', [ledger, lastSeq])).getRowObjectsJS();
  return {
    ledgerP: Float64Array.from(ps, (r) => (r['p'] === null ? NaN : Number(r['p']))),
    ledgerKeys: ps.map((r) => String(r['key'])),
    ledgerRuns: ps.map((r) => String(r['run_id'])),
    seqs: ps.map((r) => Number(r['seq'])),
  };
}

async function ledgerCount(conn: DuckDBConnection, ledger: string): Promise<number> {
  return Number((await conn.runAndReadAll('SELECT COUNT(*) AS n FROM discovery_tests WHERE ledger = $1', [ledger])).getRowObjectsJS()[0]!['n']);
}

/**
 * Append a run's tests to its ledger (one transaction) and read back the ledger's p-values up to
 * the run. An identical run already recorded (same id, discoveryRunId) appends nothing and reads
 * back the ledger as it stood after that run, so it reports what it reported the first time.
 */
export async function recordTests(path: string, run: LedgerRun, tests: readonly LedgerTest[]): Promise<RecordedTests> {
  const runId = discoveryRunId(run, tests);
  return withResultsDb(path, async (conn) => {
    await ensureLedger(conn);
    return inTransaction(conn, async () => {
      const before = (await conn.runAndReadAll('SELECT first_test, last_test, ledger_size FROM discovery_runs WHERE id = $1', [runId])).getRowObjectsJS()[0];
      if (before) {
        const firstSeq = Number(before['first_test']);
        const rows = await readLedger(conn, run.ledger, Number(before['last_test']));
        if (rows.ledgerP.length !== Number(before['ledger_size'])) throw new Error(`discovery run ${runId}: ledger ${run.ledger} has ${rows.ledgerP.length} tests up to it, recorded ${String(before['ledger_size'])}`);
        const offset = rows.seqs.indexOf(firstSeq);
        return { runId, reused: true, ledgerSizeNow: await ledgerCount(conn, run.ledger), firstSeq, ...rows, offset: offset < 0 ? rows.seqs.length : offset };
      }
      const head = (await conn.runAndReadAll('SELECT COALESCE(MAX(seq), 0) AS s FROM discovery_runs')).getRowObjectsJS()[0]!;
      const runSeq = Number(head['s']) + 1;
      const last = (await conn.runAndReadAll('SELECT COALESCE(MAX(seq), 0) AS s FROM discovery_tests')).getRowObjectsJS()[0]!;
      const firstSeq = Number(last['s']) + 1;
      const a = await conn.createAppender('discovery_tests');
      tests.forEach((x, i) => {
        a.appendBigInt(BigInt(firstSeq + i));
        for (const s of [runId, run.ledger, x.key, x.family, x.params, x.group, x.condition, x.action]) a.appendVarchar(s);
        a.appendInteger(x.horizon);
        a.appendInteger(x.n);
        a.appendInteger(x.days);
        for (const v of [x.meanBps, x.sdBps, x.seBps, x.t, x.df, x.p]) {
          const f = fin(v);
          if (f === null) a.appendNull();
          else a.appendDouble(f);
        }
        a.endRow();
      });
      a.closeSync();
      const lastSeq = firstSeq + tests.length - 1;
      const rows = await readLedger(conn, run.ledger, lastSeq);
      const offset = rows.seqs.indexOf(firstSeq);
      await conn.run(`INSERT INTO discovery_runs VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`, [
        runId, runSeq, run.ledger, run.command, run.seed, run.configDigest, run.dataDigests, tests.length, firstSeq,
        lastSeq, rows.ledgerP.length, run.qLevel,
      ]);
      return { runId, reused: false, ledgerSizeNow: rows.ledgerP.length, firstSeq, ...rows, offset: offset < 0 ? rows.seqs.length : offset };
    });
  });
}

/** An edge candidate as stored (and exported): column names of edge_candidates. */
export interface CandidateRow {
  readonly run_id: string;
  readonly ledger: string;
  readonly test_seq: number;
  readonly family: string;
  readonly params: string;
  readonly grp: string;
  readonly datasets: string;
  readonly condition: string;
  readonly action: string;
  readonly horizon: number;
  readonly baseline: string;
  readonly n: number;
  readonly days: number;
  readonly mean_bps: number;
  readonly sd_bps: number;
  readonly se_bps: number;
  readonly hit_rate: number;
  readonly t: number;
  readonly df: number;
  readonly p: number;
  /** Rank of the candidate's cluster among the ledger's clusters (by cluster p). */
  readonly bh_rank: number;
  /** Tests (hypotheses) in the ledger. */
  readonly ledger_size: number;
  readonly q: number;
  readonly q_level: number;
  readonly ci_lo_bps: number;
  readonly ci_hi_bps: number;
  readonly cost_bps: number;
  readonly expectancy_bps: number;
  readonly stability: number;
  readonly probe_perturbation: string;
  readonly probe_time_split: string;
  readonly probe_double_costs: string;
  readonly probe_placebo: string;
  readonly stands: boolean;
  /** Hypotheses in the candidate's cluster (same events: src/research/clusters.ts). */
  readonly cluster_size?: number;
  /** BH q within the cluster over its two-sided p's. */
  readonly within_q?: number;
  /** The cluster's Simes p. */
  readonly cluster_p?: number;
  /** M: clusters in the ledger. */
  readonly clusters?: number;
  /** c(M) = Σ_{i ≤ M} 1/i (Benjamini–Yekutieli). */
  readonly by_factor?: number;
}

export type StoredCandidate = CandidateRow & { readonly id: string; readonly num: number };

const CANDIDATE_FIELDS = [
  'run_id', 'ledger', 'test_seq', 'family', 'params', 'grp', 'datasets', 'condition', 'action', 'horizon', 'baseline', 'n', 'days',
  'mean_bps', 'sd_bps', 'se_bps', 'hit_rate', 't', 'df', 'p', 'bh_rank', 'ledger_size', 'q', 'q_level', 'ci_lo_bps', 'ci_hi_bps',
  'cost_bps', 'expectancy_bps', 'stability', 'probe_perturbation', 'probe_time_split', 'probe_double_costs', 'probe_placebo', 'stands',
  'cluster_size', 'within_q', 'cluster_p', 'clusters', 'by_factor',
] as const satisfies readonly (keyof CandidateRow)[];

/**
 * Store a run's candidates with ids E1, E2, … (numbered across the database); returns the ids in
 * input order. A run's candidates are stored once: when the run (an identical re-run, recordTests)
 * already has its candidates stored, their ids are returned and nothing is added.
 */
export async function storeCandidates(path: string, rows: readonly CandidateRow[]): Promise<string[]> {
  if (rows.length === 0) return [];
  return withResultsDb(path, async (conn) => {
    await ensureLedger(conn);
    return inTransaction(conn, async () => {
      const runs = [...new Set(rows.map((r) => r.run_id))];
      const placeholdersRuns = runs.map((_, i) => `$${i + 1}`).join(', ');
      const already = (await conn.runAndReadAll(`SELECT id FROM edge_candidates WHERE run_id IN (${placeholdersRuns}) ORDER BY num`, runs)).getRowObjectsJS();
      if (already.length === rows.length) return already.map((r) => String(r['id']));
      if (already.length > 0) throw new Error(`edge candidates of run ${runs.join(', ')}: ${already.length} stored, ${rows.length} to store`);
      const head = (await conn.runAndReadAll('SELECT COALESCE(MAX(num), 0) AS n FROM edge_candidates')).getRowObjectsJS()[0]!;
      let num = Number(head['n']);
      const ids: string[] = [];
      const placeholders = Array.from({ length: CANDIDATE_FIELDS.length + 2 }, (_, i) => `$${i + 1}`).join(', ');
      for (const r of rows) {
        num++;
        const id = `E${num}`;
        ids.push(id);
        const values = CANDIDATE_FIELDS.map((f) => {
          const v = r[f];
          return typeof v === 'number' ? fin(v) : (v ?? null);
        });
        await conn.run(`INSERT INTO edge_candidates (id, num, ${CANDIDATE_FIELDS.join(', ')}) VALUES (${placeholders})`, [id, num, ...values]);
      }
      return ids;
    });
  });
}

const toCandidate = (r: Record<string, unknown>): StoredCandidate => {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) out[k] = typeof v === 'bigint' ? Number(v) : v === null ? NaN : v;
  return out as unknown as StoredCandidate;
};

async function hasLedger(conn: DuckDBConnection): Promise<boolean> {
  const r = await conn.runAndReadAll(`SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_name = 'edge_candidates'`);
  return Number(r.getRowObjectsJS()[0]!['n']) > 0;
}

export async function listCandidates(path: string): Promise<StoredCandidate[]> {
  return withResultsDb(
    path,
    async (conn) => {
      if (!(await hasLedger(conn))) return [];
      return (await conn.runAndReadAll('SELECT * FROM edge_candidates ORDER BY num')).getRowObjectsJS().map(toCandidate);
    },
    { create: false },
  ).catch((err: unknown) => {
    if (err instanceof UserError && /no results database yet/.test(err.message)) return [];
    throw err;
  });
}

export async function loadCandidate(path: string, id: string): Promise<StoredCandidate> {
  const all = await listCandidates(path);
  const c = all.find((x) => x.id.toLowerCase() === id.toLowerCase());
  if (!c) {
    const have = all.slice(-5).map((x) => x.id).join(', ');
    throw new UserError(`no edge candidate '${id}'${have ? ` (latest: ${have}; see \`edges\`)` : ' (none stored yet: run `discover`)'}`, id);
  }
  return c;
}

/** The ledger's p-values in sequence order up to and including `lastSeq` (what a candidate's q was computed over). */
export async function ledgerPValues(path: string, ledger: string, lastSeq: number): Promise<{ seq: number; p: number; key: string; run: string }[]> {
  return withResultsDb(path, async (conn) => {
    await ensureLedger(conn);
    const rows = (await conn.runAndReadAll('SELECT seq, p, key, run_id FROM discovery_tests WHERE ledger = $1 AND seq <= $2 ORDER BY seq', [ledger, lastSeq])).getRowObjectsJS();
    return rows.map((r) => ({ seq: Number(r['seq']), p: r['p'] === null ? NaN : Number(r['p']), key: String(r['key']), run: String(r['run_id']) }));
  });
}

/** Size of each ledger and the number of runs that built it. */
export async function ledgerSizes(path: string): Promise<{ ledger: string; tests: number; runs: number }[]> {
  return withResultsDb(path, async (conn) => {
    await ensureLedger(conn);
    const rows = (await conn.runAndReadAll('SELECT ledger, COUNT(*) AS tests, COUNT(DISTINCT run_id) AS runs FROM discovery_tests GROUP BY ledger ORDER BY ledger')).getRowObjectsJS();
    return rows.map((r) => ({ ledger: String(r['ledger']), tests: Number(r['tests']), runs: Number(r['runs']) }));
  });
}

/** Write the candidates to CSV or Parquet through DuckDB's COPY; returns the row count. */
export async function exportCandidates(path: string, out: string, format: 'csv' | 'parquet'): Promise<number> {
  return withResultsDb(path, async (conn) => {
    await ensureLedger(conn);
    const n = Number((await conn.runAndReadAll('SELECT COUNT(*) AS n FROM edge_candidates')).getRowObjectsJS()[0]!['n']);
    const target = out.replace(/'/g, "''");
    await conn.run(`COPY (SELECT * EXCLUDE (num) FROM edge_candidates ORDER BY num) TO '${target}' (FORMAT ${format === 'csv' ? 'CSV, HEADER' : 'PARQUET'})`);
    return n;
  });
}
