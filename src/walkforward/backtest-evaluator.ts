/**
 * A walk-forward evaluator on the backtest engine: every parameter point of a single-model plan is
 * a backtest restricted to the window (`backtest.start` / `backtest.end`; the bars before the
 * window only warm the indicators up), scored by one stored metric (BPS by default). sma_cross runs
 * on the vectorised fast path, everything else on the event engine; both give the same numbers.
 */
import { isoUtc } from '../core/time.js';
import type { Dataset } from '../core/table.js';
import type { EdgelabConfig } from '../config/schema.js';
import { singleModelPlan, type BacktestPlan, type SingleModelOptions } from '../backtest/run-backtest-plan.js';
import { runBacktestReport, type BacktestReport } from '../backtest/run-backtest.js';
import type { ParamPoint, TestOutcome, TimeWindow, TrialOutcome, WalkForwardEvaluator } from './run.js';

export interface BacktestEvaluatorOptions {
  readonly config: EdgelabConfig;
  readonly datasets: ReadonlyMap<string, Dataset>;
  readonly model: string;
  /** Fixed parameters (symbol, size…) under every point. */
  readonly baseParams: Record<string, unknown>;
  readonly plan?: Omit<SingleModelOptions, 'params'>;
  /** Metric key to maximise (src/backtest/metrics). @default 'bps' */
  readonly objective?: string;
  readonly force?: boolean;
}

/** Per-bar simple returns of a NAV series, the first against the initial capital. */
export function navReturns(nav: Float64Array, initialCapital: number): Float64Array {
  const out = new Float64Array(nav.length);
  let prev = initialCapital;
  for (let i = 0; i < nav.length; i++) {
    out[i] = nav[i]! / prev - 1;
    prev = nav[i]!;
  }
  return out;
}

/** The single-model plan of a point, restricted to a window (the whole data when none). */
export function planFor(o: BacktestEvaluatorOptions, point: ParamPoint, window?: TimeWindow): BacktestPlan {
  const plan = singleModelPlan(o.config, o.model, { ...(o.plan ?? {}), params: { ...o.baseParams, ...point } });
  return window ? { ...plan, backtest: { ...plan.backtest, start: isoUtc(window.start), end: isoUtc(window.end) } } : plan;
}

export function backtestEvaluator(o: BacktestEvaluatorOptions): WalkForwardEvaluator & { runs: () => number } {
  const objective = o.objective ?? 'bps';
  let runs = 0;
  const run = async (point: ParamPoint, window: TimeWindow, signal?: AbortSignal): Promise<{ report: BacktestReport; outcome: TestOutcome }> => {
    runs++;
    const report = await runBacktestReport(planFor(o, point, window), o.datasets, { probes: false, force: o.force ?? false, ...(signal ? { signal } : {}) });
    const r = report.result;
    const score = report.metrics[objective];
    return {
      report,
      outcome: {
        score: score === undefined ? NaN : score,
        returns: navReturns(r.nav, r.initialCapital),
        trades: r.trades.length,
        ts: r.ts,
        nav: r.nav,
        initialCapital: r.initialCapital,
      },
    };
  };
  return {
    async evaluate(points, window, signal): Promise<TrialOutcome[]> {
      const out: TrialOutcome[] = [];
      for (const p of points) out.push((await run(p, window, signal)).outcome);
      return out;
    },
    async test(point, window, signal) {
      return (await run(point, window, signal)).outcome;
    },
    runs: () => runs,
  };
}
