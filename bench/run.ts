/**
 * `npm run bench`: load every bench/*.bench.js (compiled), run each workload in name order and
 * write bench/results.json (ignored by git). Pass words to run only workloads whose name contains
 * one of them: `npm run bench -- features ingest`.
 *
 * Each workload runs in a process of its own (a child forked from this file with `--workload NAME`
 * that sends its outcome back), as benchmark harnesses fork per benchmark: a workload's figures do
 * not depend on which workloads ran before it (their heap, their compiled code, their worker
 * threads), and a workload's "first run" figures are a fresh process's, as each says. `--in-process`
 * runs them all in this process instead.
 * Workloads measure and report; nothing here passes or fails on a timing.
 */
import { fork } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { BenchFigure, BenchWorkload } from './types.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = resolve(here, '../..');
const self = fileURLToPath(import.meta.url);

interface Outcome {
  readonly name: string;
  readonly description: string;
  readonly seconds: number;
  readonly figures: readonly BenchFigure[];
  readonly error?: string;
}

async function loadWorkloads(): Promise<BenchWorkload[]> {
  const files = readdirSync(here).filter((f) => f.endsWith('.bench.js')).sort();
  const workloads: BenchWorkload[] = [];
  for (const f of files) {
    const mod = (await import(pathToFileURL(join(here, f)).href)) as { workloads?: BenchWorkload[] };
    for (const w of mod.workloads ?? []) workloads.push(w);
  }
  return workloads.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Run one workload here, printing its figures as they are known. */
async function runHere(w: BenchWorkload): Promise<Outcome> {
  const t0 = performance.now();
  try {
    const figures = await w.run();
    const seconds = (performance.now() - t0) / 1000;
    for (const f of figures) process.stdout.write(`    ${f.name.padEnd(44)} ${formatValue(f.value)} ${f.unit}\n`);
    return { name: w.name, description: w.description, seconds, figures };
  } catch (err) {
    const seconds = (performance.now() - t0) / 1000;
    const message = err instanceof Error ? err.message : String(err);
    process.stdout.write(`    failed: ${message}\n`);
    return { name: w.name, description: w.description, seconds, figures: [], error: message };
  }
}

/** Run one workload in a child process of its own; its output goes to ours as it comes. */
function runForked(w: BenchWorkload): Promise<Outcome> {
  return new Promise((done) => {
    let outcome: Outcome | null = null;
    const child = fork(self, ['--workload', w.name], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: process.execArgv });
    child.on('message', (m) => (outcome = m as Outcome));
    child.on('exit', (code, signal) => {
      done(outcome ?? { name: w.name, description: w.description, seconds: 0, figures: [], error: `its process ended (${signal ?? `exit code ${code}`}) without an outcome` });
    });
  });
}

function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Math.abs(v) >= 1e6) return `${(v / 1e6).toFixed(2)} M`;
  if (Math.abs(v) >= 1e4) return `${(v / 1e3).toFixed(1)} k`;
  return v.toFixed(Math.abs(v) >= 100 ? 0 : 3);
}

const args = process.argv.slice(2);
const workloads = await loadWorkloads();
const childAt = args.indexOf('--workload');
if (childAt >= 0) {
  // a child: run the one workload and send its outcome back
  const w = workloads.find((x) => x.name === args[childAt + 1]);
  if (w === undefined) throw new Error(`no bench workload named ${args[childAt + 1]}`);
  const outcome = await runHere(w);
  // the workload's pools and timers are its own: end the process once the outcome is sent
  process.send?.(outcome, () => process.exit(0));
} else {
  const inProcess = args.includes('--in-process');
  const filters = args.filter((a) => a !== '--in-process');
  const selected = filters.length ? workloads.filter((w) => filters.some((f) => w.name.includes(f))) : workloads;
  const outcomes: Outcome[] = [];
  for (const w of selected) {
    process.stdout.write(`▸ ${w.name}: ${w.description}\n`);
    outcomes.push(inProcess ? await runHere(w) : await runForked(w));
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
  const failed = outcomes.filter((o) => o.error).length;
  process.stdout.write(`wrote ${out} (${outcomes.length} workloads${failed ? `, ${failed} failed` : ''})\n`);
  process.exitCode = failed ? 1 : 0;
}
