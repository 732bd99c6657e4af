/**
 * Walk-forward analysis (docs/walkforward.md): in every fold the parameters are chosen on the
 * training window (and, with a validation slice, confirmed on it) and judged on the test window
 * that follows; the test windows' equity, laid end to end, is the stitched out-of-sample curve.
 *
 * The evaluation of parameter points on a time window is behind `WalkForwardEvaluator`, so the same
 * orchestration runs on the backtest engine (backtest-evaluator.ts) or on any trial runner. Only
 * the evaluator sees bars; this file sees window bounds and the outcomes it is given, and each fold's
 * choice is made before its test window is evaluated.
 */
import { throwIfAborted } from '../core/errors.js';
import { maxDrawdown, sharpe } from '../backtest/metrics/index.js';
import { deflatedSharpe, overfitReport, type OverfitReport } from '../overfit/index.js';
import { foldWindows, type Fold, type WindowSettings } from './windows.js';

export type ParamPoint = Readonly<Record<string, number | string | boolean>>;

/** Decision times [start, end], epoch ms, both inclusive (the first and last bar of a span). */
export interface TimeWindow {
  readonly start: number;
  readonly end: number;
}

export interface TrialOutcome {
  /** The objective on the window (higher is better; NaN ranks last). */
  readonly score: number;
  /** Per-bar simple returns over the window's bars (the first against the initial capital). */
  readonly returns: Float64Array;
  /** Closed trades in the window. */
  readonly trades: number;
}

export interface TestOutcome extends TrialOutcome {
  /** Decision times and NAV over the window. */
  readonly ts: Float64Array;
  readonly nav: Float64Array;
  readonly initialCapital: number;
}

export interface WalkForwardEvaluator {
  /** Score every point on a window (in-sample choice, and the all-points out-of-sample matrix for PBO). */
  evaluate(points: readonly ParamPoint[], window: TimeWindow, signal?: AbortSignal): Promise<TrialOutcome[]>;
  /** Run one point on a test window. */
  test(point: ParamPoint, window: TimeWindow, signal?: AbortSignal): Promise<TestOutcome>;
}

export interface FoldResult {
  readonly fold: Fold;
  readonly chosen: ParamPoint;
  readonly chosenIndex: number;
  readonly inSampleScore: number;
  readonly validationScore?: number;
  readonly outOfSampleScore: number;
  readonly outOfSampleTrades: number;
  /** Overfitting controls on this fold's training window (DSR of the choice, PBO over its trials). */
  readonly inSample: OverfitReport;
}

export interface WalkForwardResult {
  readonly folds: readonly FoldResult[];
  /** The stitched out-of-sample curve: times and equity (starting from the first test run's capital). */
  readonly ts: Float64Array;
  readonly equity: Float64Array;
  readonly returns: Float64Array;
  readonly trades: number;
  readonly sharpe: number;
  readonly maxDrawdown: number;
  readonly totalReturn: number;
  /** DSR of the stitched returns over every (fold, point) trial; PBO by CSCV over the points' stitched test returns. */
  readonly overfit: OverfitReport;
}

export interface WalkForwardOptions {
  /** Times of the bars the model trades (ascending). */
  readonly ts: ArrayLike<number>;
  readonly settings: WindowSettings;
  readonly points: readonly ParamPoint[];
  readonly evaluator: WalkForwardEvaluator;
  readonly periodsPerYear: number;
  /** Called as each fold finishes (the live per-fold pane). */
  readonly onFold?: (done: FoldResult, total: number) => void;
  /** Called once with the number of folds, before the first is evaluated (progress). */
  readonly onFolds?: (total: number) => void;
  /** CSCV blocks for the PBO estimates. @default 16 */
  readonly pboSlices?: number;
  readonly signal?: AbortSignal;
}

/** How many in-sample leaders the validation slice chooses among. */
export const VALIDATION_SHORTLIST = 5;

const windowOf = (ts: ArrayLike<number>, from: number, to: number): TimeWindow => ({ start: ts[from]!, end: ts[to - 1]! });
const rank = (score: number): number => (Number.isNaN(score) ? -Infinity : score);

/** Indices of the `k` best scores (best first; ties keep the earlier point). */
function leaders(outcomes: readonly TrialOutcome[], k: number): number[] {
  return outcomes.map((_, i) => i).sort((a, b) => rank(outcomes[b]!.score) - rank(outcomes[a]!.score) || a - b).slice(0, k);
}

