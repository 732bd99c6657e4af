/** Number and cell formatting shared by the text renderer and the TUI. */
import type { Cell, Metric } from '../core/result.js';

export function formatNumber(v: number, digits?: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '∞';
  if (v === -Infinity) return '-∞';
  if (digits !== undefined) return v.toFixed(digits);
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1e6) return v.toFixed(0);
  if (a >= 100) return v.toFixed(2);
  if (a >= 1) return v.toFixed(4).replace(/\.?0+$/, '');
  if (a === 0) return '0';
  return v.toPrecision(4).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}

export function formatCell(c: Cell): string {
  if (c === null) return '';
  if (typeof c === 'number') return formatNumber(c);
  if (typeof c === 'boolean') return c ? '✓' : '✗';
  return c;
}

export function formatMetric(m: Metric): string {
  const v = m.value;
  if (v === null) return '–';
  if (typeof v === 'string') return v;
  switch (m.unit) {
    case '%':
      return Number.isFinite(v) ? `${(v * 100).toFixed(m.digits ?? 2)}%` : formatNumber(v);
    case 'x':
      return `${formatNumber(v, m.digits ?? 2)}×`;
    case 'bps':
      return `${formatNumber(v, m.digits ?? 1)} bps`;
    case 'ms':
      return `${formatNumber(v, m.digits ?? 1)} ms`;
    case undefined:
    case 'count':
      return formatNumber(v, m.digits);
    default:
      return `${formatNumber(v, m.digits)} ${m.unit}`;
  }
}

/** Display width: counts characters, treating common wide glyphs as 1 (box drawing, ✓ ✗ ·). */
export const displayWidth = (s: string): number => [...s].length;

export function padEnd(s: string, w: number): string {
  const d = displayWidth(s);
  return d >= w ? s : s + ' '.repeat(w - d);
}
export function padStart(s: string, w: number): string {
  const d = displayWidth(s);
  return d >= w ? s : ' '.repeat(w - d) + s;
}

/** Lay out a table as aligned text lines (numbers right-aligned). Cells longer than maxCell are cut with …. */
export function layoutTable(columns: readonly string[], rows: readonly (readonly Cell[])[], maxCell = 40, maxLast = 90): string[] {
  const cut = (s: string, w: number): string => (displayWidth(s) > w ? `${[...s].slice(0, w - 1).join('')}…` : s);
  const last = columns.length - 1;
  const cells = rows.map((r) => columns.map((_, i) => cut(formatCell(r[i] ?? null), i === last ? maxLast : maxCell)));
  const widths = columns.map((c, i) => Math.max(displayWidth(c), ...cells.map((r) => displayWidth(r[i]!))));
  const numeric = columns.map((_, i) => rows.length > 0 && rows.every((r) => r[i] === null || typeof r[i] === 'number'));
  const line = (vals: readonly string[]): string =>
    vals.map((v, i) => (numeric[i] ? padStart(v, widths[i]!) : padEnd(v, widths[i]!))).join('  ').trimEnd();
  return [line(columns), line(widths.map((w) => '─'.repeat(w))), ...cells.map(line)];
}
