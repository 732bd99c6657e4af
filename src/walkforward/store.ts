/**
 * Walk-forward records in the results database (`walkforward_runs`): what the promotion gates read
 * (docs/lifecycle.md). One row per `walkforward` run: the model, the window settings and grid, the
 * per-fold choices, the stitched out-of-sample summary, the overfitting controls, the bias probes
 * and readiness of the data of a full-period run with the last fold's parameters, the digests, and
 * the session lines that produced it.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { UserError } from '../core/errors.js';
import type { Gate } from '../core/result.js';
import { inTransaction, withResultsDb } from '../store/db.js';

export const WALKFORWARD_SQL: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS walkforward_runs (
    id VARCHAR PRIMARY KEY, num INTEGER NOT NULL, model VARCHAR NOT NULL, settings VARCHAR NOT NULL, summary VARCHAR NOT NULL,
    folds VARCHAR NOT NULL, probes VARCHAR NOT NULL, readiness VARCHAR NOT NULL, data_digests VARCHAR NOT NULL,
    config_digest VARCHAR NOT NULL, seed BIGINT NOT NULL, result_digest VARCHAR NOT NULL, session_id VARCHAR NOT NULL,
    transcript VARCHAR NOT NULL
  )`,
];

export async function ensureWalkForward(conn: DuckDBConnection): Promise<void> {
  for (const sql of WALKFORWARD_SQL) await conn.run(sql);
}

/** The stitched out-of-sample figures the gates read. */
export interface WalkForwardSummary {
  readonly oosSharpe: number | null;
  readonly oosMaxDrawdown: number | null;
  readonly oosTotalReturn: number | null;
  readonly oosTrades: number;
  readonly folds: number;
  readonly dsr: number | null;
  readonly pbo: number | null;
  /** Parameters of the last fold (what would trade next). */
  readonly lastParams: Record<string, unknown>;
  readonly objective: string;
  readonly from: string;
  readonly to: string;
}

export interface WalkForwardRecord {
  readonly model: string;
  readonly settings: Record<string, unknown>;
  readonly summary: WalkForwardSummary;
  readonly folds: readonly Record<string, unknown>[];
  readonly probes: readonly Gate[];
  /** Dataset name → passed its readiness gate. */
  readonly readiness: Readonly<Record<string, boolean>>;
  readonly dataDigests: Readonly<Record<string, string>>;
  readonly configDigest: string;
  readonly seed: number;
  readonly resultDigest: string;
  readonly sessionId: string;
  /** The session's lines before this one, with their status (the transcript that produced it). */
  readonly transcript: readonly { line: string; status: string }[];
}

export type StoredWalkForward = WalkForwardRecord & { readonly id: string; readonly num: number };

/** Store a record with id W1, W2, … (numbered across the database). */
export async function storeWalkForward(path: string, r: WalkForwardRecord): Promise<string> {
  return withResultsDb(path, async (conn) => {
    await ensureWalkForward(conn);
    return inTransaction(conn, async () => {
      const head = (await conn.runAndReadAll('SELECT COALESCE(MAX(num), 0) AS n FROM walkforward_runs')).getRowObjectsJS()[0]!;
      const num = Number(head['n']) + 1;
      const id = `W${num}`;
      await conn.run(`INSERT INTO walkforward_runs VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`, [
        id, num, r.model, JSON.stringify(r.settings), JSON.stringify(r.summary), JSON.stringify(r.folds), JSON.stringify(r.probes),
        JSON.stringify(r.readiness), JSON.stringify(r.dataDigests), r.configDigest, r.seed, r.resultDigest, r.sessionId, JSON.stringify(r.transcript),
      ]);
      return id;
    });
  });
}

const parse = <T>(v: unknown): T => JSON.parse(String(v)) as T;

/** The latest walk-forward record of a model, or undefined when it has none. */
export async function latestWalkForward(path: string, model: string): Promise<StoredWalkForward | undefined> {
  return withResultsDb(
    path,
    async (conn) => {
      const t = await conn.runAndReadAll(`SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_name = 'walkforward_runs'`);
      if (Number(t.getRowObjectsJS()[0]!['n']) === 0) return undefined;
      const rows = (await conn.runAndReadAll('SELECT * FROM walkforward_runs WHERE model = $1 ORDER BY num DESC LIMIT 1', [model])).getRowObjectsJS();
      const r = rows[0];
      if (!r) return undefined;
      const stored: StoredWalkForward = {
        id: String(r['id']),
        num: Number(r['num']),
        model: String(r['model']),
        settings: parse(r['settings']),
        summary: parse(r['summary']),
        folds: parse(r['folds']),
        probes: parse(r['probes']),
        readiness: parse(r['readiness']),
        dataDigests: parse(r['data_digests']),
        configDigest: String(r['config_digest']),
        seed: Number(r['seed']),
        resultDigest: String(r['result_digest']),
        sessionId: String(r['session_id']),
        transcript: parse(r['transcript']),
      };
      return stored;
    },
    { create: false },
  ).catch((err: unknown) => {
    if (err instanceof UserError && /no results database yet/.test(err.message)) return undefined;
    throw err;
  });
}
