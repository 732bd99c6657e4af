/**
 * What the network sources need from the lake, kept narrow: how much of a (source, symbol,
 * interval) partition exists, append a complete segment, read the partition back. `LakeRawStore`
 * is the real one over the Parquet lake (src/data/lake: write-once, versioned raw files with a
 * manifest); `MemoryRawStore` serves engine tests.
 *
 * Network partitions grow by segments: each download appends one new raw version holding only the
 * rows the lake lacked (manifest entries carry `meta.segment = true`), so a partition's content is
 * all of its versions together — read with version 'all', as `read` below does.
 */
import type { Column, ColumnTable } from '../../core/table.js';
import { readManifest, readRaw, rawPartitionDir, writeRaw, type RawPartition } from '../lake/index.js';
import { concatTables, sortDedupe } from './columns.js';

export type RawKey = RawPartition;

export interface Coverage {
  /** First and last row timestamp held (epoch ms). */
  readonly from: number;
  readonly to: number;
  readonly rows: number;
  readonly segments: number;
  /**
   * Earliest start ever asked for and fully downloaded (`meta.requested_from` of the segments):
   * the source had nothing between it and `from`, so a later request need not ask again.
   */
  readonly requestedFrom?: number;
}

export interface AppendInfo {
  /** Where the rows came from, e.g. 'binanceusdm /fapi/v1/klines'. */
  readonly origin: string;
  readonly meta: Readonly<Record<string, unknown>>;
}

export interface RawStore {
  coverage(key: RawKey): Promise<Coverage | undefined>;
  /** Store one complete segment atomically (all of it or nothing). */
  append(key: RawKey, table: ColumnTable, info: AppendInfo): Promise<void>;
  /** All rows of the partition sorted by ts (a repeated ts keeps the latest segment's row), or undefined. */
  read(key: RawKey): Promise<ColumnTable | undefined>;
  /** Human-readable location of a partition, for messages. */
  where(key: RawKey): string;
}

export class LakeRawStore implements RawStore {
  constructor(private readonly lake: string) {}

  async coverage(key: RawKey): Promise<Coverage | undefined> {
    const m = readManifest(rawPartitionDir(this.lake, key), { ...key });
    let from = Infinity;
    let to = -Infinity;
    let rows = 0;
    let requestedFrom = Infinity;
    for (const e of m.entries) {
      if (e.rows === 0 || e.tsMin === null || e.tsMax === null) continue;
      from = Math.min(from, e.tsMin);
      to = Math.max(to, e.tsMax);
      rows += e.rows;
      const asked = e.meta?.['requested_from'];
      if (typeof asked === 'number') requestedFrom = Math.min(requestedFrom, asked);
    }
    if (!Number.isFinite(from)) return undefined;
    return { from, to, rows, segments: m.entries.length, ...(Number.isFinite(requestedFrom) ? { requestedFrom } : {}) };
  }

  async append(key: RawKey, table: ColumnTable, info: AppendInfo): Promise<void> {
    await writeRaw(this.lake, key, table, { origin: info.origin, meta: { segment: true, ...info.meta } });
  }

  async read(key: RawKey): Promise<ColumnTable | undefined> {
    const m = readManifest(rawPartitionDir(this.lake, key), { ...key });
    if (m.entries.length === 0) return undefined;
    const { table } = await readRaw(this.lake, key, 'all');
    return sortDedupe(withoutPartitionColumns(table));
  }

  where(key: RawKey): string {
    return rawPartitionDir(this.lake, key);
  }
}

/**
 * DuckDB's read_parquet detects hive partitioning from the lake's `key=value` folders and adds
 * `source`, `symbol` and `interval` as text columns; they repeat the partition key, so drop them.
 */
function withoutPartitionColumns(t: ColumnTable): ColumnTable {
  const columns: Record<string, Column> = {};
  for (const [name, col] of Object.entries(t.columns)) {
    if ((name === 'source' || name === 'symbol' || name === 'interval') && !(col instanceof Float64Array)) continue;
    columns[name] = col;
  }
  return { length: t.length, columns };
}

/** In-memory store with the same contract (tests of the engine without DuckDB). */
export class MemoryRawStore implements RawStore {
  readonly segments = new Map<string, { table: ColumnTable; info: AppendInfo }[]>();

  private id(key: RawKey): string {
    return `${key.source}/${key.symbol}/${key.interval}`;
  }

  async coverage(key: RawKey): Promise<Coverage | undefined> {
    const segs = this.segments.get(this.id(key)) ?? [];
    let from = Infinity;
    let to = -Infinity;
    let rows = 0;
    let requestedFrom = Infinity;
    for (const s of segs) {
      const ts = s.table.columns['ts'] as Float64Array;
      if (s.table.length === 0) continue;
      from = Math.min(from, ts[0]!);
      to = Math.max(to, ts[ts.length - 1]!);
      rows += s.table.length;
      const asked = s.info.meta['requested_from'];
      if (typeof asked === 'number') requestedFrom = Math.min(requestedFrom, asked);
    }
    if (!Number.isFinite(from)) return undefined;
    return { from, to, rows, segments: segs.length, ...(Number.isFinite(requestedFrom) ? { requestedFrom } : {}) };
  }

  async append(key: RawKey, table: ColumnTable, info: AppendInfo): Promise<void> {
    const list = this.segments.get(this.id(key)) ?? [];
    list.push({ table, info });
    this.segments.set(this.id(key), list);
  }

  async read(key: RawKey): Promise<ColumnTable | undefined> {
    const segs = this.segments.get(this.id(key));
    if (!segs || segs.length === 0) return undefined;
    const names = Object.keys(segs[0]!.table.columns);
    return sortDedupe(concatTables(names, segs.map((s) => s.table)));
  }

  where(key: RawKey): string {
    return `memory:${this.id(key)}`;
  }
}
