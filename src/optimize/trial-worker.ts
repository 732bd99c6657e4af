/**
 * A trial worker (piscina thread, pool.ts): evaluates a chunk of trial specs on the datasets it is
 * handed (shared memory) with `evaluateTrial`, the same function the shell thread and scale-out
 * workers run.
 */
import type { Dataset } from '../core/table.js';
import { evaluateTrial, type TrialOutcome } from './trial.js';
import type { TrialTask } from './pool.js';

export default async function runTrialChunk(task: TrialTask): Promise<TrialOutcome[]> {
  const datasets = new Map<string, Dataset>(task.datasets.map((d) => [d.name, d]));
  const out: TrialOutcome[] = [];
  for (const spec of task.specs) out.push(await evaluateTrial(datasets, spec));
  return out;
}
