/**
 * One trial of a search (docs/optimize.md, "Trials"): a backtest plan evaluated on a data snapshot,
 * without the bias probes, answering with every performance metric and the return series the
 * metrics read (for the deflated Sharpe ratio and PBO). Evaluating a trial is a pure function of
 * (datasets, spec): the spec is plain JSON, so it runs the same in this thread, on the local worker
 * pool or on a scale-out worker.
 *
 * Trials are keyed by `trialKey`: sha256 of the plan and the data snapshot digest, so a repeated
 * trial is read back from the store instead of recomputed.
 */
import { canonicalJson, digestOf, sha256 } from '../core/canonical.js';
import type { Dataset } from '../core/table.js';
import { isoUtc } from '../core/time.js';
import type { BacktestPlan } from '../backtest/run-backtest-plan.js';
import { prepareBacktest } from '../backtest/run-backtest.js';
import { runBacktestAuto } from '../backtest/fast-path-select.js';
import { computeMetrics, performanceInput } from '../backtest/metrics/index.js';
import type { Model } from '../models/types.js';
import type { Point } from './dimensions.js';
import { sharedSide, sharesColumn } from './shared-sma.js';
import { evaluateSmaCombo, evaluateSmaCombos, prepareSweep, sameSweep, sweepSetup, type SweepSetup } from './sma-sweep.js';

/** Bumped when what a trial computes changes, so stored trials of an older scheme are not reused. */
export const TRIAL_SCHEME = 1;

/** What a trial runs: plain JSON. */
export interface TrialSpec {
  /** The backtest plan of this point (window already applied to plan.backtest.start / end). */
  readonly plan: BacktestPlan;
  /** The point (dimension path → value), carried for display. */
  readonly point: Point;
  /** Run on datasets whose readiness gate failed. */
  readonly force?: boolean;
}

/** What a trial answers: plain JSON. */
export interface TrialOutcome {
  /** Every performance metric (src/backtest/metrics), non-finite values as null. */
  readonly metrics: Readonly<Record<string, number | null>>;
  /** Closed round trips. */
  readonly trades: number;
  /** The return series the metrics read (bar returns on a daily clock, else daily NAV returns) and its times. */
  readonly returnTs: readonly number[];
  readonly returns: readonly number[];
  /**
   * Which engine ran it: 'sweep' (the sma_cross sweep kernel, sma-sweep.ts), 'fast' or 'event'; all
   * give the same result.
   */
  readonly engine: 'sweep' | 'fast' | 'event';
  /** Why the point could not be run (a bad parameter combination, no data in the window); metrics are then empty. */
  readonly infeasible?: string;
}

/** The key of a trial: the plan and the data it runs on. */
export function trialKey(plan: BacktestPlan, dataDigest: string): string {
  return digestOf({ scheme: TRIAL_SCHEME, data: dataDigest, plan: { kind: plan.kind, interval: plan.interval, backtest: plan.backtest, regime: plan.regime, models: plan.models } });
}

/** The plan's fields its trial key reads (`trialKey`). */
const KEYED_FIELDS: ReadonlySet<string> = new Set(['kind', 'interval', 'backtest', 'regime', 'models']);

/**
 * `trialKey(plan, dataDigest)` and the plan's digest `digestOf(plan)` from one canonical writing of
 * the plan's fields (the runner makes both for every point before its trials start, docs/optimize.md
 * "Trials"): each field's canonical JSON is written once and goes into both texts, in canonical order
 * (keys sorted, undefined fields left out, as canonicalJson writes them). `written` keeps the
 * canonical JSON of field objects by identity across calls, for plans made from one base that share
 * an object (a sweep's points share the regime section): valid while those objects are not changed,
 * as a plan never is. The same strings as `trialKey` and `digestOf` (test/optimize/trial-key.test.ts).
 */
export function trialKeyAndDigest(plan: BacktestPlan, dataDigest: string, written?: Map<object, string>): { readonly key: string; readonly configDigest: string } {
  const fields = plan as unknown as Readonly<Record<string, unknown>>;
  const names = Object.keys(fields)
    .filter((k) => fields[k] !== undefined)
    .sort();
  let whole = '';
  let keyed = '';
  for (const name of names) {
    const v = fields[name];
    let text = written !== undefined && typeof v === 'object' && v !== null ? written.get(v) : undefined;
    if (text === undefined) {
      text = canonicalJson(v);
      if (written !== undefined && typeof v === 'object' && v !== null) written.set(v, text);
    }
    const entry = `${JSON.stringify(name)}:${text}`;
    whole += whole === '' ? entry : `,${entry}`;
    if (KEYED_FIELDS.has(name)) keyed += keyed === '' ? entry : `,${entry}`;
  }
  return {
    key: sha256(`{"data":${canonicalJson(dataDigest)},"plan":{${keyed}},"scheme":${canonicalJson(TRIAL_SCHEME)}}`),
    configDigest: sha256(`{${whole}}`),
  };
}

/**
 * sma_cross with its vectorised side drawn from the worker's shared moving averages (shared-sma.ts,
 * equal to crossSide bit for bit): the average of period p is computed once for every combo using p.
 * Other models, and columns with a non-positive close, are left as built.
 */
function withSharedAverages(model: Model, _spec: unknown, params: Record<string, unknown>): Model {
  const own = model.targetsVector;
  if (model.name !== 'sma_cross' || !own) return model;
  const fast = params['fast'] as number;
  const slow = params['slow'] as number;
  const short = params['short'] === true;
  return {
    ...model,
    targetsVector: (columns) => {
      const close = columns.close;
      if (!sharesColumn(close)) return own(columns);
      return { side: sharedSide(close, fast, slow, short), sizing: own.call(model, { ...columns, close: new Float64Array(0) }).sizing };
    },
  };
}

