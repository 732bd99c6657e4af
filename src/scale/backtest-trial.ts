/**
 * The `backtest` trial kind: one backtest plan (src/backtest/run-backtest-plan.ts) run on the
 * snapshot's datasets without the bias probes, answering with the result digest and the metrics —
 * the same numbers `backtest` prints for that plan.
 */
import { runBacktestReport } from '../backtest/run-backtest.js';
import type { BacktestPlan } from '../backtest/run-backtest-plan.js';
import { registerTrialKind } from './trial-kinds.js';

export interface BacktestTrialSpec {
  readonly plan: BacktestPlan;
}

export interface BacktestTrialResult {
  readonly digest: string;
  readonly metrics: Readonly<Record<string, number | null>>;
}

/** Metrics as JSON carries them: a non-finite value (no trades, no variance) becomes null. */
function jsonMetrics(metrics: Readonly<Record<string, number>>): Record<string, number | null> {
  return Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, Number.isFinite(v) ? v : null]));
}

export async function evaluateBacktestTrial(datasets: Parameters<typeof runBacktestReport>[1], spec: BacktestTrialSpec, signal?: AbortSignal): Promise<BacktestTrialResult> {
  const report = await runBacktestReport(spec.plan, datasets, { probes: false, ...(signal ? { signal } : {}) });
  return { digest: report.digest, metrics: jsonMetrics(report.metrics) };
}

registerTrialKind('backtest', (datasets, spec, signal) => evaluateBacktestTrial(datasets, spec as BacktestTrialSpec, signal));
