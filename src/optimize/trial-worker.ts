/**
 * A trial worker (piscina thread, pool.ts): evaluates a chunk of trial specs on the datasets it is
 * handed (shared memory) with `evaluateTrial`, the same function the shell thread and scale-out
 * workers run.
 */
import { UserError } from '../core/errors.js';
import type { Dataset } from '../core/table.js';
import { evaluateTrial, type TrialOutcome } from './trial.js';
import type { TrialTask } from './pool.js';

/** A chunk's outcomes, or the user's error (a class does not survive the thread boundary, so it is sent as text). */
export type ChunkAnswer = { readonly outcomes: TrialOutcome[] } | { readonly userError: string };

export default async function runTrialChunk(task: TrialTask): Promise<ChunkAnswer> {
  const datasets = new Map<string, Dataset>(task.datasets.map((d) => [d.name, d]));
  const outcomes: TrialOutcome[] = [];
  try {
    for (const spec of task.specs) outcomes.push(await evaluateTrial(datasets, spec));
  } catch (err) {
    if (err instanceof UserError) return { userError: err.message };
    throw err;
  }
  return { outcomes };
}
