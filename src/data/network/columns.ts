/**
 * Building and joining numeric ColumnTables from API rows. Every network table is numeric:
 * `ts` (epoch ms UTC) first, then the source's value columns; missing values are NaN.
 */
import { InvariantError } from '../../core/errors.js';
import type { Column, ColumnTable } from '../../core/table.js';
import type { FetchStats, PageSink } from './types.js';

/** Columns of each raw table kind. */
export const OHLCV_COLUMNS = ['ts', 'open', 'high', 'low', 'close', 'volume'] as const;
/** Binance klines keep the taker-buy base volume (kline field 9) for order-flow signals. */
export const BINANCE_KLINE_COLUMNS = [...OHLCV_COLUMNS, 'taker_buy_volume'] as const;
export const FUNDING_COLUMNS = ['ts', 'rate'] as const;
export const OI_COLUMNS = ['ts', 'open_interest', 'open_interest_value'] as const;

/** Accumulates rows column by column; `build` copies into Float64Arrays once. */
export class ColumnBuilder {
  private readonly cols: number[][];
  constructor(readonly names: readonly string[]) {
    this.cols = names.map(() => []);
  }

  get length(): number {
    return this.cols[0]!.length;
  }

  /** Append one row; `values` follow `names`. Non-finite and missing values become NaN. */
  push(values: readonly (number | null | undefined)[]): void {
    for (let j = 0; j < this.cols.length; j++) {
      const v = values[j];
      this.cols[j]!.push(typeof v === 'number' && Number.isFinite(v) ? v : Number.NaN);
    }
  }

  build(): ColumnTable {
    const columns: Record<string, Float64Array> = {};
    for (let j = 0; j < this.names.length; j++) columns[this.names[j]!] = Float64Array.from(this.cols[j]!);
    return { length: this.length, columns };
  }
}

/** Hand a page that holds rows to `sink`, counting it in `stats.pages`; returns it, or null when empty. */
export async function emitPage(page: ColumnBuilder, stats: FetchStats, sink: PageSink): Promise<ColumnTable | null> {
  if (page.length === 0) return null;
  stats.pages++;
  const table = page.build();
  await sink(table);
  return table;
}

/** Number from an API value that may be a numeric string ('0.0001'), a number, null or '.' (FRED). */
export function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && v !== '.') return Number(v);
  return Number.NaN;
}

/** Concatenate tables with the same numeric columns, in the given order. */
export function concatTables(names: readonly string[], tables: readonly ColumnTable[]): ColumnTable {
  let n = 0;
  for (const t of tables) n += t.length;
  const columns: Record<string, Float64Array> = {};
  for (const name of names) {
    const out = new Float64Array(n);
    let at = 0;
    for (const t of tables) {
      const c = t.columns[name];
      if (!(c instanceof Float64Array)) throw new InvariantError(`concatTables: column '${name}' missing or not numeric`);
      out.set(c, at);
      at += c.length;
    }
    columns[name] = out;
  }
  return { length: n, columns };
}

/** Check `ts` is strictly increasing (pages must arrive in order without overlap). */
export function assertIncreasing(t: ColumnTable, what: string): void {
  const ts = t.columns['ts'];
  if (!(ts instanceof Float64Array)) throw new InvariantError(`${what}: no numeric ts column`);
  for (let i = 1; i < ts.length; i++) {
    if (!(ts[i]! > ts[i - 1]!)) {
      throw new InvariantError(`${what}: timestamps not strictly increasing at row ${i} (${ts[i - 1]} then ${ts[i]})`);
    }
  }
}

/**
 * Rows sorted by `ts`; when a `ts` repeats, the row that comes last in the input wins (later lake
 * segments supersede earlier ones). Returns the input itself when it is already strictly increasing.
 */
export function sortDedupe(t: ColumnTable): ColumnTable {
  const ts = t.columns['ts'];
  if (!(ts instanceof Float64Array)) throw new InvariantError('sortDedupe: no numeric ts column');
  let sorted = true;
  for (let i = 1; i < ts.length && sorted; i++) sorted = ts[i]! > ts[i - 1]!;
  if (sorted) return t;
  const order = Array.from({ length: t.length }, (_, i) => i).sort((a, b) => ts[a]! - ts[b]! || a - b);
  const keep: number[] = [];
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    const next = order[k + 1];
    if (next !== undefined && ts[next] === ts[i]) continue; // a later row with the same ts follows
    keep.push(i);
  }
  const columns: Record<string, Column> = {};
  for (const [name, col] of Object.entries(t.columns)) {
    if (col instanceof Float64Array) {
      const out = new Float64Array(keep.length);
      for (let k = 0; k < keep.length; k++) out[k] = col[keep[k]!]!;
      columns[name] = out;
    } else {
      columns[name] = keep.map((i) => col[i]!);
    }
  }
  return { length: keep.length, columns };
}
