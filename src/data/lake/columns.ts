/**
 * The bridge between DuckDB results and `ColumnTable`s.
 *
 * Reading: every numeric, boolean, date or timestamp column is cast to DOUBLE in SQL (timestamps as
 * epoch milliseconds), then each materialized chunk's DOUBLE vector is copied with one
 * `Float64Array.set` (a memcpy): no per-row JavaScript on the hot path. STACK.md measured walking a
 * materialized result's chunks synchronously at about 2x the speed of awaiting chunk by chunk.
 * SQL NULL becomes NaN. Text columns become string arrays (NULL → '').
 *
 * Writing: a `ColumnTable` is appended to a temporary DuckDB table chunk by chunk, Float64 columns
 * again by memcpy into the chunk's vectors, so `COPY … TO 'x.parquet'` can write it.
 */
import type { Result, Vector } from '@duckdb/node-bindings';
import type { DuckDBConnection, DuckDBDataChunk } from '@duckdb/node-api';
import { duckdbLoaded } from '../../core/duckdb-lazy.js';
import type { Column, ColumnTable } from '../../core/table.js';
import { sqlIdent } from './duck.js';
import { RELEASE_EVERY, releaseChunks } from './release-chunks.js';

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL.*|BOOLEAN)$/;
const TIMESTAMP = /^(TIMESTAMP.*|DATE)$/;

export interface DescribedColumn {
  readonly name: string;
  readonly type: string;
}

/** Column names and DuckDB types of a query, without running it to completion. */
export async function describeQuery(conn: DuckDBConnection, sql: string): Promise<DescribedColumn[]> {
  const reader = await conn.runAndReadAll(`DESCRIBE ${sql}`);
  return reader.getRowObjectsJS().map((r) => ({ name: String(r['column_name']), type: String(r['column_type']) }));
}

/** The projection that turns each column into DOUBLE (numbers, times as epoch ms) or VARCHAR. */
export function doubleOrTextProjection(cols: readonly DescribedColumn[]): string {
  return cols
    .map((c) => {
      const id = sqlIdent(c.name);
      if (c.type === 'DOUBLE' || c.type === 'VARCHAR') return id;
      if (NUMERIC.test(c.type)) return `CAST(${id} AS DOUBLE) AS ${id}`;
      if (TIMESTAMP.test(c.type)) return `CAST(epoch_ms(${id}) AS DOUBLE) AS ${id}`;
      return `CAST(${id} AS VARCHAR) AS ${id}`;
    })
    .join(', ');
}

/**
 * Run `sql` and return its result as a ColumnTable (see the file comment for the type rules).
 * Column order is the query's; duplicate names are refused by DuckDB's own binder first.
 */
export async function queryTable(conn: DuckDBConnection, sql: string): Promise<ColumnTable> {
  const described = await describeQuery(conn, sql);
  if (described.length === 0) return { length: 0, columns: {} };
  const result = await conn.run(`SELECT ${doubleOrTextProjection(described)} FROM (${sql})`);
  const { api, bindings: duckdb } = duckdbLoaded();
  const raw = (result as unknown as { result: Result }).result;
  const n = result.rowCount;
  const chunkCount = duckdb.result_chunk_count(raw);
  const isText = described.map((c) => !(c.type === 'DOUBLE' || NUMERIC.test(c.type) || TIMESTAMP.test(c.type)));
  const out: Column[] = described.map((_, j) => (isText[j] ? new Array<string>(n) : new Float64Array(n)));
  let offset = 0;
  for (let c = 0; c < chunkCount; c++) {
    const chunk = duckdb.result_get_chunk(raw, c);
    const rows = duckdb.data_chunk_get_size(chunk);
    let wrapped: DuckDBDataChunk | undefined;
    for (let j = 0; j < described.length; j++) {
      const target = out[j]!;
      if (target instanceof Float64Array) {
        copyDoubleVector(duckdb.data_chunk_get_vector(chunk, j), rows, target, offset);
      } else {
        wrapped ??= new api.DuckDBDataChunk(chunk);
        const values = wrapped.getColumnValues(j);
        for (let i = 0; i < rows; i++) target[offset + i] = values[i] == null ? '' : String(values[i]);
      }
    }
    offset += rows;
    if (c % RELEASE_EVERY === RELEASE_EVERY - 1 && chunkCount > 4 * RELEASE_EVERY) await releaseChunks();
  }
  const columns: Record<string, Column> = {};
  described.forEach((c, j) => (columns[c.name] = out[j]!));
  return { length: n, columns };
}

/** memcpy one DOUBLE vector into `target` at `offset`; rows whose validity bit is clear become NaN. */
function copyDoubleVector(vector: Vector, rows: number, target: Float64Array, offset: number): void {
  const duckdb = duckdbLoaded().bindings;
  const data = duckdb.vector_get_data(vector, rows * 8);
  target.set(new Float64Array(data.buffer, data.byteOffset, rows), offset);
  const validity = duckdb.vector_get_validity(vector, Math.ceil(rows / 64) * 8);
  if (!validity) return;
  // One byte covers 8 rows: skip all-valid bytes (the common case), test bits only where a NULL is.
  const bytes = Math.ceil(rows / 8);
  for (let b = 0; b < bytes; b++) {
    const v = validity[b]!;
    if (v === 0xff) continue;
    const end = Math.min(rows, (b + 1) * 8);
    for (let i = b * 8; i < end; i++) if ((v & (1 << (i & 7))) === 0) target[offset + i] = NaN;
  }
}

const CHUNK = 2048;

/**
 * Create temporary table `name` in `conn` holding `table` (Float64 columns as DOUBLE, text as VARCHAR),
 * in the table's column order.
 */
export async function loadTable(conn: DuckDBConnection, name: string, table: ColumnTable): Promise<void> {
  const entries = Object.entries(table.columns);
  const defs = entries.map(([k, c]) => `${sqlIdent(k)} ${c instanceof Float64Array ? 'DOUBLE' : 'VARCHAR'}`);
  await conn.run(`CREATE OR REPLACE TEMP TABLE ${sqlIdent(name)} (${defs.join(', ')})`);
  if (entries.length === 0 || table.length === 0) return;
  const { api, bindings: duckdb } = duckdbLoaded();
  const types = entries.map(([, c]) => (c instanceof Float64Array ? api.DOUBLE : api.VARCHAR));
  const appender = await conn.createAppender(name, 'main', 'temp');
  try {
    for (let start = 0; start < table.length; start += CHUNK) {
      const rows = Math.min(CHUNK, table.length - start);
      const chunk = api.DuckDBDataChunk.create(types, rows);
      for (let j = 0; j < entries.length; j++) {
        const col = entries[j]![1];
        if (col instanceof Float64Array) {
          const vector = duckdb.data_chunk_get_vector(chunk.chunk, j);
          duckdb.copy_data_to_vector(vector, 0, col.buffer as ArrayBuffer, col.byteOffset + start * 8, rows * 8);
        } else {
          chunk.setColumnValues(j, col.slice(start, start + rows));
        }
      }
      appender.appendDataChunk(chunk);
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}
