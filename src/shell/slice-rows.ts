import type { Column, ColumnTable } from '../core/table.js';

/** A new table holding only the given row indices, in order. */
export function sliceRows(t: ColumnTable, rows: readonly number[]): ColumnTable {
  const columns: Record<string, Column> = {};
  for (const [k, c] of Object.entries(t.columns)) {
    if (c instanceof Float64Array) {
      const out = new Float64Array(rows.length);
      for (let j = 0; j < rows.length; j++) out[j] = c[rows[j]!]!;
      columns[k] = out;
    } else columns[k] = rows.map((i) => c[i]!);
  }
  return { length: rows.length, columns };
}
