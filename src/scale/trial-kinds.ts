/**
 * What a scale-out worker knows how to evaluate (docs/scale-out.md, "Trials"). A trial is a JSON
 * spec of a registered kind; evaluating it is a pure function of the data snapshot and the spec, so
 * the same trial gives the same result on the shell's own pool and on any worker with the same data.
 *
 * Kinds register here once per process; `loadTrialKinds()` imports every module that registers one,
 * so a worker process knows the same kinds as the shell.
 */
import { UserError } from '../core/errors.js';
import type { Dataset } from '../core/table.js';

export type TrialEvaluator = (datasets: ReadonlyMap<string, Dataset>, spec: unknown, signal?: AbortSignal) => Promise<unknown>;

const kinds = new Map<string, TrialEvaluator>();

export function registerTrialKind(kind: string, evaluate: TrialEvaluator): void {
  kinds.set(kind, evaluate);
}

export function trialEvaluator(kind: string): TrialEvaluator {
  const evaluate = kinds.get(kind);
  if (!evaluate) throw new UserError(`this worker does not know trial kind '${kind}' (known: ${[...kinds.keys()].sort().join(', ') || 'none'}); is it running the same edgelab version as the shell?`, 'worker');
  return evaluate;
}

/** Import every module that registers a trial kind (idempotent). */
export async function loadTrialKinds(): Promise<readonly string[]> {
  await import('./backtest-trial.js');
  await import('./optimize-trial.js');
  await import('./discover-trial.js');
  return [...kinds.keys()].sort();
}
