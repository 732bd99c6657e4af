/**
 * Parquet files through DuckDB. `writeParquet` stores Float64 columns as DOUBLE (timestamps stay
 * epoch milliseconds, NaN stays NaN) and text columns as VARCHAR, compressed with zstd, rows in table
 * order; `readParquet` returns a ColumnTable with the rules of `queryTable` (numbers and times as
 * Float64Array, times as epoch ms; text as string[]). A round trip is exact, except that DuckDB's
 * dictionary encoding (used when a column repeats values) merges values that compare equal: -0
 * becomes 0 in a column that also holds 0. `{ plain: true }` turns dictionaries off (a 1-byte limit,
 * so every column chunk falls back to plain encoding) and keeps every bit; data snapshots use it.
 */
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ColumnTable } from '../../core/table.js';
import { UserError } from '../../core/errors.js';
import { withDuck, sqlString, duckMessage, sqlIdent } from './duck.js';
import { loadTable, queryTable } from './columns.js';

/**
 * Write `table` to `path` (parent folders are created). The file appears atomically: it is written
 * beside the target and renamed, so a reader never sees half a file.
 */
export async function writeParquet(table: ColumnTable, path: string, options: { readonly plain?: boolean } = {}): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.partial`;
  await withDuck(async (conn) => {
    await loadTable(conn, 'edgelab_out', table);
    await conn.run(`COPY ${sqlIdent('edgelab_out')} TO ${sqlString(tmp)} (FORMAT parquet, COMPRESSION zstd${options.plain ? ', DICTIONARY_SIZE_LIMIT 1' : ''})`);
  });
  try {
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** Read a Parquet file (or a glob DuckDB accepts) into a ColumnTable. */
export async function readParquet(path: string): Promise<ColumnTable> {
  return withDuck(async (conn) => {
    try {
      return await queryTable(conn, `SELECT * FROM read_parquet(${sqlString(path)})`);
    } catch (err) {
      throw new UserError(`cannot read as Parquet: ${duckMessage(err)}`, path);
    }
  });
}
