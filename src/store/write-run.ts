/**
 * Store a backtest run: the run record plus its equity curve, orders, fills, trades and breaches, in
 * ONE transaction (all rows or none). The run id is a content hash: storing the same run again is a
 * no-op ('identical'); a different result under the same id (only possible when the code changed
 * without a new revision) replaces the old rows ('replaced').
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { UserError } from '../core/errors.js';
import { canonicalJson } from '../core/canonical.js';
import { redact } from '../core/redact.js';
import { RISK_MODES } from '../risk/types.js';
import type { BacktestResult } from '../backtest/types.js';
import type { OrderRecord } from '../execution/types.js';
import { inTransaction, withResultsDb, type DbOptions } from './db.js';
import type { RunRecord } from './record.js';
import type { RunData } from '../report/run-data.js';
import { appendRunExtras } from './run-extras.js';
import { ADDED_COLUMNS_SQL, RUN_TABLES, SCHEMA_SQL, SCHEMA_VERSION } from './schema.js';

export interface StoreOutcome {
  readonly id: string;
  readonly status: 'stored' | 'identical' | 'replaced';
  readonly path: string;
}

export async function ensureSchema(conn: DuckDBConnection, path: string): Promise<void> {
  for (const sql of SCHEMA_SQL) await conn.run(sql);
  const r = await conn.runAndReadAll(`SELECT value FROM meta WHERE key = 'schema_version'`);
  const rows = r.getRowObjectsJS();
  if (rows.length === 0) {
    await conn.run(`INSERT INTO meta VALUES ('schema_version', $1)`, [String(SCHEMA_VERSION)]);
  } else if (rows[0]!['value'] !== String(SCHEMA_VERSION)) {
    throw new UserError(`results database has schema version ${String(rows[0]!['value'])}, this edgelab writes version ${SCHEMA_VERSION}; use a new --db`, path);
  }
  for (const sql of ADDED_COLUMNS_SQL) await conn.run(sql);
}

const numOrNull = (v: number | null): number | null => (v === null ? null : v);

/** Filled quantity of an order: tracked under a participation cap, else whole (filled) or nothing. */
export const filledOf = (o: OrderRecord): number => o.filled ?? (o.status === 'filled' ? o.qty : 0);

/**
 * @param run the run's report data (series, per-model costs, booking steps) so the run can be
 *   exported and reported later (src/store/run-extras.ts); without it only the ledger tables are kept
 */
