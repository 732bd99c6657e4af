/**
 * A trial worker (piscina thread, pool.ts): evaluates a chunk of trial specs on the datasets it is
 * handed (shared memory) with `evaluateTrials` (`evaluateTrial`'s outcomes, the sweep kernel's
 * combos in one batch), the same outcomes the shell thread and scale-out workers compute.
 */
import { UserError } from '../core/errors.js';
import type { Dataset } from '../core/table.js';
import { evaluateTrials, prepareTrials, type TrialOutcome } from './trial.js';
import { adoptCheckedBars } from '../backtest/engine-data.js';
import type { SharedDataset, TrialTask } from './pool.js';

/** A chunk's outcomes, or the user's error (a class does not survive the thread boundary, so it is sent as text). */
export type ChunkAnswer = { readonly outcomes: TrialOutcome[] } | { readonly userError: string };

/**
 * Datasets seen by this worker, by digest: every task brings the same shared memory in a new
 * Float64Array object, and the shared moving averages (shared-sma.ts) are cached per column object,
 * so the first object of each dataset is kept and reused.
 */
const seen = new Map<string, Dataset>();
/** Datasets kept (the most recently used): the pool outlives sweeps, so this is bounded. */
const SEEN = 16;

export default async function runTrialChunk(task: TrialTask): Promise<ChunkAnswer> {
  const datasets = new Map<string, Dataset>();
  for (const d of task.datasets) {
    const key = `${d.name}\u0000${d.digest}`;
    let kept = seen.get(key);
    if (kept === undefined) {
      kept = d;
      // checked once by the pool over this shared memory (pool.ts `SharedDataset`)
      if ((d as SharedDataset).barsChecked === true) adoptCheckedBars(d.table.columns, d.table.length);
    }
    seen.delete(key);
    seen.set(key, kept);
    if (seen.size > SEEN) seen.delete(seen.keys().next().value!);
    datasets.set(d.name, kept);
  }
  const outcomes: TrialOutcome[] = [];
  try {
    if (task.prepare) prepareTrials(datasets, task.specs);
    else outcomes.push(...(await evaluateTrials(datasets, task.specs)));
  } catch (err) {
    if (err instanceof UserError) return { userError: err.message };
    throw err;
  }
  return { outcomes };
}
