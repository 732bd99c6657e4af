/**
 * Columnar data. Numeric columns are Float64Array (timestamps as epoch ms UTC, exact up to 2^53);
 * text columns are string arrays. A `BarFrame` is one symbol at one interval with the OHLCV columns
 * present; a `Dataset` is a named table in the session with its provenance and readiness gate.
 */
import { createHash } from 'node:crypto';
import type { Interval } from './time.js';
import type { Gate } from './result.js';

export type Column = Float64Array | string[];

export interface ColumnTable {
  readonly length: number;
  readonly columns: Readonly<Record<string, Column>>;
}

export interface BarColumns {
  readonly ts: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
}

export interface BarFrame extends ColumnTable {
  readonly columns: Readonly<BarColumns & Record<string, Column>>;
}

export type AssetClass = 'crypto_perp' | 'crypto_spot' | 'equity' | 'etf' | 'index' | 'fx' | 'macro' | 'other';

export type DatasetKind = 'bars' | 'funding' | 'series' | 'trades' | 'features' | 'table';

export type DatasetStage = 'raw' | 'clean' | 'derived';

export interface ReadinessGate {
  readonly pass: boolean;
  readonly gates: readonly Gate[];
  /** Extra facts shown beside the gates (coverage, funding mode, quarantined rows by reason...). */
  readonly facts: Readonly<Record<string, string | number>>;
}

export interface Dataset {
  /** Session-unique name, e.g. 'BTCUSDT:15m', 'SPY:1d', 'MACRO:pmi', 'raw:BTCUSDT:15m'. */
  readonly name: string;
  readonly kind: DatasetKind;
  readonly stage: DatasetStage;
  readonly symbol?: string;
  readonly interval?: Interval;
  readonly assetClass?: AssetClass;
  /** Where it came from: 'synthetic', 'file:<path>', 'binanceusdm', ... */
  readonly source: string;
  readonly table: ColumnTable;
  /** sha256 of the table's content (see tableDigest). */
  readonly digest: string;
  readonly gate?: ReadinessGate;
  readonly meta?: Readonly<Record<string, unknown>>;
}

export function isBarFrame(t: ColumnTable): t is BarFrame {
  const c = t.columns;
  return ['ts', 'open', 'high', 'low', 'close', 'volume'].every((k) => c[k] instanceof Float64Array);
}

/**
 * A float column with every -0 written as 0 and every NaN as the one NaN JavaScript makes, or the
 * column itself when it holds neither. Equal values must digest alike: DuckDB's Parquet dictionary
 * encoding stores -0 as 0 when a column also holds 0, so a dataset read back from the lake would
 * otherwise get another digest than at ingest.
 */
function canonicalFloats(col: Float64Array): Float64Array {
  const bits = new Uint32Array(col.buffer, col.byteOffset, col.length * 2);
  const canonicalNaNHigh = new Uint32Array(Float64Array.of(NaN).buffer)[1]!;
  let copy: Float64Array | undefined;
  for (let i = 0; i < col.length; i++) {
    const v = col[i]!;
    const oddZero = v === 0 && bits[2 * i + 1] !== 0;
    const oddNaN = v !== v && (bits[2 * i + 1] !== canonicalNaNHigh || bits[2 * i] !== 0);
    if (oddZero || oddNaN) {
      copy ??= col.slice();
      copy[i] = oddZero ? 0 : NaN;
    }
  }
  return copy ?? col;
}

/** Content digest: column names in sorted order, then each column's bytes (-0 as 0, one NaN) or its strings. */
export function tableDigest(t: ColumnTable): string {
  const h = createHash('sha256');
  const names = Object.keys(t.columns).sort();
  h.update(`rows=${t.length};`);
  for (const name of names) {
    const col = t.columns[name]!;
    h.update(`col=${name};`);
    if (col instanceof Float64Array) {
      const canonical = canonicalFloats(col);
      h.update(new Uint8Array(canonical.buffer, canonical.byteOffset, canonical.byteLength));
    } else {
      for (const s of col) h.update(`${s}\u0000`);
    }
  }
  return h.digest('hex');
}

/** Slice rows [start, end) of every column (copies). */
export function sliceTable<T extends ColumnTable>(t: T, start: number, end: number): T {
  const columns: Record<string, Column> = {};
  for (const [k, c] of Object.entries(t.columns)) columns[k] = c.slice(start, end);
  return { length: Math.max(0, Math.min(end, t.length) - start), columns } as unknown as T;
}
