/**
 * `ingest file` engine: read a file (read-file.ts), store it in the raw lake (write-once, versioned),
 * and describe it as a raw session dataset `raw:LABEL:INTERVAL` (or `:funding`, `:trades`). Nothing
 * is written when reading fails, so a refused file leaves the lake and the session as they were.
 */
import { tableDigest, type Dataset } from '../../core/table.js';
import { writeRaw, type RawWriteResult } from '../lake/raw.js';
import { readMarketFile, type FileRead, type ReadFileOptions } from './read-file.js';
import type { RawMeta } from '../clean/clean-dataset.js';

export interface IngestFileOptions extends ReadFileOptions {
  /** Label for dataset names (`raw:LABEL:1d`), default the symbol. */
  readonly name?: string;
}

export interface IngestFileResult {
  readonly dataset: Dataset;
  readonly read: FileRead;
  readonly raw: RawWriteResult;
}

export async function ingestFile(path: string, lake: string, opts: IngestFileOptions = {}): Promise<IngestFileResult> {
  const read = await readMarketFile(path, opts);
  const label = opts.name ?? read.symbol;
  const part = read.kind === 'bars' ? (read.interval ?? 'irregular') : read.kind;
  const digest = tableDigest(read.table);
  const meta: RawMeta & Record<string, unknown> = {
    rawKind: read.kind,
    medianStepMs: read.medianStepMs,
    lines: read.lines,
    rejects: read.rejects,
    facts: read.facts,
    file: path,
    format: read.format,
    preset: read.preset ?? null,
    tzOffsetMs: read.tzOffsetMs,
  };
  const raw = await writeRaw(lake, { source: 'file', symbol: label, interval: part }, read.table, {
    origin: path,
    digest,
    meta: { format: read.format, preset: read.preset ?? null, tzOffsetMs: read.tzOffsetMs, rejectedRows: read.rejects.length },
  });
  const dataset: Dataset = {
    name: `raw:${label}:${part}`,
    kind: read.kind,
    stage: 'raw',
    symbol: label,
    ...(read.interval ? { interval: read.interval } : {}),
    assetClass: read.assetClass,
    source: `file:${path}`,
    table: read.table,
    digest,
    meta: { ...meta, lake: { path: raw.path, version: raw.entry.version, created: raw.created } },
  };
  return { dataset, read, raw };
}
