/**
 * The sweep kernel for sma_cross trials (docs/optimize.md, "Sweep kernel"): a trial of a
 * single-model sma_cross plan evaluated without building a backtest result, with the same numbers
 * as the full trial (trial.ts `evaluateTrial` through `runBacktestAuto`), metric for metric, bit
 * for bit (test/optimize/sma-sweep.test.ts).
 *
 * What a sweep's combos share is prepared once per worker (`SweepSetup`: the validated plan without
 * its fast/slow/short, the engine's prepared run, the clock's close times, a NAV buffer); the
 * moving averages come from shared-sma.ts, computed once per period. Per combo the kernel computes
 * the side from the two shared averages, then runs the fast path's own bar loop (fast-path-loop.ts
 * `simulate`) with the fast path's book (fast-path-book.ts `FastBook`, whose fills, costs and cash
 * go through execution/costs.ts `fillCost` and execution/account.ts `Account`: the one copy of that
 * arithmetic), replays the fills through the engine's trade tracker (fast-path-result.ts
 * `tradesOf`) and computes the metrics with `performanceInput` + `computeMetrics`, as
 * `evaluateTrial` does. It skips what a trial does not read: the result's derived series (cash,
 * gross, net, drawdown, P&L; the exposure metric takes the count of held steps instead, the same
 * fraction), its records, digest and traces.
 *
 * It covers the runs the fast path completes without handing over; anything else answers null and
 * the caller runs the full backtest:
 * - statically (`sweepSetup` says why): a regime budget that changes the model's budget, a volume
 *   cap (max_participation), a kill switch inside the run, drawdown modes switched off (the loop's
 *   drawdown stop then no longer catches a NAV at or below 0), or a close column with a close ≤ 0;
 * - per combo: a risk limit binding at a decision or the drawdown leaving NORMAL (the loop's own
 *   stops), or a book that is ever short or holds negative cash (the fast path's margin and borrow
 *   checks then apply; the kernel leaves them to the full backtest).
 */
import { canonicalJson } from '../core/canonical.js';
import type { Dataset } from '../core/table.js';
import { prepareBacktest } from '../backtest/run-backtest.js';
import type { BacktestPlan } from '../backtest/run-backtest-plan.js';
import { prepareRun } from '../backtest/engine-setup.js';
import { finestInterval, type SymbolData } from '../backtest/engine-data.js';
import { E_CASH, E_Q, E_STEP, FastBook } from '../backtest/fast-path-book.js';
import { closeTimes, tradesOf } from '../backtest/fast-path-result.js';
import { firstStepAt, normalLeavesAt } from '../backtest/fast-path-thresholds.js';
import type { BacktestInput } from '../backtest/types.js';
import { calendarOfClasses, computeMetrics, dailyCloseRows, performanceInput, type CloseRows } from '../backtest/metrics/index.js';
import type { AssetClass } from '../core/table.js';
import type { CostRates, LotRule } from '../execution/types.js';
import type { LimitContext } from '../risk/limits.js';
import { parseSizing } from '../models/lib/sizing.js';
import { throwIfAborted } from '../core/errors.js';
import type { Interval } from '../core/time.js';
import { CROSS_BLOCK, crossTolerancePerClose, exactSide } from '../models/sma-cross.js';
import { closeBound, sharedBlockMax, sharedMean, sharesColumn } from './shared-sma.js';
import { jsonMetrics, type TrialOutcome } from './trial.js';

/** What every combo of one sweep shares (one symbol's bars, costs, limits, window). */
export interface SweepSetup {
  readonly input: BacktestInput;
  readonly dataset: Dataset;
  readonly d: SymbolData;
  readonly assetClass: AssetClass;
  readonly rates: CostRates;
  readonly lot: LotRule;
  readonly limitContext: LimitContext;
  readonly budget: number;
  readonly ddStop: number;
  readonly kStart: number;
  readonly kEnd: number;
  readonly times: Float64Array;
  readonly offset: number;
  /** Close times of the recorded steps (the result's `ts`). */
  readonly ts: Float64Array;
  readonly interval: Interval;
  /** The day-close rows of `ts` the daily metrics sample (metrics/annualisation.ts). */
  readonly closeRows: CloseRows;
  /** Reused per combo: the NAV at each step. */
  readonly nav: Float64Array;
}

