/**
 * Independent readings of the real files in ../shared/data for the must-show-1 tests: timestamps
 * parsed by hand from the text (or straight from Arrow / JSON / DuckDB), and bucket, gap and range
 * counts computed with plain loops and Sets — deliberately not with the engine's code.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tableFromIPC, compressionRegistry, CompressionType } from 'apache-arrow';
import * as lz4 from 'lz4js';
import { DuckDBInstance } from '@duckdb/node-api';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** Data lines of a text file (header dropped, blank lines skipped), split on commas. */
export function csvRows(path: string, header = true): string[][] {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  return (header ? lines.slice(1) : lines).map((l) => l.split(','));
}

/** 'YYYY-MM-DD' + optional 'HH:MM[:SS[.fff]]' → epoch ms, by hand. */
export function ymd(date: string, time = '00:00:00'): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm, ss = '0'] = time.split(':') as [string, string, string?];
  const sec = Number(ss);
  return Date.UTC(y, m - 1, d, Number(hh), Number(mm), Math.floor(sec), Math.round((sec - Math.floor(sec)) * 1000));
}

let registered = false;
export function featherTimes(path: string): number[] {
  if (!registered) {
    compressionRegistry.set(CompressionType.LZ4_FRAME, { encode: (d: Uint8Array) => Uint8Array.from(lz4.compress(d)), decode: (d: Uint8Array) => Uint8Array.from(lz4.decompress(d)) });
    registered = true;
  }
  const t = tableFromIPC(readFileSync(path));
  const col = t.getChild('date')!;
  const out: number[] = [];
  for (let i = 0; i < col.length; i++) out.push(Number(col.get(i)));
  return out;
}

export function jsonTimes(path: string): number[] {
  const buf = readFileSync(path);
  const text = (path.endsWith('.gz') ? gunzipSync(buf) : buf).toString('utf8');
  return (JSON.parse(text) as unknown[][]).map((r) => Number(r[0]));
}

export async function parquetTimes(path: string, column: string): Promise<number[]> {
  const inst = await DuckDBInstance.create(':memory:');
  const conn = await inst.connect();
  try {
    const r = await conn.runAndReadAll(`SELECT CAST("${column}" AS DOUBLE) FROM read_parquet('${path}')`);
    return r.getRowsJS().map((row) => Number(row[0]));
  } finally {
    conn.closeSync();
  }
}

/** Sorted distinct values. */
export const distinct = (xs: readonly number[]): number[] => [...new Set(xs)].sort((a, b) => a - b);

/** Distinct buckets of a fixed step (epoch aligned, or weeks from Monday 1970-01-05). */
export const fixedBuckets = (ts: readonly number[], step: number, anchor = 0): number[] =>
  distinct(ts.map((t) => Math.floor((t - anchor) / step) * step + anchor));

export const monthBuckets = (ts: readonly number[]): number[] =>
  distinct(ts.map((t) => {
    const d = new Date(t);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  }));

/** Gaps between consecutive buckets on a fixed step: runs and the longest run of missing buckets. */
export function fixedGaps(buckets: readonly number[], step: number): { gaps: number; longest: number } {
  let gaps = 0;
  let longest = 0;
  for (let i = 1; i < buckets.length; i++) {
    // irregular stamps (an odd-hour settlement) count to the nearest step
    const missing = Math.round((buckets[i]! - buckets[i - 1]!) / step) - 1;
    if (missing > 0) {
      gaps++;
      longest = Math.max(longest, missing);
    }
  }
  return { gaps, longest };
}

/** Daily bars on weekdays: a run of more than `holiday` missing weekdays is a gap. Walks day by day. */
export function weekdayGaps(days: readonly number[], holiday = 3): { gaps: number; longest: number } {
  let gaps = 0;
  let longest = 0;
  for (let i = 1; i < days.length; i++) {
    let missing = 0;
    for (let d = days[i - 1]! + DAY; d < days[i]!; d += DAY) {
      const w = new Date(d).getUTCDay();
      if (w !== 0 && w !== 6) missing++;
    }
    if (missing > holiday) {
      gaps++;
      longest = Math.max(longest, missing);
    }
  }
  return { gaps, longest };
}

/** Session buckets: each day's grid starts at the most common first-bar time of day. */
export function sessionBuckets(ts: readonly number[], step: number): { buckets: number[]; open: number } {
  const firstOfDay = new Map<number, number>();
  for (const t of ts) {
    const d = Math.floor(t / DAY) * DAY;
    if (!firstOfDay.has(d) || t < firstOfDay.get(d)!) firstOfDay.set(d, t);
  }
  const counts = new Map<number, number>();
  for (const [d, t] of firstOfDay) counts.set(t - d, (counts.get(t - d) ?? 0) + 1);
  const open = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]![0];
  return { buckets: distinct(ts.map((t) => {
    const d = Math.floor(t / DAY) * DAY;
    return d + open + Math.floor((t - d - open) / step) * step;
  })), open };
}

export { MIN, HOUR, DAY };
