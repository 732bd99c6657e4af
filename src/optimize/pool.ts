/**
 * The trial worker pool (piscina): each task is a chunk of trial specs evaluated in one worker
 * thread (trial-worker.ts). The datasets are copied once into SharedArrayBuffers when the pool
 * starts, so every task hands them to its worker without copying the columns again.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { Piscina } from 'piscina';
import { UserError } from '../core/errors.js';
import type { Dataset } from '../core/table.js';
import type { TrialOutcome, TrialSpec } from './trial.js';

/** The compiled worker (tests run from src/ and use the build, as the job workers do). */
export function trialWorkerFile(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const compiled = here.includes('/dist/') ? resolve(here, 'trial-worker.js') : resolve(here, '../../dist/src/optimize/trial-worker.js');
  if (!existsSync(compiled)) throw new Error(`the trial worker is not built (${compiled}); run npm run build`);
  return compiled;
}

/** A dataset whose Float64 columns live in shared memory (same values). */
function shared(ds: Dataset): Dataset {
  const columns: Record<string, unknown> = {};
  for (const [k, col] of Object.entries(ds.table.columns)) {
    if (col instanceof Float64Array) {
      const copy = new Float64Array(new SharedArrayBuffer(col.byteLength));
      copy.set(col);
      columns[k] = copy;
    } else columns[k] = col;
  }
  return { ...ds, table: { ...ds.table, columns } as Dataset['table'] };
}

export interface TrialTask {
  readonly datasets: readonly Dataset[];
  readonly specs: readonly TrialSpec[];
}

export class TrialPool {
  private readonly pool: Piscina;
  private readonly datasets: readonly Dataset[];

  constructor(threads: number, datasets: readonly Dataset[]) {
    this.datasets = datasets.map(shared);
    this.pool = new Piscina({ filename: trialWorkerFile(), minThreads: threads, maxThreads: threads, idleTimeout: 1000 });
  }

  async run(specs: readonly TrialSpec[], signal?: AbortSignal): Promise<TrialOutcome[]> {
    const task: TrialTask = { datasets: this.datasets, specs };
    const answer = (await this.pool.run(task, signal ? { signal } : {})) as { outcomes: TrialOutcome[] } | { userError: string };
    // the worker's UserError message already names where
    if ('userError' in answer) throw new UserError(answer.userError);
    return answer.outcomes;
  }

  close(): Promise<void> {
    return this.pool.destroy();
  }
}