/** The combo parameters of an sma_cross plan; everything else is the setup's. */
const COMBO_PARAMS = new Set(['fast', 'slow', 'short']);

const isSmaCross = (plan: BacktestPlan): boolean => plan.kind === 'single' && plan.models.length === 1 && plan.models[0]!.name === 'sma_cross';

/** The plan without its combo parameters: combos with the same key share a setup. */
function setupKey(plan: BacktestPlan, force: boolean): string {
  const pm = plan.models[0]!;
  const rest = Object.fromEntries(Object.entries(pm.params).filter(([k]) => !COMBO_PARAMS.has(k)));
  const { models: _models, ...backtest } = plan.backtest;
  return canonicalJson({ force, interval: plan.interval, backtest, regime: plan.regime, model: pm.name, budget: pm.budget, params: rest });
}

/** Setups by key, per thread; a hit also needs the very same dataset object. */
const setups = new Map<string, SweepSetup | string>();
const MAX_SETUPS = 8;

/**
 * The setup of `plan`'s sweep, or why the kernel does not cover it. Validation errors (no data, a
 * failed readiness gate) are thrown as the full trial throws them: the setup is prepared by the same
 * `prepareBacktest` and `prepareRun`.
 */
export function sweepSetup(plan: BacktestPlan, datasets: ReadonlyMap<string, Dataset>, force: boolean): SweepSetup | string {
  if (!isSmaCross(plan)) return 'not a single-model sma_cross plan';
  const key = setupKey(plan, force);
  const known = setups.get(key);
  if (known !== undefined && (typeof known === 'string' || datasets.get(known.dataset.name) === known.dataset)) return known;
  const made = makeSetup(plan, datasets, force);
  if (setups.size >= MAX_SETUPS) setups.delete(setups.keys().next().value!);
  setups.set(key, made);
  return made;
}

function makeSetup(plan: BacktestPlan, datasets: ReadonlyMap<string, Dataset>, force: boolean): SweepSetup | string {
  const prepared = prepareBacktest(plan, datasets, force);
  const input = prepared.input;
  const cfg = input.config;
  const prep = prepareRun(input);
  const sym = input.symbols[0]!;
  const dataset = datasets.get(sym.dataset)!;
  const d = prep.data[0]!;
  const budget = prep.budgets.base[0]!;
  if (input.symbols.length !== 1) return `${input.symbols.length} symbols`;
  if (prep.budgets.regimes.some((r) => r.budgets[0] !== budget)) return 'a regime budget changes the model’s budget';
  if (typeof cfg.execution.max_participation === 'number') return 'execution.max_participation caps fills by volume';
  const limits = prep.limitContext.limits;
  const { times, offset } = prep.clock;
  if (firstStepAt(times, offset, prep.kStart, prep.kEnd, limits.killAt) <= prep.kEnd) return 'the kill switch fires inside the run';
  const ddStop = normalLeavesAt(limits);
  if (!(ddStop <= 1)) return 'drawdown modes are off (a NAV at or below 0 would not stop the loop)';
  if (!sharesColumn(d.close)) return 'the close column holds a close ≤ 0 or not finite';
  if (cfg.execution.fill !== 'next_open') return `execution.fill ${cfg.execution.fill} (the kernel fills at the next open)`;
  if (cfg.execution.rebalance_band !== Infinity) return `execution.rebalance_band ${cfg.execution.rebalance_band} (the kernel holds to the next signal)`;
  if (cfg.execution.funding && d.funding !== null) return 'funding payments (the kernel charges none)';
  const steps = prep.kEnd - prep.kStart + 1;
  const ts = closeTimes(times, offset).subarray(prep.kStart, prep.kEnd + 1);
  return {
    input, dataset, d, assetClass: sym.assetClass, rates: prep.rates[0]!, lot: prep.lots[0]!, limitContext: prep.limitContext, budget, ddStop,
    kStart: prep.kStart, kEnd: prep.kEnd, times, offset, ts, interval: finestInterval(input.symbols),
    closeRows: dailyCloseRows(ts, calendarOfClasses([sym.assetClass])), nav: new Float64Array(steps),
  };
}

