/**
 * Trials and sweeps in the results database (docs/optimize.md, "Storage").
 *
 * - `trials`: one row per distinct trial, keyed by its trial key (plan + data snapshot digest,
 *   trial.ts), with the plan's config digest, the point, every metric, the trade count and the
 *   return series the metrics read (float64 bytes, base64: an exact round trip). A trial whose key
 *   is here is read back, never recomputed.
 * - `sweeps`: one row per search (its id is a digest of what was searched, so running the same
 *   search again replaces its rows instead of adding a copy): experiment, objective, settings, seed.
 * - `sweep_trials`: which trials a sweep evaluated, in evaluation order, with the search phase.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { canonicalJson } from '../core/canonical.js';
import { UserError } from '../core/errors.js';
import { inTransaction, withResultsDb } from '../store/db.js';
import type { Point } from './dimensions.js';
import type { TrialOutcome } from './trial.js';

const TRIAL_SQL: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS trials (
    trial_key VARCHAR PRIMARY KEY, config_digest VARCHAR NOT NULL, data_digest VARCHAR NOT NULL, label VARCHAR NOT NULL,
    point VARCHAR NOT NULL, metrics VARCHAR NOT NULL, trades BIGINT NOT NULL, engine VARCHAR NOT NULL,
    return_ts VARCHAR NOT NULL, returns VARCHAR NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS sweeps (
    sweep_id VARCHAR PRIMARY KEY, seq BIGINT NOT NULL, experiment VARCHAR NOT NULL, objective VARCHAR NOT NULL,
    settings VARCHAR NOT NULL, seed BIGINT NOT NULL, data_digest VARCHAR NOT NULL, trials BIGINT NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS sweep_trials (
    sweep_id VARCHAR NOT NULL, ord BIGINT NOT NULL, trial_key VARCHAR NOT NULL, phase VARCHAR NOT NULL
  )`,
];

export async function ensureTrialTables(conn: DuckDBConnection): Promise<void> {
  for (const sql of TRIAL_SQL) await conn.run(sql);
}

/** A trial as stored. */
export interface StoredTrial extends TrialOutcome {
  readonly key: string;
  readonly configDigest: string;
  readonly dataDigest: string;
  readonly label: string;
  readonly point: Point;
}

/** Float64 values as base64 of their little-endian bytes (exact, compact). */
export function packFloats(values: readonly number[]): string {
  return Buffer.from(Float64Array.from(values).buffer).toString('base64');
}

export function unpackFloats(text: string): number[] {
  const bytes = Buffer.from(text, 'base64');
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return Array.from(new Float64Array(copy.buffer));
}

/** Stored trials among `keys` (read-only; an absent database has none). */
export async function readTrials(path: string, keys: readonly string[]): Promise<Map<string, StoredTrial>> {
  const out = new Map<string, StoredTrial>();
  if (!keys.length) return out;
  try {
    await withResultsDb(
      path,
      async (conn) => {
        await ensureTrialTables(conn);
        const CHUNK = 500;
        for (let i = 0; i < keys.length; i += CHUNK) {
          const part = keys.slice(i, i + CHUNK);
          const placeholders = part.map((_, j) => `$${j + 1}`).join(', ');
          const rows = (await conn.runAndReadAll(`SELECT * FROM trials WHERE trial_key IN (${placeholders})`, [...part])).getRowObjectsJS();
          for (const r of rows) out.set(String(r['trial_key']), rowToTrial(r));
        }
      },
      { create: false },
    );
  } catch (err) {
    if (err instanceof UserError && /no results database yet/.test(err.message)) return out;
    throw err;
  }
  return out;
}

function rowToTrial(r: Record<string, unknown>): StoredTrial {
  return {
    key: String(r['trial_key']),
    configDigest: String(r['config_digest']),
    dataDigest: String(r['data_digest']),
    label: String(r['label']),
    point: JSON.parse(String(r['point'])) as Point,
    metrics: JSON.parse(String(r['metrics'])) as Record<string, number | null>,
    trades: Number(r['trades']),
    engine: String(r['engine']) as TrialOutcome['engine'],
    returnTs: unpackFloats(String(r['return_ts'])),
    returns: unpackFloats(String(r['returns'])),
  };
}