/** Non-finite metric values become null (JSON carries no NaN). */
export function jsonMetrics(metrics: Readonly<Record<string, number>>): Record<string, number | null> {
  return Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, Number.isFinite(v) ? v : null]));
}

/** A plan restricted to a window of decision times (epoch ms); bars before `start` still warm the models up. */
export function planInWindow(plan: BacktestPlan, window: { readonly start?: number | null; readonly end?: number | null } | undefined): BacktestPlan {
  if (!window) return plan;
  const start = window.start != null ? isoUtc(window.start) : plan.backtest.start;
  const end = window.end != null ? isoUtc(window.end) : plan.backtest.end;
  return { ...plan, backtest: { ...plan.backtest, start, end } };
}

/**
 * Evaluate one trial: on the sma_cross sweep kernel where it covers the plan and the run
 * (sma-sweep.ts, the same numbers without building a backtest result), else in full.
 */
export async function evaluateTrial(datasets: ReadonlyMap<string, Dataset>, spec: TrialSpec, signal?: AbortSignal): Promise<TrialOutcome> {
  const setup = sweepSetup(spec.plan, datasets, spec.force ?? false);
  const swept = typeof setup === 'string' ? null : evaluateSmaCombo(setup, spec.plan, signal);
  return swept ?? evaluateTrialInFull(datasets, spec, signal);
}

/**
 * A chunk of trials, in order: the sma_cross combos of one sweep setup run as one batch on the sweep
 * kernel (sma-sweep.ts `evaluateSmaCombos`: each moving average computed once for the batch), the
 * rest, and the combos the kernel declines, in full. The outcomes are `evaluateTrial`'s.
 */
export async function evaluateTrials(datasets: ReadonlyMap<string, Dataset>, specs: readonly TrialSpec[], signal?: AbortSignal): Promise<TrialOutcome[]> {
  const out: (TrialOutcome | null)[] = specs.map(() => null);
  const batches = new Map<SweepSetup, number[]>();
  // a spec of the same sweep as the one before it (sameSweep) takes its setup without making its key
  let last: { readonly plan: BacktestPlan; readonly force: boolean; readonly setup: SweepSetup | string } | undefined;
  specs.forEach((spec, i) => {
    const force = spec.force ?? false;
    const setup = last !== undefined && last.force === force && sameSweep(last.plan, spec.plan) ? last.setup : sweepSetup(spec.plan, datasets, force);
    last = { plan: spec.plan, force, setup };
    if (typeof setup === 'string') return;
    const batch = batches.get(setup);
    if (batch) batch.push(i);
    else batches.set(setup, [i]);
  });
  for (const [setup, members] of batches) {
    const got = evaluateSmaCombos(setup, members.map((i) => specs[i]!.plan), signal);
    members.forEach((i, j) => (out[i] = got[j]!));
  }
  const done: TrialOutcome[] = [];
  for (let i = 0; i < specs.length; i++) done.push(out[i] ?? (await evaluateTrialInFull(datasets, specs[i]!, signal)));
  return done;
}

/**
 * What evaluating `specs` will need, made now and kept by this thread (a pool worker while the runner
 * plans a sweep, pool.ts `TrialPool.prepare`): each sma_cross plan's sweep setup on these datasets
 * (sma-sweep.ts `sweepSetup`, cached by plan and data) and the thread's kernel priming. Nothing is
 * evaluated; a later `evaluateTrials` of the same plans on the same datasets finds the setups made.
 */
export function prepareTrials(datasets: ReadonlyMap<string, Dataset>, specs: readonly TrialSpec[]): void {
  for (const spec of specs) {
    const setup = sweepSetup(spec.plan, datasets, spec.force ?? false);
    if (typeof setup !== 'string') prepareSweep(setup, spec.plan);
  }
}

/**
 * One trial in full: the plan's engine run (the fast path when eligible, else the event engine,
 * chosen by `runBacktestAuto` as for `backtest`) and the metrics computed exactly as
 * runBacktestReport computes them (performanceInput + computeMetrics on the same series), without
 * the report's extras (cost decomposition, regime split, result digest) a trial does not show.
 */
export async function evaluateTrialInFull(datasets: ReadonlyMap<string, Dataset>, spec: TrialSpec, signal?: AbortSignal): Promise<TrialOutcome> {
  const prepared = prepareBacktest(spec.plan, datasets, spec.force ?? false, withSharedAverages);
  const input = { ...prepared.input, ...(signal ? { signal } : {}), checkEvery: 4096 };
  const only = input.models.length === 1 ? input.models[0]!.model : null;
  const { result: r, engine } = runBacktestAuto(input, only ? { model: only, warmupBars: only.warmupBars } : null);
  const closed = r.trades.filter((t) => t.exitTs !== null);
  const perf = performanceInput({
    ts: r.ts,
    equity: r.nav,
    interval: r.interval,
    assetClasses: r.symbols.map((s) => s.assetClass),
    tradePnl: Float64Array.from(closed, (t) => t.pnl),
    grossExposure: r.gross,
    tradedNotional: r.costs.tradedNotional,
  });
  return {
    metrics: jsonMetrics(computeMetrics(perf)),
    trades: closed.length,
    returnTs: Array.from(perf.returnTs),
    returns: Array.from(perf.returns),
    engine: engine.path,
  };
}