/**
 * One combo of the sweep: the trial outcome `evaluateTrial` gives for this plan, or null where the
 * run leaves what the kernel covers (the caller then runs the full backtest).
 */
export function evaluateSmaCombo(setup: SweepSetup, plan: BacktestPlan, signal?: AbortSignal): TrialOutcome | null {
  throwIfAborted(signal);
  const params = plan.models[0]!.params as { fast: number; slow: number; short: boolean; size: string };
  const cfg = setup.input.config;
  const { d, kEnd, nav } = setup;
  // the fast path hands a short signal under a borrow fee to the event engine
  if (params.short && setup.rates.borrow > 0) return null;
  const book = new FastBook(d, setup.assetClass, setup.rates, setup.lot, cfg.execution.adv_days, cfg.initial_capital, setup.limitContext, setup.budget, parseSizing(params.size), null);
  if (!runCombo(setup, params, book)) return null;
  const held = heldSteps(book, nav.length);
  if (held < 0) return null;
  const closed = tradesOf(book, d.symbol, d.close[kEnd]!).filter((t) => t.exitTs !== null);
  const perf = performanceInput({
    ts: setup.ts,
    equity: nav,
    interval: setup.interval,
    assetClasses: [setup.assetClass],
    tradePnl: Float64Array.from(closed, (t) => t.pnl),
    heldSteps: held,
    tradedNotional: book.traded,
    closeRows: setup.closeRows,
  });
  const metrics = computeMetrics(perf);
  // The fast path stops where the drawdown reaches ddStop (1 − NAV/peak, the peak from the initial
  // capital = this NAV series' first value): exactly where this maximum drawdown reaches it.
  if (!(metrics['max_drawdown']! < setup.ddStop)) return null;
  return { metrics: jsonMetrics(metrics), trades: closed.length, returnTs: Array.from(perf.returnTs), returns: Array.from(perf.returns), engine: 'sweep' };
}

/** The loop's running state (numbers in fields, so a call does not box them). */
class ComboState {
  cash = 0;
  q = 0;
  lastSide = NaN;
  /** Tolerance of the running-mean difference in the current 1024-bar block, and where the block ends. */
  tol = 0;
  blockEnd = 0;
  constructor(
    readonly fast: number,
    readonly slow: number,
    readonly below: number,
    readonly perClose: number,
    readonly meanFast: Float64Array,
    readonly meanSlow: Float64Array,
    readonly blockMax: Float64Array,
  ) {}
}

/**
 * The fast path's bar loop (fast-path-loop.ts `simulate`) for what the kernel covers (fills at the
 * next open, no rebalance band, no funding; the drawdown stop is checked afterwards, see
 * evaluateSmaCombo), with the side computed from the shared moving averages as it goes instead of
 * read from a column. Per bar: the working order fills at the open, the NAV is marked at the close,
 * the model decides where its side changes (the book's `decide`: sizing, risk limits), and the order
 * to the new target is sent (the book's `send`); bars on which nothing happens run in `quietBars`.
 * False when the fast path would stop (a risk limit binds).
 */
function runCombo(setup: SweepSetup, params: { fast: number; slow: number; short: boolean }, book: FastBook): boolean {
  const { d, kStart, kEnd, nav, times, offset } = setup;
  const { fast, slow } = params;
  const close = d.close;
  const barTs = d.ts;
  const st = new ComboState(fast, slow, params.short ? -1 : 0, crossTolerancePerClose(fast, slow), sharedMean(close, fast), sharedMean(close, slow), sharedBlockMax(close));
  st.cash = book.cash;
  st.q = book.q;
  const k0 = Math.max(kStart, Math.max(1, Math.floor(slow)) - 1);
  let tgt = 0;
  let changed = false;
  let pending = false;
  for (let k = kStart; k <= kEnd; k++) {
    if (!pending && !changed) {
      k = quietBars(st, setup, k0, k, kEnd);
      if (k > kEnd) break;
    }
    const r = k - kStart;
    if (pending && book.pendingPlaced <= barTs[k]!) {
      pending = false;
      book.fillPending(k, r);
      st.cash = book.cash;
      st.q = book.q;
    }
    const mark = close[k]!;
    const q = st.q;
    const navK = st.cash + (q !== 0 ? q * mark : 0);
    if (k >= k0) {
      const sd = sideAt(st, close, k);
      if (sd === sd && sd !== st.lastSide) {
        st.lastSide = sd;
        book.sd = sd;
        book.nav = navK;
        book.mark = mark;
        book.t = times[k]! + offset;
        const moved = book.decide(k, r);
        if (moved < 0) return false;
        if (moved > 0) changed = true;
        tgt = book.tgt;
      }
    }
    if (changed && (tgt !== 0 || q !== 0 || pending) && navK > 0) {
      changed = false;
      book.nav = navK;
      book.mark = mark;
      book.t = times[k]! + offset;
      pending = book.send(k, r, false);
    }
    nav[r] = navK;
  }
  return true;
}

