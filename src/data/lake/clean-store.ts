/**
 * The clean zone: canonical bars (or funding settlements) per symbol and interval, content-addressed
 * (`bars-<digest12>.parquet`), beside their quarantine (`quarantine-<digest12>.parquet`) and readiness
 * artifact (`gate-<digest12>.json`). Writing the same content again is a no-op; the partition
 * manifest lists every version, the last one being current.
 */
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson } from '../../core/canonical.js';
import type { ColumnTable, Dataset } from '../../core/table.js';
import { cleanPartitionDir } from './layout.js';
import { appendManifest, readManifest, tsRange, type ManifestEntry } from './manifest.js';
import { readParquet, writeParquet } from './parquet.js';
import { withPartitionLock } from './lock.js';
import { clearIntent, recoverPartition, writeIntent } from './journal.js';

export interface CleanWriteResult {
  readonly dir: string;
  readonly entry: ManifestEntry;
  readonly created: boolean;
  readonly gatePath: string;
  /** What recovery of an interrupted earlier write did first (journal.ts), one line each. */
  readonly recovered?: readonly string[];
}

/** The readiness artifact for one dataset: what the gates pane shows, as a file. */
export function gateArtifact(ds: Dataset): Record<string, unknown> {
  return {
    dataset: ds.name,
    digest: ds.digest,
    rows: ds.table.length,
    interval: ds.interval ?? null,
    pass: ds.gate?.pass ?? null,
    gates: ds.gate?.gates ?? [],
    facts: ds.gate?.facts ?? {},
  };
}

/** Store a clean dataset, its quarantine table and its gate artifact: one commit under the partition lock (journal.ts). */
export async function writeClean(lake: string, ds: Dataset, quarantine: ColumnTable): Promise<CleanWriteResult> {
  const partition = { symbol: ds.symbol ?? ds.name.split(':')[0]!, interval: ds.interval ?? ds.kind };
  const dir = cleanPartitionDir(lake, partition);
  return withPartitionLock(dir, `clean write ${partition.symbol}/${partition.interval}`, async () => {
    const recovered = recoverPartition(dir, partition);
    const done = (r: Omit<CleanWriteResult, 'recovered'>): CleanWriteResult => (recovered.length ? { ...r, recovered } : r);
    const short = ds.digest.slice(0, 12);
    const gatePath = join(dir, `gate-${short}.json`);
    const manifest = readManifest(dir, partition);
    const same = manifest.entries.find((e) => e.digest === ds.digest);
    if (same) return done({ dir, entry: same, created: false, gatePath });
    const file = `bars-${short}.parquet`;
    const qFile = quarantine.length ? `quarantine-${short}.parquet` : null;
    const entry: ManifestEntry = {
      version: manifest.entries.length + 1,
      file,
      rows: ds.table.length,
      ...tsRange(ds.table),
      digest: ds.digest,
      columns: Object.keys(ds.table.columns),
      origin: String(ds.meta?.['from'] ?? ds.source),
      meta: { dataset: ds.name, quarantineFile: qFile, gateFile: `gate-${short}.json`, pass: ds.gate?.pass ?? null },
    };
    writeIntent(dir, { entry, files: [file, ...(qFile ? [qFile] : []), `gate-${short}.json`] });
    // Content-addressed names: a file already there holds these bytes (each appears by rename).
    if (!existsSync(join(dir, file))) await writeParquet(ds.table, join(dir, file));
    if (qFile && !existsSync(join(dir, qFile))) await writeParquet(quarantine, join(dir, qFile));
    writeFileSync(`${gatePath}.partial`, `${JSON.stringify(JSON.parse(canonicalJson(gateArtifact(ds))), null, 2)}\n`);
    renameSync(`${gatePath}.partial`, gatePath);
    appendManifest(dir, partition, entry);
    clearIntent(dir);
    return done({ dir, entry, created: true, gatePath });
  });
}

/** Read the current (latest) clean table of a partition, or undefined when there is none. */
export async function readClean(lake: string, symbol: string, interval: string): Promise<{ table: ColumnTable; entry: ManifestEntry } | undefined> {
  const dir = cleanPartitionDir(lake, { symbol, interval });
  const m = readManifest(dir, { symbol, interval });
  const entry = m.entries[m.entries.length - 1];
  if (!entry) return undefined;
  return { table: await readParquet(join(dir, entry.file)), entry };
}
