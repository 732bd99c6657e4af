/**
 * DuckDB connections for the data room. DuckDB lets only one process open a database file, so the
 * lake never holds a `.duckdb` file open: every operation takes a short-lived connection to one
 * process-wide in-memory instance and reads or writes Parquet / CSV / JSON files through SQL
 * (`read_csv`, `read_parquet`, `COPY … TO`). Temporary tables live in that connection only.
 */
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { duckdb } from '../../core/duckdb-lazy.js';

let instance: Promise<DuckDBInstance> | undefined;

function sharedInstance(): Promise<DuckDBInstance> {
  instance ??= duckdb().then(({ api }) => api.DuckDBInstance.create(':memory:'));
  return instance;
}

/** Run `fn` with a fresh connection to the in-memory instance; the connection is closed afterwards. */
export async function withDuck<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
  const conn = await (await sharedInstance()).connect();
  try {
    return await fn(conn);
  } finally {
    conn.closeSync();
  }
}

/** A SQL string literal: 'it''s'. */
export const sqlString = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/** A quoted SQL identifier: "Adj Close". */
export const sqlIdent = (s: string): string => `"${s.replace(/"/g, '""')}"`;

/** First line of a DuckDB error, without the "Invalid Input Error:" style prefix. */
export function duckMessage(err: unknown): string {
  const m = err instanceof Error ? err.message : String(err);
  return m.split('\n')[0]!.replace(/^[A-Za-z ]+Error: /, '').trim();
}
