/** Shared pieces of the real-data tests: a temp lake, ingest + clean through the engine, fact readers. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestFile, type IngestFileOptions } from '../../../src/data/files/ingest.js';
import { cleanDataset } from '../../../src/data/clean/clean-dataset.js';
import { configSchema } from '../../../src/config/schema.js';
import type { Dataset } from '../../../src/core/table.js';

export const config = configSchema.parse({});

export function tempLake(): { dir: string; done(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'edgelab-shared-'));
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function ingestAndClean(
  lake: string,
  path: string,
  opts: IngestFileOptions = {},
  to?: string,
): Promise<{ raw: Dataset; clean: Dataset[]; quarantined: number; facts: readonly string[] }> {
  const { dataset, read } = await ingestFile(path, lake, opts);
  const res = cleanDataset({ raw: dataset, ...(to ? { targets: to } : {}) }, config);
  return { raw: dataset, clean: res.datasets, quarantined: res.quarantine.length, facts: read.facts };
}

export const tsOf = (ds: Dataset): number[] => Array.from(ds.table.columns['ts'] as Float64Array);
export const fact = (ds: Dataset, key: string): string | number | undefined => ds.gate?.facts[key];
export const gateValue = (ds: Dataset, name: string): unknown => ds.gate?.gates.find((g) => g.name === name)?.value;
