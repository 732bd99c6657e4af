/**
 * File lines of raw rows, for quarantine messages ("file.csv:42"). Row r of a CSV read is the r-th
 * line after the header that is neither blank (DuckDB skips those) nor rejected by the reader.
 * Found by one streaming byte scan that stops once every wanted row is located; only clean's error
 * path uses it.
 */
import { openSync, readSync, closeSync } from 'node:fs';
import type { LineInfo } from '../files/read-file.js';

export function resolveLines(info: LineInfo | undefined, rows: readonly number[]): Map<number, number> {
  const out = new Map<number, number>();
  if (!info || rows.length === 0) return out;
  if (info.kind === 'row') {
    for (const r of rows) out.set(r, r + 1);
    return out;
  }
  const wanted = new Set(rows.filter((r) => r >= 0));
  const rejected = new Set(info.rejected);
  // A loop, not Math.max(...wanted): spreading 200k arguments overflows the stack.
  let maxWanted = -1;
  for (const r of wanted) if (r > maxWanted) maxWanted = r;
  let fd: number;
  try {
    fd = openSync(info.path, 'r');
  } catch {
    return out; // the file moved: messages fall back to row numbers
  }
  try {
    const buf = Buffer.alloc(1 << 20);
    let line = 1;
    let blank = true;
    let row = 0;
    let n: number;
    let pos = 0;
    const endLine = (): boolean => {
      if (line > info.skip && !blank && !rejected.has(line)) {
        if (wanted.has(row)) out.set(row, line);
        row++;
      }
      line++;
      blank = true;
      return row > maxWanted;
    };
    outer: while ((n = readSync(fd, buf, 0, buf.length, pos)) > 0) {
      pos += n;
      for (let i = 0; i < n; i++) {
        const b = buf[i]!;
        if (b === 10) {
          if (endLine()) break outer;
        } else if (b !== 13 && b !== 32 && b !== 9) blank = false;
      }
    }
    if (!blank && row <= maxWanted) endLine();
  } finally {
    closeSync(fd);
  }
  return out;
}
