/** Rows DuckDB's CSV reader set aside (`store_rejects`), as file lines with a readable reason. */
import type { DuckDBConnection } from '@duckdb/node-api';
import { REJECTS_TABLE } from './source.js';

export interface RejectedRow {
  /** 1-based physical line in the file. */
  readonly line: number;
  readonly reason: string;
  /** The line's text (trimmed, at most 200 characters). */
  readonly text: string;
}

function reasonOf(type: string, column: string | null, message: string, expected: number): string {
  const found = /Found: (\d+)/.exec(message)?.[1];
  switch (type) {
    case 'CAST': {
      const value = /string "([^"]*)"/.exec(message)?.[1] ?? '';
      return `'${value}' in column ${column ?? '?'} is not a number`;
    }
    case 'MISSING COLUMNS':
      return `row has ${found ?? 'too few'} fields, expected ${expected}`;
    case 'TOO MANY COLUMNS':
      return `row has ${found ?? 'too many'} fields, expected ${expected}`;
    case 'UNQUOTED VALUE':
      return 'a quote character inside an unquoted field';
    case 'INVALID ENCODING':
      return 'the line is not valid UTF-8';
    case 'LINE SIZE OVER MAXIMUM':
      return 'the line is longer than 1 MiB';
    default:
      return message.split('\n')[0] || `malformed row (${type})`;
  }
}

export async function collectRejects(conn: DuckDBConnection, expectedFields: number): Promise<RejectedRow[]> {
  let rows: unknown[][];
  try {
    rows = (await conn.runAndReadAll(`SELECT line, error_type, column_name, csv_line, error_message FROM ${REJECTS_TABLE} ORDER BY line, column_idx`)).getRowsJS();
  } catch {
    return [];
  }
  const out: RejectedRow[] = [];
  let last = -1;
  for (const r of rows) {
    const line = Number(r[0]);
    if (line === last) continue; // one reason per line is enough
    last = line;
    const text = String(r[3] ?? '').trim().slice(0, 200);
    out.push({ line, reason: reasonOf(String(r[1]), r[2] == null ? null : String(r[2]), String(r[4] ?? ''), expectedFields), text });
  }
  return out;
}
