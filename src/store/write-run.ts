/**
 * Store a backtest run: the run record plus its equity curve, orders, fills, trades and breaches, in
 * ONE transaction (all rows or none). The run id is a content hash: storing the same run again is a
 * no-op ('identical'); a different result under the same id (only possible when the code changed
 * without a new revision) replaces the old rows ('replaced').
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { UserError } from '../core/errors.js';
import { canonicalJson } from '../core/canonical.js';
import { RISK_MODES } from '../risk/types.js';
import type { BacktestResult } from '../backtest/types.js';
import { inTransaction, withResultsDb, type DbOptions } from './db.js';
import type { RunRecord } from './record.js';
import { RUN_TABLES, SCHEMA_SQL, SCHEMA_VERSION } from './schema.js';

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
}

const numOrNull = (v: number | null): number | null => (v === null ? null : v);

export async function storeBacktestRun(path: string, record: RunRecord, result: BacktestResult, opts: DbOptions = {}): Promise<StoreOutcome> {
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
            record.id, seq, record.kind, record.label, record.configDigest, record.codeRevision, record.seed,
            canonicalJson(record.dataDigests), canonicalJson(record.profile), canonicalJson(record.config),
            canonicalJson(record.metrics), canonicalJson(record.summary), record.resultDigest,
            numOrNull(record.start), numOrNull(record.end), numOrNull(record.steps),
          ],
        );
        await appendRows(conn, record.id, result);
      });
      return { id: record.id, status: existing.length > 0 ? 'replaced' : 'stored', path } as const;
    },
    opts,
  );
}

type Appender = Awaited<ReturnType<DuckDBConnection['createAppender']>>;

function dbl(a: Appender, v: number | null): void {
  if (v === null) a.appendNull();
  else a.appendDouble(v);
}
function str(a: Appender, v: string | null): void {
  if (v === null) a.appendNull();
  else a.appendVarchar(v);
}

async function appendRows(conn: DuckDBConnection, id: string, r: BacktestResult): Promise<void> {
  const eq = await conn.createAppender('equity');
  for (let i = 0; i < r.ts.length; i++) {
    eq.appendVarchar(id);
    eq.appendInteger(i);
    eq.appendDouble(r.ts[i]!);
    eq.appendDouble(r.nav[i]!);
    eq.appendDouble(r.cash[i]!);
    eq.appendDouble(r.gross[i]!);
    eq.appendDouble(r.net[i]!);
    eq.appendDouble(r.drawdown[i]!);
    eq.appendVarchar(RISK_MODES[r.mode[i]!]!);
    eq.appendInteger(r.breachCount[i]!);
    eq.endRow();
  }
  eq.closeSync();
  const or = await conn.createAppender('orders');
  for (const o of r.orders) {
    or.appendVarchar(id);
    or.appendInteger(o.id);
    or.appendVarchar(o.symbol);
    or.appendDouble(o.qty);
    or.appendVarchar(o.type);
    dbl(or, o.price);
    or.appendDouble(o.placedAt);
    str(or, o.model);
    or.appendVarchar(o.reason);
    or.appendVarchar(o.status);
    dbl(or, o.closedAt);
    or.endRow();
  }
  or.closeSync();
  const fi = await conn.createAppender('fills');
  for (const f of r.fills) {
    fi.appendVarchar(id);
    fi.appendInteger(f.orderId);
    fi.appendVarchar(f.symbol);
    fi.appendDouble(f.ts);
    fi.appendDouble(f.qty);
    fi.appendDouble(f.refPrice);
    fi.appendDouble(f.price);
    fi.appendDouble(f.notional);
    fi.appendDouble(f.fee);
    fi.appendDouble(f.slippage);
    fi.appendDouble(f.impact);
    fi.appendVarchar(f.liquidity);
    fi.appendBoolean(f.gap);
    fi.appendVarchar(f.type);
    fi.appendVarchar(f.reason);
    fi.endRow();
  }
  fi.closeSync();
  const tr = await conn.createAppender('trades');
  for (const t of r.trades) {
    tr.appendVarchar(id);
    tr.appendVarchar(t.symbol);
    tr.appendVarchar(t.side);
    tr.appendDouble(t.entryTs);
    dbl(tr, t.exitTs);
    tr.appendDouble(t.maxQty);
    tr.appendDouble(t.entryPrice);
    dbl(tr, t.exitPrice);
    tr.appendDouble(t.pnl);
    tr.appendDouble(t.fees);
    tr.appendDouble(t.funding);
    tr.endRow();
  }
  tr.closeSync();
  const br = await conn.createAppender('breaches');
  for (const b of r.breaches) {
    br.appendVarchar(id);
    br.appendInteger(b.step);
    br.appendDouble(b.ts);
    br.appendVarchar(b.kind);
    str(br, b.subject);
    str(br, b.model);
    br.appendDouble(b.value);
    br.appendDouble(b.limit);
    br.appendVarchar(b.action);
    br.endRow();
  }
  br.closeSync();
}
