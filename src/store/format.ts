/** Small formatting helpers for run listings and diffs (shared by the `runs` commands). */
import type { MetricValue } from './record.js';

/** A metric as a table cell: numbers rounded to 6 significant digits, strings as they are. */
export function metricCell(v: MetricValue | undefined): string | number | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? Number(v.toPrecision(6)) : String(v);
  return v;
}

/** Keep at most `max` points of a series (every k-th, always the last) for a chart block. */
export function thin(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const k = Math.ceil(n / max);
  const idx: number[] = [];
  for (let i = 0; i < n; i += k) idx.push(i);
  if (idx[idx.length - 1] !== n - 1) idx.push(n - 1);
  return idx;
}
