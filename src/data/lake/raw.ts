/**
 * The raw zone: data exactly as a source delivered it (after column mapping and timestamp parsing,
 * before any cleaning). Raw files are never overwritten or edited. Writing content the partition
 * already holds is a no-op; new content becomes the next version (`v0002-…parquet`).
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tableDigest, type Column, type ColumnTable } from '../../core/table.js';
import { UserError } from '../../core/errors.js';
import { withPartitionLock } from './lock.js';
import { clearIntent, recoverPartition, writeIntent } from './journal.js';
import { rawPartitionDir, decodePartValue, type RawPartition } from './layout.js';
import { appendManifest, readManifest, tsRange, type Manifest, type ManifestEntry } from './manifest.js';
import { readParquet, writeParquet } from './parquet.js';

export interface RawWriteOptions {
  /** Where the data came from: a file path, an endpoint URL. */
  readonly origin: string;
  readonly meta?: Readonly<Record<string, unknown>>;
  /** tableDigest of `table` when the caller already has it. */
  readonly digest?: string;
}

export interface RawWriteResult {
  readonly entry: ManifestEntry;
  /** False when the partition already held this exact content (nothing was written). */
  readonly created: boolean;
  /** Absolute path of the Parquet file holding the content. */
  readonly path: string;
  /** What recovery of an interrupted earlier write did first (journal.ts), one line each. */
  readonly recovered?: readonly string[];
}

const partitionRecord = (p: RawPartition): Record<string, string> => ({ source: p.source, symbol: p.symbol, interval: p.interval });

/**
 * Store `table` in the raw zone under `partition` (write-once; see the file comment). The whole
 * write is one commit under the partition lock (journal.ts): after a crash at any point the
 * partition holds either the new version or nothing of it.
 */
export async function writeRaw(lake: string, partition: RawPartition, table: ColumnTable, opts: RawWriteOptions): Promise<RawWriteResult> {
  const dir = rawPartitionDir(lake, partition);
  const digest = opts.digest ?? tableDigest(table);
  const what = `raw write ${partition.source}/${partition.symbol}/${partition.interval}`;
  return withPartitionLock(dir, what, async () => {
    const recovered = recoverPartition(dir, partitionRecord(partition));
    const manifest = readManifest(dir, partitionRecord(partition));
    const same = manifest.entries.find((e) => e.digest === digest);
    if (same) return { entry: same, created: false, path: join(dir, same.file), ...(recovered.length ? { recovered } : {}) };
    const version = manifest.entries.length + 1;
    const file = `v${String(version).padStart(4, '0')}-${digest.slice(0, 12)}.parquet`;
    const path = join(dir, file);
    const entry: ManifestEntry = {
      version,
      file,
      rows: table.length,
      ...tsRange(table),
      digest,
      columns: Object.keys(table.columns),
      origin: opts.origin,
      ...(opts.meta ? { meta: opts.meta } : {}),
    };
    // A file of this name the manifest does not list was never committed (recovery removed what a
    // journal named; older lakes may hold one): it is invisible to readers, so it is replaced.
    if (existsSync(path)) rmSync(path, { force: true });
    writeIntent(dir, { entry, files: [file] });
    await writeParquet(table, path);
    appendManifest(dir, partitionRecord(partition), entry);
    clearIntent(dir);
    return { entry, created: true, path, ...(recovered.length ? { recovered } : {}) };
  });
}

export type RawVersion = number | 'latest' | 'all';

/**
 * Read a raw partition: one version (default the latest), or 'all' versions concatenated in version
 * order (columns are the union; a column a version lacks is NaN / '' there). Duplicates are left for
 * `clean` to resolve.
 */
export async function readRaw(lake: string, partition: RawPartition, version: RawVersion = 'latest'): Promise<{ table: ColumnTable; entries: ManifestEntry[] }> {
  const dir = rawPartitionDir(lake, partition);
  const manifest = readManifest(dir, partitionRecord(partition));
  const where = `${partition.source}/${partition.symbol}/${partition.interval}`;
  if (manifest.entries.length === 0) throw new UserError('no raw data in the lake for this partition', where);
  let entries: ManifestEntry[];
  if (version === 'all') entries = [...manifest.entries];
  else if (version === 'latest') entries = [manifest.entries[manifest.entries.length - 1]!];
  else {
    const e = manifest.entries.find((x) => x.version === version);
    if (!e) throw new UserError(`no raw version ${version} (versions 1..${manifest.entries.length})`, where);
    entries = [e];
  }
  const tables: ColumnTable[] = [];
  for (const e of entries) tables.push(await readParquet(join(dir, e.file)));
  return { table: concatTables(tables), entries };
}

/** Every raw partition in the lake with its manifest, sorted by source, symbol, interval. */
export function listRaw(lake: string): { partition: RawPartition; manifest: Manifest }[] {
  const out: { partition: RawPartition; manifest: Manifest }[] = [];
  const root = join(lake, 'raw');
  const sub = (d: string): string[] => (existsSync(d) ? readdirSync(d).filter((n) => n.includes('=')).sort() : []);
  for (const s of sub(root))
    for (const y of sub(join(root, s)))
      for (const i of sub(join(root, s, y))) {
        const partition = { source: decodePartValue(s), symbol: decodePartValue(y), interval: decodePartValue(i) };
        const manifest = readManifest(join(root, s, y, i), partitionRecord(partition));
        // A folder with no committed version (a first write that was interrupted) holds nothing.
        if (manifest.entries.length > 0) out.push({ partition, manifest });
      }
  return out;
}

/** Concatenate tables row-wise; the column set is the union in first-seen order. */
export function concatTables(tables: readonly ColumnTable[]): ColumnTable {
  if (tables.length === 1) return tables[0]!;
  const names: string[] = [];
  const isText = new Map<string, boolean>();
  for (const t of tables)
    for (const [k, c] of Object.entries(t.columns)) {
      if (!isText.has(k)) names.push(k);
      isText.set(k, (isText.get(k) ?? false) || !(c instanceof Float64Array));
    }
  const length = tables.reduce((s, t) => s + t.length, 0);
  const columns: Record<string, Column> = {};
  for (const k of names) {
    if (isText.get(k)) {
      const out: string[] = [];
      for (const t of tables) {
        const c = t.columns[k];
        for (let i = 0; i < t.length; i++) out.push(c === undefined ? '' : String(c[i]));
      }
      columns[k] = out;
    } else {
      const out = new Float64Array(length).fill(NaN);
      let off = 0;
      for (const t of tables) {
        const c = t.columns[k];
        if (c instanceof Float64Array) out.set(c, off);
        off += t.length;
      }
      columns[k] = out;
    }
  }
  return { length, columns };
}
