/**
 * CSV export of a ColumnTable: header row, then one line per row; time columns as ISO 8601 UTC,
 * numbers in shortest round-trip form (NaN as empty), text quoted when it needs to be (RFC 4180).
 */
import { openSync, writeSync, closeSync, renameSync, rmSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ColumnTable } from '../core/table.js';
import { isoUtc } from '../core/time.js';
import { isTimeColumn } from './table-view.js';

const quote = (s: string): string => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export function csvLine(t: ColumnTable, names: readonly string[], i: number): string {
  return names
    .map((n) => {
      const v = t.columns[n]![i];
      if (typeof v === 'number') return Number.isNaN(v) ? '' : isTimeColumn(n) ? isoUtc(v) : String(v);
      return quote(v ?? '');
    })
    .join(',');
}

/** Write atomically (temp file + rename) so a failed export never leaves half a file. */
export function writeCsv(t: ColumnTable, path: string, rows?: readonly number[]): number {
  mkdirSync(dirname(path), { recursive: true });
  const names = Object.keys(t.columns);
  const tmp = `${path}.partial`;
  const fd = openSync(tmp, 'w');
  let n = 0;
  try {
    let buf = `${names.map(quote).join(',')}\n`;
    const idx = rows ?? Array.from({ length: t.length }, (_, i) => i);
    for (const i of idx) {
      buf += `${csvLine(t, names, i)}\n`;
      n++;
      if (buf.length > 1 << 20) {
        writeSync(fd, buf);
        buf = '';
      }
    }
    writeSync(fd, buf);
    closeSync(fd);
    renameSync(tmp, path);
  } catch (err) {
    try {
      closeSync(fd);
    } catch {
      /* already closed */
    }
    rmSync(tmp, { force: true });
    throw err;
  }
  return n;
}