export async function storeBacktestRun(path: string, record: RunRecord, result: BacktestResult, opts: DbOptions = {}, run?: RunData): Promise<StoreOutcome> {
  return withResultsDb(
    path,
    async (conn) => {
      await ensureSchema(conn, path);
      const existing = (await conn.runAndReadAll('SELECT result_digest FROM runs WHERE id = $1', [record.id])).getRowObjectsJS();
      if (existing.length > 0 && existing[0]!['result_digest'] === record.resultDigest) {
        return { id: record.id, status: 'identical', path } as const;
      }
      await inTransaction(conn, async () => {
        if (existing.length > 0) {
          for (const t of RUN_TABLES) await conn.run(`DELETE FROM ${t} WHERE run_id = $1`, [record.id]);
          await conn.run('DELETE FROM runs WHERE id = $1', [record.id]);
        }
        const seqRows = (await conn.runAndReadAll('SELECT COALESCE(MAX(seq), 0) + 1 AS seq FROM runs')).getRowObjectsJS();
        const seq = Number(seqRows[0]!['seq']);
        await conn.run(
          `INSERT INTO runs VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
          [
            // stored rows never hold a secret (src/core/redact.ts)
            record.id, seq, record.kind, redact(record.label), record.configDigest, record.codeRevision, record.seed,
            canonicalJson(record.dataDigests), canonicalJson(record.profile), redact(canonicalJson(record.config)),
            canonicalJson(record.metrics), redact(canonicalJson(record.summary)), record.resultDigest,
            numOrNull(record.start), numOrNull(record.end), numOrNull(record.steps),
          ],
        );
        await appendRows(conn, record.id, result, run);
        if (run) await appendRunExtras(conn, record.id, run);
      });
      return { id: record.id, status: existing.length > 0 ? 'replaced' : 'stored', path } as const;
    },
    opts,
  );
}

type Appender = Awaited<ReturnType<DuckDBConnection['createAppender']>>;

/** One column of a child table: appends the value `row` (at index `i`) holds for it; null → SQL NULL. */
type Column<T> = (a: Appender, row: T, i: number) => void;
type Get<T, V> = (row: T, i: number) => V;

const int = <T>(get: Get<T, number>): Column<T> => (a, row, i) => a.appendInteger(get(row, i));
const bool = <T>(get: Get<T, boolean>): Column<T> => (a, row, i) => a.appendBoolean(get(row, i));
const dbl = <T>(get: Get<T, number | null>): Column<T> => (a, row, i) => {
  const v = get(row, i);
  if (v === null) a.appendNull();
  else a.appendDouble(v);
};
const str = <T>(get: Get<T, string | null>): Column<T> => (a, row, i) => {
  const v = get(row, i);
  if (v === null) a.appendNull();
  else a.appendVarchar(v);
};

/** Append one row per element of `rows` to `table`: the run id, then `columns` in table order. */
async function appendTable<T>(conn: DuckDBConnection, table: string, id: string, rows: ArrayLike<T>, columns: readonly Column<T>[]): Promise<void> {
  const a = await conn.createAppender(table);
  for (let i = 0; i < rows.length; i++) {
    a.appendVarchar(id);
    for (const col of columns) col(a, rows[i]!, i);
    a.endRow();
  }
  a.closeSync();
}

async function appendRows(conn: DuckDBConnection, id: string, r: BacktestResult, run?: RunData): Promise<void> {
  // equity: one row per step, indexed by the step
  await appendTable<number>(conn, 'equity', id, r.ts, [
    int((_, i) => i), dbl((ts) => ts), dbl((_, i) => r.nav[i]!), dbl((_, i) => r.cash[i]!), dbl((_, i) => r.gross[i]!),
    dbl((_, i) => r.net[i]!), dbl((_, i) => r.drawdown[i]!), str((_, i) => RISK_MODES[r.mode[i]!]!), int((_, i) => r.breachCount[i]!),
  ]);
  await appendTable(conn, 'orders', id, r.orders, [
    int((o) => o.id), str((o) => o.symbol), dbl((o) => o.qty), str((o) => o.type), dbl((o) => o.price), dbl((o) => o.placedAt),
    str((o) => o.model), str((o) => o.reason), str((o) => o.status), dbl((o) => o.closedAt),
    dbl((o) => filledOf(o)),
  ]);
  await appendTable(conn, 'fills', id, r.fills, [
    int((f) => f.orderId), str((f) => f.symbol), dbl((f) => f.ts), dbl((f) => f.qty), dbl((f) => f.refPrice), dbl((f) => f.price),
    dbl((f) => f.notional), dbl((f) => f.fee), dbl((f) => f.slippage), dbl((f) => f.impact), str((f) => f.liquidity),
    bool((f) => f.gap), str((f) => f.type), str((f) => f.reason), dbl((_, i) => (run ? run.fills[i]!.bookedTs : null)),
  ]);
  await appendTable(conn, 'trades', id, r.trades, [
    str((t) => t.symbol), str((t) => t.side), dbl((t) => t.entryTs), dbl((t) => t.exitTs), dbl((t) => t.maxQty),
    dbl((t) => t.entryPrice), dbl((t) => t.exitPrice), dbl((t) => t.pnl), dbl((t) => t.fees), dbl((t) => t.funding),
    dbl((t) => t.borrow ?? 0),
  ]);
  await appendTable(conn, 'breaches', id, r.breaches, [
    int((b) => b.step), dbl((b) => b.ts), str((b) => b.kind), str((b) => b.subject), str((b) => b.model), dbl((b) => b.value),
    dbl((b) => b.limit), str((b) => b.action),
  ]);
}
