/**
 * Data snapshots (docs/scale-out.md, "Snapshots"): the datasets a session holds, written to a folder
 * so another machine can load exactly the same data, and one digest naming them all.
 *
 * A snapshot folder holds one Parquet file per dataset (written and read through DuckDB without
 * dictionary encoding, a bit-exact round trip: src/data/lake/parquet.ts) and `snapshot.json`, the manifest: for each dataset its name,
 * kind, stage, symbol, interval, class, source, gate, meta, file and content digest, plus the
 * snapshot digest. Import re-computes every table's digest and refuses a folder whose files do not
 * match their manifest, so a worker never trades on data that differs from the shell's.
 *
 * The snapshot digest is sha256 over the sorted `name \0 digest` pairs (each dataset's own digest, the
 * one run records cite): it depends on the data only,
 * not on the order datasets were loaded in or the machine they were written on.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from '../core/canonical.js';
import { UserError } from '../core/errors.js';
import { tableDigest, type Dataset } from '../core/table.js';
import { readParquet, writeParquet } from '../data/lake/parquet.js';

export const SNAPSHOT_MANIFEST = 'snapshot.json';
const FORMAT = 'edgelab-data-snapshot';

export interface SnapshotEntry {
  readonly name: string;
  readonly file: string;
  /** The dataset's own digest (what results cite), restored as it was. */
  readonly digest: string;
  /** The table's content digest (tableDigest), checked on import. */
  readonly content: string;
  readonly rows: number;
  readonly dataset: Omit<Dataset, 'table' | 'digest'>;
}

export interface SnapshotManifest {
  readonly format: typeof FORMAT;
  readonly version: 1;
  readonly digest: string;
  readonly datasets: readonly SnapshotEntry[];
}

/** The digest of a set of datasets: independent of their order. */
export function snapshotDigest(datasets: Iterable<Pick<Dataset, 'name' | 'digest'>>): string {
  const pairs = [...datasets].map((d) => `${d.name}\u0000${d.digest}`).sort();
  return sha256(pairs.join('\n'));
}

/** A file name for a dataset ('BTCUSDT:1h' → 'BTCUSDT_1h-<8 hex>.parquet'; unique even when names differ only in case or punctuation). */
function fileNameOf(name: string): string {
  return `${name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80)}-${sha256(name).slice(0, 8)}.parquet`;
}

/** Write `datasets` under `dir` (created; an existing snapshot there is replaced manifest-last). */
export async function exportSnapshot(datasets: readonly Dataset[], dir: string, onProgress?: (done: number, total: number) => void): Promise<SnapshotManifest> {
  if (!datasets.length) throw new UserError('the session holds no datasets to export (ingest something first)', 'snapshot export');
  mkdirSync(dir, { recursive: true });
  const entries: SnapshotEntry[] = [];
  for (const [i, ds] of datasets.entries()) {
    const { table, digest, ...described } = ds;
    const file = fileNameOf(ds.name);
    await writeParquet(table, join(dir, file), { plain: true }); // bit-exact: -0 and NaN payloads kept (parquet.ts)
    entries.push({ name: ds.name, file, digest, content: tableDigest(table), rows: table.length, dataset: described });
    onProgress?.(i + 1, datasets.length);
  }
  const manifest: SnapshotManifest = { format: FORMAT, version: 1, digest: snapshotDigest(entries), datasets: entries };
  const tmp = join(dir, `${SNAPSHOT_MANIFEST}.partial`);
  writeFileSync(tmp, `${JSON.stringify(manifest, null, 1)}\n`);
  renameSync(tmp, join(dir, SNAPSHOT_MANIFEST));
  return manifest;
}

export function readSnapshotManifest(dir: string): SnapshotManifest {
  const path = join(dir, SNAPSHOT_MANIFEST);
  if (!existsSync(path)) throw new UserError(`no ${SNAPSHOT_MANIFEST} here: not a data snapshot (make one with \`snapshot export PATH\`)`, dir);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UserError(`${SNAPSHOT_MANIFEST} is not valid JSON (${err instanceof Error ? err.message : String(err)})`, path);
  }
  const m = parsed as Partial<SnapshotManifest>;
  if (m.format !== FORMAT || m.version !== 1 || !Array.isArray(m.datasets) || typeof m.digest !== 'string') {
    throw new UserError(`not an edgelab data snapshot manifest (format ${String(m.format)}, version ${String(m.version)})`, path);
  }
  if (snapshotDigest(m.datasets) !== m.digest) throw new UserError('the manifest digest does not match its datasets (edited by hand?)', path);
  return m as SnapshotManifest;
}

/** Load every dataset of a snapshot, checking each table against its recorded digest. */
export async function importSnapshot(dir: string, onProgress?: (done: number, total: number) => void): Promise<{ manifest: SnapshotManifest; datasets: Dataset[] }> {
  const manifest = readSnapshotManifest(dir);
  const datasets: Dataset[] = [];
  for (const [i, entry] of manifest.datasets.entries()) {
    const path = join(dir, entry.file);
    if (!existsSync(path)) throw new UserError(`${entry.file} (dataset ${entry.name}) is missing from the snapshot`, dir);
    const table = await readParquet(path);
    const content = tableDigest(table);
    if (content !== entry.content) {
      throw new UserError(`${entry.file} does not match the manifest: dataset ${entry.name} has content digest ${content.slice(0, 12)}, the manifest says ${entry.content.slice(0, 12)}`, dir);
    }
    datasets.push({ ...entry.dataset, table, digest: entry.digest });
    onProgress?.(i + 1, manifest.datasets.length);
  }
  return { manifest, datasets };
}
