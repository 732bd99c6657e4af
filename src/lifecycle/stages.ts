/**
 * Model lifecycle stages and their history in the results database (docs/lifecycle.md).
 *
 * A model moves research → candidate → paper → live, one stage at a time. Every decision —
 * promotions that passed, promotions that were refused, demotions — is appended to
 * `model_stages` with its gates and evidence, so the history is the audit trail and the current
 * stage is the target of the latest decision that passed.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { UserError } from '../core/errors.js';
import { inTransaction, withResultsDb } from '../store/db.js';

export const STAGES = ['research', 'candidate', 'paper', 'live'] as const;
export type Stage = (typeof STAGES)[number];

export const stageIndex = (s: Stage): number => STAGES.indexOf(s);

export function parseStage(text: string, where = '--to'): Stage {
  const s = text.toLowerCase();
  if ((STAGES as readonly string[]).includes(s)) return s as Stage;
  throw new UserError(`unknown stage '${text}' (stages: ${STAGES.join(' → ')})`, where);
}

/** A semantic version MAJOR.MINOR.PATCH (semver.org §2; no pre-release or build parts). */
export function parseVersion(text: string, where = '--version'): string {
  const m = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/.exec(text.trim());
  if (!m) throw new UserError(`'${text}' is not a semantic version MAJOR.MINOR.PATCH (e.g. 1.0.0)`, where);
  return `${m[1]}.${m[2]}.${m[3]}`;
}

/** 'name' or 'name@1.2.0' → its parts. */
export function splitModelRef(ref: string): { model: string; version?: string } {
  const at = ref.lastIndexOf('@');
  if (at <= 0) return { model: ref };
  return { model: ref.slice(0, at), version: parseVersion(ref.slice(at + 1), ref) };
}

export const LIFECYCLE_SQL: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS model_stages (
    seq BIGINT PRIMARY KEY, model VARCHAR NOT NULL, version VARCHAR NOT NULL, action VARCHAR NOT NULL,
    from_stage VARCHAR NOT NULL, to_stage VARCHAR NOT NULL, decision VARCHAR NOT NULL, reason VARCHAR NOT NULL,
    gates VARCHAR NOT NULL, evidence VARCHAR NOT NULL, config_digest VARCHAR NOT NULL, seed BIGINT NOT NULL,
    session_id VARCHAR NOT NULL, decided_at VARCHAR NOT NULL
  )`,
];

export async function ensureLifecycle(conn: DuckDBConnection): Promise<void> {
  for (const sql of LIFECYCLE_SQL) await conn.run(sql);
}

export interface StageDecision {
  readonly model: string;
  readonly version: string;
  readonly action: 'promote' | 'demote';
  readonly fromStage: Stage;
  readonly toStage: Stage;
  /** 'pass' (the stage changed) or 'refused'. */
  readonly decision: 'pass' | 'refused';
  /** One line: why it passed or was refused. */
  readonly reason: string;
  /** The gates as shown (JSON-serialisable). */
  readonly gates: unknown;
  /** The evidence the gates read: metrics, digests, record ids (JSON-serialisable). */
  readonly evidence: unknown;
  readonly configDigest: string;
  readonly seed: number;
  readonly sessionId: string;
  /** Wall-clock time of the decision, ISO (from the shell layer; never part of a result digest). */
  readonly decidedAt: string;
}

export type StoredDecision = StageDecision & { readonly seq: number };

/** Append one decision; returns its sequence number. */
export async function recordDecision(path: string, d: StageDecision): Promise<number> {
  return withResultsDb(path, async (conn) => {
    await ensureLifecycle(conn);
    return inTransaction(conn, async () => {
      const head = (await conn.runAndReadAll('SELECT COALESCE(MAX(seq), 0) AS n FROM model_stages')).getRowObjectsJS()[0]!;
      const seq = Number(head['n']) + 1;
      await conn.run(
        `INSERT INTO model_stages VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
        [seq, d.model, d.version, d.action, d.fromStage, d.toStage, d.decision, d.reason, JSON.stringify(d.gates), JSON.stringify(d.evidence), d.configDigest, d.seed, d.sessionId, d.decidedAt],
      );
      return seq;
    });
  });
}

const toDecision = (r: Record<string, unknown>): StoredDecision => ({
  seq: Number(r['seq']),
  model: String(r['model']),
  version: String(r['version']),
  action: String(r['action']) as 'promote' | 'demote',
  fromStage: String(r['from_stage']) as Stage,
  toStage: String(r['to_stage']) as Stage,
  decision: String(r['decision']) as 'pass' | 'refused',
  reason: String(r['reason']),
  gates: JSON.parse(String(r['gates'])) as unknown,
  evidence: JSON.parse(String(r['evidence'])) as unknown,
  configDigest: String(r['config_digest']),
  seed: Number(r['seed']),
  sessionId: String(r['session_id']),
  decidedAt: String(r['decided_at']),
});

/**
 * Every recorded decision, oldest first; for one model when `model` is given. An absent database
 * or table is an empty history (nothing has been promoted yet), not an error.
 */
export async function stageHistory(path: string, model?: string): Promise<StoredDecision[]> {
  return withResultsDb(
    path,
    async (conn) => {
      const t = await conn.runAndReadAll(`SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_name = 'model_stages'`);
      if (Number(t.getRowObjectsJS()[0]!['n']) === 0) return [];
      const rows = model === undefined
        ? await conn.runAndReadAll('SELECT * FROM model_stages ORDER BY seq')
        : await conn.runAndReadAll('SELECT * FROM model_stages WHERE model = $1 ORDER BY seq', [model]);
      return rows.getRowObjectsJS().map(toDecision);
    },
    { create: false },
  ).catch((err: unknown) => {
    if (err instanceof UserError && /no results database yet/.test(err.message)) return [];
    throw err;
  });
}

export interface ModelStage {
  readonly stage: Stage;
  /** Version of the latest passing decision (undefined while the model has none). */
  readonly version?: string;
}

/** The stage a decision history leaves a model in: the target of its latest passing decision. */
export function stageOf(history: readonly StoredDecision[], version?: string): ModelStage {
  const passed = history.filter((d) => d.decision === 'pass' && (version === undefined || d.version === version));
  const last = passed[passed.length - 1];
  return last ? { stage: last.toStage, version: last.version } : { stage: 'research' };
}

/**
 * The current stage of a model ('name' or 'name@1.2.0'); 'research' when it has no passing
 * decision. What the paper and live loops call before trading a model.
 */
export async function currentStage(dbPath: string, model: string): Promise<Stage> {
  const ref = splitModelRef(model);
  return stageOf(await stageHistory(dbPath, ref.model), ref.version).stage;
}