/** Choose a fold's parameters from its training (and validation) windows only. */
async function chooseOnFold(o: WalkForwardOptions, fold: Fold): Promise<{ index: number; isScore: number; valScore?: number; inSample: OverfitReport; isSharpes: number[] }> {
  const trainOutcomes = await o.evaluator.evaluate(o.points, windowOf(o.ts, fold.train.from, fold.train.to), o.signal);
  let index = leaders(trainOutcomes, 1)[0]!;
  let valScore: number | undefined;
  if (fold.validation && fold.validation.to > fold.validation.from) {
    const shortlist = leaders(trainOutcomes, VALIDATION_SHORTLIST);
    const val = await o.evaluator.evaluate(shortlist.map((i) => o.points[i]!), windowOf(o.ts, fold.validation.from, fold.validation.to), o.signal);
    const best = leaders(val, 1)[0]!;
    index = shortlist[best]!;
    valScore = val[best]!.score;
  }
  const inSample = overfitReport({ selected: trainOutcomes[index]!.returns, trials: trainOutcomes.map((t) => t.returns), ...(o.pboSlices ? { slices: o.pboSlices } : {}), ...(o.signal ? { signal: o.signal } : {}) });
  const isSharpes = trainOutcomes.map((t) => perBar(t.returns));
  return { index, isScore: trainOutcomes[index]!.score, ...(valScore !== undefined ? { valScore } : {}), inSample, isSharpes };
}

function perBar(r: Float64Array): number {
  let s = 0;
  for (const v of r) s += v;
  const mean = s / r.length;
  let q = 0;
  for (const v of r) q += (v - mean) * (v - mean);
  const sd = Math.sqrt(q / (r.length - 1));
  return sd > 0 ? mean / sd : NaN;
}

function concat(parts: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Run the walk-forward: folds in time order, each chosen in-sample, then judged out of sample. */
export async function runWalkForward(o: WalkForwardOptions): Promise<WalkForwardResult> {
  const folds = foldWindows(o.ts, o.settings);
  o.onFolds?.(folds.length);
  const results: FoldResult[] = [];
  const stitchedTs: Float64Array[] = [];
  const stitchedEquity: Float64Array[] = [];
  const stitchedReturns: Float64Array[] = [];
  const pointReturns: Float64Array[][] = o.points.map(() => []);
  const allIsSharpes: number[] = [];
  let carry = NaN;
  let startCapital = NaN;
  let trades = 0;
  for (const fold of folds) {
    throwIfAborted(o.signal);
    const choice = await chooseOnFold(o, fold);
    allIsSharpes.push(...choice.isSharpes);
    const testWindow = windowOf(o.ts, fold.test.from, fold.test.to);
    const test = await o.evaluator.test(o.points[choice.index]!, testWindow, o.signal);
    if (Number.isNaN(carry)) carry = startCapital = test.initialCapital;
    // Chain the fold's equity onto the curve so far: each test run starts from its own capital.
    const scale = carry / test.initialCapital;
    const equity = test.nav.map((v) => v * scale);
    carry = equity.length ? equity[equity.length - 1]! : carry;
    stitchedTs.push(test.ts);
    stitchedEquity.push(equity);
    stitchedReturns.push(test.returns);
    trades += test.trades;
    // Every point over the same test window: the matrix PBO reads (never used for the choice).
    if (o.points.length > 1) (await o.evaluator.evaluate(o.points, testWindow, o.signal)).forEach((t, i) => pointReturns[i]!.push(t.returns));
    const done: FoldResult = {
      fold,
      chosen: o.points[choice.index]!,
      chosenIndex: choice.index,
      inSampleScore: choice.isScore,
      ...(choice.valScore !== undefined ? { validationScore: choice.valScore } : {}),
      outOfSampleScore: test.score,
      outOfSampleTrades: test.trades,
      inSample: choice.inSample,
    };
    results.push(done);
    o.onFold?.(done, folds.length);
  }
  const ts = concat(stitchedTs);
  const equity = concat(stitchedEquity);
  const returns = concat(stitchedReturns);
  const trials = o.points.length > 1 ? pointReturns.map(concat) : [returns];
  const overfit = overfitReport({ selected: returns, trials, ...(o.pboSlices ? { slices: o.pboSlices } : {}), ...(o.signal ? { signal: o.signal } : {}) });
  return {
    folds: results,
    ts,
    equity,
    returns,
    trades,
    sharpe: sharpe(returns, o.periodsPerYear),
    maxDrawdown: maxDrawdown(equity),
    totalReturn: equity.length ? equity[equity.length - 1]! / startCapital - 1 : NaN,
    // DSR: N = every (fold, point) evaluated in sample, V = the variance of their per-bar Sharpes.
    overfit: { ...overfit, deflated: deflatedSharpe(returns, allIsSharpes) },
  };
}