/** The side at bar k ≥ slow − 1 (shared-sma.ts `sharedSide`'s rule, with the block's tolerance). */
function sideAt(st: ComboState, close: Float64Array, k: number): number {
  if (k >= st.blockEnd) blockTolerance(st, k);
  const dm = st.meanFast[k]! - st.meanSlow[k]!;
  const tol = st.tol;
  return dm > tol ? 1 : dm < -tol ? st.below : exactSide(close, k, st.fast, st.slow, st.below);
}

/**
 * The tolerance for the 1024-bar block holding bar k: crossSide's bound with C the largest close of
 * any block the closes read since either mean's last rebuild can lie in (bars k − 1023 − slow + 1 …
 * the block's end).
 */
function blockTolerance(st: ComboState, k: number): void {
  const start = k - (k % CROSS_BLOCK);
  st.blockEnd = start + CROSS_BLOCK;
  st.tol = st.perClose * closeBound(st.blockMax, start - (CROSS_BLOCK - 1) - Math.max(st.fast, st.slow) + 1, st.blockEnd - 1);
}

/**
 * Bars from … to while nothing happens (no order working, no target change pending): the NAV is
 * marked and recorded, and the side computed from k0 on. Returns the first bar whose side changes
 * (to + 1 when none); that bar is left to the general step.
 */
function quietBars(st: ComboState, setup: SweepSetup, k0: number, from: number, to: number): number {
  const { nav, kStart } = setup;
  const close = setup.d.close;
  const { cash, q, lastSide, below, meanFast, meanSlow } = st;
  let k = from;
  for (; k <= to && k < k0; k++) nav[k - kStart] = cash + (q !== 0 ? q * close[k]! : 0);
  while (k <= to) {
    if (k >= st.blockEnd) blockTolerance(st, k);
    const tol = st.tol;
    const end = Math.min(to + 1, st.blockEnd);
    if (q === 0) {
      // flat: the NAV is the cash (+ 0, as the general step adds it)
      const flat = cash + 0;
      for (; k < end; k++) {
        const dm = meanFast[k]! - meanSlow[k]!;
        const sd = dm > tol ? 1 : dm < -tol ? below : exactSide(close, k, st.fast, st.slow, below);
        if (sd !== lastSide && sd === sd) return k;
        nav[k - kStart] = flat;
      }
    } else {
      for (; k < end; k++) {
        const dm = meanFast[k]! - meanSlow[k]!;
        const sd = dm > tol ? 1 : dm < -tol ? below : exactSide(close, k, st.fast, st.slow, below);
        if (sd !== lastSide && sd === sd) return k;
        nav[k - kStart] = cash + q * close[k]!;
      }
    }
  }
  return k;
}
/**
 * Steps at which the book holds a position (gross exposure > 0: every NAV is > 0 here, the loop
 * stops at a NAV ≤ 0), from the logged cash/position changes; −1 when the book is ever short or
 * holds negative cash (left to the full backtest's margin and borrow checks).
 */
function heldSteps(book: FastBook, steps: number): number {
  const ev = book.events;
  const n = ev.length;
  if (n === 0) return 0;
  const step = ev.column(E_STEP);
  const cash = ev.column(E_CASH);
  const qty = ev.column(E_Q);
  let held = 0;
  for (let e = 0; e < n; e++) {
    const q = qty[e]!;
    if (q < 0 || cash[e]! < 0) return -1;
    const until = e + 1 < n ? step[e + 1]! : steps;
    if (q !== 0) held += until - step[e]!;
  }
  return held;
}
