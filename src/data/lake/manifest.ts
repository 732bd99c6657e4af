/**
 * Partition manifests: one `manifest.json` per lake partition, listing every file ever written
 * there with its row count, time range and content digest. Data files are write-once; the manifest
 * only grows (new entries are appended), and it is replaced atomically (write + rename).
 */
import { existsSync, readFileSync, renameSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson } from '../../core/canonical.js';
import type { ColumnTable } from '../../core/table.js';
import { InvariantError } from '../../core/errors.js';

export interface ManifestEntry {
  /** 1, 2, 3… in the order written. */
  readonly version: number;
  /** File name inside the partition folder. */
  readonly file: string;
  readonly rows: number;
  /** Smallest and largest finite `ts` (epoch ms UTC), null when the table has no `ts` or no rows. */
  readonly tsMin: number | null;
  readonly tsMax: number | null;
  /** tableDigest of the stored table (sha256 hex). */
  readonly digest: string;
  readonly columns: readonly string[];
  /** Where the data came from (a file path, an endpoint). */
  readonly origin: string;
  /** Free-form provenance facts (preset, tz offset, raw digests a clean table was built from…). */
  readonly meta?: Readonly<Record<string, unknown>>;
}

export interface Manifest {
  readonly partition: Readonly<Record<string, string>>;
  readonly entries: readonly ManifestEntry[];
}

export const MANIFEST_FILE = 'manifest.json';

export function readManifest(dir: string, partition: Record<string, string>): Manifest {
  const p = join(dir, MANIFEST_FILE);
  if (!existsSync(p)) return { partition, entries: [] };
  const m = JSON.parse(readFileSync(p, 'utf8')) as Manifest;
  if (!Array.isArray(m.entries)) throw new InvariantError(`lake manifest ${p} has no entries array`);
  return m;
}

/** Append `entry` to the partition's manifest (atomic replace). */
export function appendManifest(dir: string, partition: Record<string, string>, entry: ManifestEntry): Manifest {
  const current = readManifest(dir, partition);
  const next: Manifest = { partition, entries: [...current.entries, entry] };
  mkdirSync(dir, { recursive: true });
  const p = join(dir, MANIFEST_FILE);
  writeFileSync(`${p}.partial`, `${JSON.stringify(JSON.parse(canonicalJson(next)), null, 2)}\n`);
  renameSync(`${p}.partial`, p);
  return next;
}

/** Finite min and max of the `ts` column, or nulls. */
export function tsRange(table: ColumnTable): { tsMin: number | null; tsMax: number | null } {
  const ts = table.columns['ts'];
  if (!(ts instanceof Float64Array)) return { tsMin: null, tsMax: null };
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < ts.length; i++) {
    const v = ts[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return Number.isFinite(lo) ? { tsMin: lo, tsMax: hi } : { tsMin: null, tsMax: null };
}
