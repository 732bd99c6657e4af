/**
 * The walk-forward evaluator on the optimiser's trial runner (docs/walkforward.md, "Trials"): every
 * set of points scored on a window is one `runTrials` sweep (src/optimize/runner.ts) with the window
 * in the trial spec (`plan.backtest.start / end`), so
 *
 * - each (point, window) is a trial with its own key: a repeated walk-forward, or an `optimize` of
 *   the same plan and window, reads it back from the results database instead of recomputing it;
 * - trials run on the thread's persistent piscina worker pool (the one `optimize` uses, kept from
 *   one walk-forward to the next with its workers' setups), or as BullMQ jobs on Redis
 *   (`--backend bullmq`), exactly as `optimize` runs them.
 *
 * A fold's test run takes its score, trades and returns from the chosen point's trial on the test
 * window; the NAV of the stitched curve comes from one backtest of that plan (the same engine run;
 * a trial keeps only the metric series). The returns are the series the metrics read (bar returns
 * on a daily clock, else daily returns at UTC day closes), so in-sample Sharpes, the PBO matrix and
 * the stitched Sharpe are all on the backtest's annualisation basis.
 */
import { canonicalJson, digestOf } from '../core/canonical.js';
import { UserError } from '../core/errors.js';
import type { Point } from '../optimize/dimensions.js';
import { planOfPoint, type PlanBase } from '../optimize/experiment.js';
import { runTrials, type TrialProgress, type TrialRequest, type TrialResult } from '../optimize/runner.js';
import { planInWindow } from '../optimize/trial.js';
import { TrialPool } from '../optimize/pool.js';
import { runBacktestReport } from '../backtest/run-backtest.js';
import type { Session } from '../shell/session.js';
import type { ParamPoint, TestOutcome, TimeWindow, TrialOutcome, WalkForwardEvaluator } from './run.js';

export interface TrialEvaluatorOptions {
  readonly session: Session;
  readonly base: PlanBase;
  /** A point's short name → its config path (target.ts). */
  readonly pathOf: (name: string) => string;
  readonly objective: string;
  /** Worker threads (0: the job thread). @default 2 */
  readonly workers?: number;
  /** Read back and store trials (default true). */
  readonly store?: boolean;
  readonly db?: string;
  readonly force?: boolean;
  /** BullMQ instead of the local pool; each window's sweep id is `sweep` plus the window's digest. */
  readonly bullmq?: Omit<NonNullable<TrialRequest['bullmq']>, 'sweep'> & { readonly sweep: string };
  /** Progress of the window's sweep in hand. */
  readonly onTrials?: (p: TrialProgress) => void;
}

export interface TrialCounts {
  /** Trials asked for (a (point, window) asked twice counts once). */
  readonly trials: number;
  /** Of them, read back from the results database. */
  readonly cached: number;
  /** Test-window backtests run for the stitched NAV. */
  readonly navRuns: number;
}

export type TrialWalkForwardEvaluator = WalkForwardEvaluator & {
  counts(): TrialCounts;
  /**
   * Let go of the worker pool. Every fold's sweep runs on this thread's persistent trial pool
   * (src/optimize/pool.ts, docs/optimize.md): starting threads per sweep cost more than the trials
   * of a small grid, and the next walk-forward or optimize reuses the same workers and their setups,
   * so closing leaves the pool running.
   */
  close(): Promise<void>;
};

const windowKey = (w: TimeWindow): string => `${w.start}|${w.end}`;

export function trialEvaluator(o: TrialEvaluatorOptions): TrialWalkForwardEvaluator {
  const toPoint = (p: ParamPoint): Point => Object.fromEntries(Object.entries(p).map(([name, v]) => [o.pathOf(name), v]));
  // The outcomes of the window in hand: a fold's test call and the all-points run on the same test window share the chosen point's trial.
  let memoWindow = '';
  let memo = new Map<string, TrialResult>();
  let trials = 0;
  let cached = 0;
  let navRuns = 0;
  const workers = o.workers ?? 2;
  let pool: TrialPool | undefined;

  const run = async (points: readonly ParamPoint[], window: TimeWindow, signal?: AbortSignal): Promise<TrialResult[]> => {
    if (windowKey(window) !== memoWindow) {
      memoWindow = windowKey(window);
      memo = new Map();
    }
    const missing = [...new Set(points.map((p) => canonicalJson(p)))].filter((k) => !memo.has(k));
    if (missing.length) {
      const asked = missing.map((k) => JSON.parse(k) as ParamPoint);
      const got = await runTrials(
        o.session,
        {
          base: o.base,
          points: asked.map(toPoint),
          objective: o.objective,
          window: { start: window.start, end: window.end },
          workers,
          ...(workers > 0 && !o.bullmq ? { pool: (pool ??= new TrialPool(workers, [...o.session.datasets.values()], { persistent: true })) } : {}),
          ...(o.store !== undefined ? { store: o.store } : {}),
          ...(o.db !== undefined ? { db: o.db } : {}),
          ...(o.force ? { force: true } : {}),
          ...(o.bullmq ? { bullmq: { ...o.bullmq, sweep: `${o.bullmq.sweep}-${digestOf(window).slice(0, 8)}` } } : {}),
        },
        { ...(signal ? { signal } : {}), ...(o.onTrials ? { onProgress: o.onTrials } : {}) },
      );
      got.forEach((r, i) => {
        if (r.infeasible) throw new UserError(`${Object.entries(asked[i]!).map(([k, v]) => `${k}=${v}`).join(' ')}: ${r.infeasible}`, 'walkforward');
        memo.set(missing[i]!, r);
        trials++;
        if (r.cached) cached++;
      });
    }
    return points.map((p) => memo.get(canonicalJson(p))!);
  };
  const outcomeOf = (r: TrialResult): TrialOutcome => ({ score: r.score ?? NaN, returns: Float64Array.from(r.returns), trades: r.trades });

  return {
    async evaluate(points, window, signal) {
      return (await run(points, window, signal)).map(outcomeOf);
    },
    async test(point, window, signal): Promise<TestOutcome> {
      const [trial] = await run([point], window, signal);
      navRuns++;
      const plan = planInWindow(planOfPoint(o.base, toPoint(point), 'walkforward'), window);
      const report = await runBacktestReport(plan, o.session.datasets, { probes: false, force: o.force ?? false, ...(signal ? { signal } : {}) });
      const r = report.result;
      return { ...outcomeOf(trial!), ts: r.ts, nav: r.nav, initialCapital: r.initialCapital };
    },
    counts: () => ({ trials, cached, navRuns }),
    async close() {
      await pool?.close();
      pool = undefined;
    },
  };
}
