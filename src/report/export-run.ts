/**
 * Write a run export folder (docs/reports.md): fills, orders, trades, equity, positions and
 * model_equity as CSV (time columns ISO 8601 UTC, numbers in shortest round-trip form) or Parquet
 * (written by DuckDB; time columns epoch ms), plus metrics.json, config.yaml and manifest.json.
 * The bytes depend on the RunData only, so `backtest --export` and a later `runs export` of the
 * stored run give identical files.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { canonicalJson } from '../core/canonical.js';
import { UserError } from '../core/errors.js';
import { writeCsv } from '../shell/csv-out.js';
import { ioReason } from '../shell/io-reason.js';
import { writeParquet } from '../data/lake/parquet.js';
import { EXPORT_TABLES } from './export-tables.js';
import type { RunData } from './run-data.js';
import { sheetStatistics, tearSheet } from './tear-sheet.js';

export type ExportFormat = 'csv' | 'parquet';

/** Pretty JSON with sorted keys; non-finite numbers as strings ("NaN", "Infinity") as in canonical JSON. */
const prettyJson = (v: unknown): string => `${JSON.stringify(JSON.parse(canonicalJson(v)), null, 2)}\n`;

export async function exportRun(run: RunData, dir: string, format: ExportFormat, rollingWindow: number): Promise<string[]> {
  const files: string[] = [];
  try {
    mkdirSync(dir, { recursive: true });
    for (const [name, build] of Object.entries(EXPORT_TABLES)) {
      const file = `${name}.${format}`;
      const t = build(run);
      if (format === 'csv') writeCsv(t, join(dir, file));
      else await writeParquet(t, join(dir, file));
      files.push(file);
    }
    const sheet = tearSheet(run, rollingWindow);
    writeFileSync(join(dir, 'metrics.json'), prettyJson({ metrics: run.metrics, report: sheetStatistics(sheet), facts: run.facts }));
    writeFileSync(join(dir, 'config.yaml'), stringify(run.config, { sortMapEntries: true }));
    files.push('metrics.json', 'config.yaml', 'manifest.json');
    writeFileSync(
      join(dir, 'manifest.json'),
      prettyJson({
        run_id: run.id,
        label: run.label,
        seed: run.seed,
        digests: { config: run.configDigest, code: run.codeRevision, data: run.dataDigests, result: run.resultDigest },
        initial_capital: run.initialCapital,
        interval: run.interval,
        benchmark: run.benchmark.name,
        format,
        files,
      }),
    );
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`cannot write the export (${ioReason(err)})`, dir);
  }
  return files;
}