/** Store new trials (rows whose key is already there are left as they are). */
export async function writeTrials(path: string, trials: readonly StoredTrial[]): Promise<void> {
  if (!trials.length) return;
  await withResultsDb(path, async (conn) => {
    await ensureTrialTables(conn);
    await inTransaction(conn, async () => {
      for (const t of trials) {
        await conn.run(
          `INSERT INTO trials VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING`,
          [t.key, t.configDigest, t.dataDigest, t.label, canonicalJson(t.point), canonicalJson(t.metrics), t.trades, t.engine, packFloats(t.returnTs), packFloats(t.returns)],
        );
      }
    });
  });
}

export interface SweepRecord {
  readonly id: string;
  readonly experiment: string;
  readonly objective: string;
  readonly settings: unknown;
  readonly seed: number;
  readonly dataDigest: string;
  /** Trial keys in evaluation order, with the phase that proposed each (grid, random, ea). */
  readonly trials: readonly { readonly key: string; readonly phase: string }[];
}

/** Record a sweep (replacing an earlier record of the same id). */
export async function writeSweep(path: string, s: SweepRecord): Promise<void> {
  await withResultsDb(path, async (conn) => {
    await ensureTrialTables(conn);
    await inTransaction(conn, async () => {
      const old = (await conn.runAndReadAll('SELECT seq FROM sweeps WHERE sweep_id = $1', [s.id])).getRowObjectsJS();
      const seq = old.length
        ? Number(old[0]!['seq'])
        : Number((await conn.runAndReadAll('SELECT COALESCE(MAX(seq), 0) + 1 AS seq FROM sweeps')).getRowObjectsJS()[0]!['seq']);
      await conn.run('DELETE FROM sweep_trials WHERE sweep_id = $1', [s.id]);
      await conn.run('DELETE FROM sweeps WHERE sweep_id = $1', [s.id]);
      await conn.run('INSERT INTO sweeps VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [s.id, seq, s.experiment, s.objective, canonicalJson(s.settings), s.seed, s.dataDigest, s.trials.length]);
      const a = await conn.createAppender('sweep_trials');
      s.trials.forEach((t, i) => {
        a.appendVarchar(s.id);
        a.appendBigInt(BigInt(i));
        a.appendVarchar(t.key);
        a.appendVarchar(t.phase);
        a.endRow();
      });
      a.closeSync();
    });
  });
}

export interface SweepSummary {
  readonly id: string;
  readonly seq: number;
  readonly experiment: string;
  readonly objective: string;
  readonly trials: number;
}

/** Every recorded sweep, newest first. */
export async function listSweeps(path: string): Promise<SweepSummary[]> {
  return withResultsDb(
    path,
    async (conn) => {
      await ensureTrialTables(conn);
      const rows = (await conn.runAndReadAll('SELECT sweep_id, seq, experiment, objective, trials FROM sweeps ORDER BY seq DESC')).getRowObjectsJS();
      return rows.map((r) => ({ id: String(r['sweep_id']), seq: Number(r['seq']), experiment: String(r['experiment']), objective: String(r['objective']), trials: Number(r['trials']) }));
    },
    { create: false },
  );
}

/** One sweep with its trials (in evaluation order). */
export async function loadSweep(path: string, ref: string): Promise<{ sweep: SweepSummary; trials: (StoredTrial & { phase: string })[] }> {
  return withResultsDb(
    path,
    async (conn) => {
      await ensureTrialTables(conn);
      const rows = (await conn.runAndReadAll(`SELECT sweep_id, seq, experiment, objective, trials FROM sweeps WHERE sweep_id LIKE $1 || '%' OR experiment = $1 ORDER BY seq DESC`, [ref])).getRowObjectsJS();
      if (!rows.length) throw new UserError(`no sweep '${ref}' (see \`trials\` for the list)`, ref);
      const r = rows[0]!;
      const sweep = { id: String(r['sweep_id']), seq: Number(r['seq']), experiment: String(r['experiment']), objective: String(r['objective']), trials: Number(r['trials']) };
      const trows = (
        await conn.runAndReadAll('SELECT t.*, s.phase FROM sweep_trials s JOIN trials t ON t.trial_key = s.trial_key WHERE s.sweep_id = $1 ORDER BY s.ord', [sweep.id])
      ).getRowObjectsJS();
      return { sweep, trials: trows.map((t) => ({ ...rowToTrial(t), phase: String(t['phase']) })) };
    },
    { create: false },
  );
}
