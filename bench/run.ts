/**
 * `npm run bench`: load every bench/*.bench.js (compiled), run each workload in name order and
 * write bench/results.json (ignored by git). Pass words to run only workloads whose name contains
 * one of them: `npm run bench -- features ingest`.
 * Workloads measure and report; nothing here passes or fails on a timing.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { BenchFigure, BenchWorkload } from './types.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = resolve(here, '../..');
const filters = process.argv.slice(2);

const files = readdirSync(here).filter((f) => f.endsWith('.bench.js')).sort();
const workloads: BenchWorkload[] = [];
for (const f of files) {
  const mod = (await import(pathToFileURL(join(here, f)).href)) as { workloads?: BenchWorkload[] };
  for (const w of mod.workloads ?? []) workloads.push(w);
}
workloads.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
const selected = filters.length ? workloads.filter((w) => filters.some((f) => w.name.includes(f))) : workloads;

interface Outcome {
  readonly name: string;
  readonly description: string;
  readonly seconds: number;
  readonly figures: readonly BenchFigure[];
  readonly error?: string;
}

const outcomes: Outcome[] = [];
for (const w of selected) {
  process.stdout.write(`▸ ${w.name}: ${w.description}\n`);
  const t0 = performance.now();
  try {
    const figures = await w.run();
    const seconds = (performance.now() - t0) / 1000;
    for (const f of figures) process.stdout.write(`    ${f.name.padEnd(44)} ${formatValue(f.value)} ${f.unit}\n`);
    outcomes.push({ name: w.name, description: w.description, seconds, figures });
  } catch (err) {
    const seconds = (performance.now() - t0) / 1000;
    const message = err instanceof Error ? err.message : String(err);
    process.stdout.write(`    failed: ${message}\n`);
    outcomes.push({ name: w.name, description: w.description, seconds, figures: [], error: message });
  }
}

function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Math.abs(v) >= 1e6) return `${(v / 1e6).toFixed(2)} M`;
  if (Math.abs(v) >= 1e4) return `${(v / 1e3).toFixed(1)} k`;
  return v.toFixed(Math.abs(v) >= 100 ? 0 : 3);
}

const report = {
  node: process.version,
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model ?? 'unknown',
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  recordedAt: new Date().toISOString(),
  workloads: outcomes,
};
const out = join(repo, 'bench', 'results.json');
writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
process.stdout.write(`wrote ${out} (${outcomes.length} workloads${outcomes.some((o) => o.error) ? `, ${outcomes.filter((o) => o.error).length} failed` : ''})\n`);
process.exitCode = outcomes.some((o) => o.error) ? 1 : 0;
