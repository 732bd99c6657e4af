/** Turning session datasets into display rows for `datasets`, `show` and `export`. */
import type { Cell } from '../core/result.js';
import type { ColumnTable, Dataset } from '../core/table.js';
import { isoUtc, shortUtc } from '../core/time.js';
import { UserError } from '../core/errors.js';
import type { Session } from './session.js';

const TIME_COLUMNS = new Set(['ts', 'close_ts', 'time', 'timestamp', 'funding_ts', 'date']);

/** Is this column a time column (epoch ms)? */
export const isTimeColumn = (name: string): boolean => TIME_COLUMNS.has(name) || name.endsWith('_ts');

export function timeRange(t: ColumnTable): { from: number; to: number } | undefined {
  const ts = t.columns['ts'];
  if (!(ts instanceof Float64Array) || ts.length === 0) return undefined;
  return { from: ts[0]!, to: ts[ts.length - 1]! };
}

export interface RowFilter {
  readonly symbol?: string;
  readonly from?: number;
  readonly to?: number;
}

/** Row indices of `t` to show: head, tail, or a time window, optionally one symbol (when there is a symbol column). */
export function selectRows(t: ColumnTable, opts: RowFilter & { rows: number; tail?: boolean }): number[] {
  const idx = matchingRows(t, opts);
  return opts.tail ? idx.slice(-opts.rows) : idx.slice(0, opts.rows);
}

/** Every row index of `t` inside the time window (inclusive) and of the symbol, in order. */
export function matchingRows(t: ColumnTable, opts: RowFilter): number[] {
  const idx: number[] = [];
  const sym = t.columns['symbol'];
  const ts = t.columns['ts'];
  for (let i = 0; i < t.length; i++) {
    if (opts.symbol !== undefined && Array.isArray(sym) && sym[i] !== opts.symbol) continue;
    if (ts instanceof Float64Array) {
      if (opts.from !== undefined && ts[i]! < opts.from) continue;
      if (opts.to !== undefined && ts[i]! > opts.to) continue;
    }
    idx.push(i);
  }
  return idx;
}

export function rowCells(t: ColumnTable, columns: readonly string[], i: number, dateOnly: boolean): Cell[] {
  return columns.map((c) => {
    const col = t.columns[c]!;
    const v = col[i];
    if (typeof v === 'number' && isTimeColumn(c)) return Number.isFinite(v) ? shortUtc(v, dateOnly) : null;
    if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : v;
    return v ?? null;
  });
}

/** True when every timestamp is at 00:00 UTC (show dates only). */
export function allMidnight(t: ColumnTable): boolean {
  const ts = t.columns['ts'];
  if (!(ts instanceof Float64Array)) return false;
  for (let i = 0; i < ts.length; i++) if (ts[i]! % 86_400_000 !== 0) return false;
  return true;
}

/**
 * Resolve `show`/`export`'s TABLE argument: a dataset name, or with --symbol a table kind for that
 * symbol ('15m', '1d', 'funding' → 'BTCUSDT:funding').
 */
export function resolveTable(session: Session, name: string, symbol?: string): Dataset {
  if (session.datasets.has(name)) return session.datasets.get(name)!;
  if (symbol !== undefined) {
    const candidate = `${symbol}:${name}`;
    if (session.datasets.has(candidate)) return session.datasets.get(candidate)!;
    const raw = `raw:${symbol}:${name}`;
    if (session.datasets.has(raw)) return session.datasets.get(raw)!;
    if (!session.symbols().includes(symbol)) {
      throw new UserError(`unknown symbol '${symbol}' (loaded: ${session.symbols().join(', ') || 'none'})`, '--symbol');
    }
  }
  return session.dataset(name);
}

export const describeRange = (t: ColumnTable): string => {
  const r = timeRange(t);
  return r ? `${isoUtc(r.from)} .. ${isoUtc(r.to)}` : 'no time column';
};
