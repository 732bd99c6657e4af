/**
 * The single-asset fast path (docs/backtest-engine.md "Fast path"): one model with a vectorised
 * signal (`Model.targetsVector`) on one symbol, simulated in one pass over the bars with the event
 * engine's execution rules, so the result is the one `runBacktest` gives, number for number
 * (test/backtest/fast-path*.test.ts checks that, digests included).
 *
 * Per bar (= per step: one symbol's closes are the clock): the pending market order fills at this
 * bar's open, funding settles at its close, NAV and drawdown are marked at the close; where the
 * side changes the model "decides" (weight = side × sizeWeight at this close and NAV), targets go
 * through the risk limits, and the order to target is sent (filled next open, or at once with
 * `same_close`); drift beyond the rebalance band re-sends it; then the NAV is recorded. Bars on
 * which nothing happens run in `quiet`, a loop without calls; the others in `simulate`'s general
 * step, which calls into the book (fast-path-book.ts). Nothing is allocated per bar; orders, fills
 * and cash changes go into columnar logs, and the result derives its other series and its records
 * from them when they are read (fast-path-result.ts).
 *
 * It only covers what keeps the risk engine out of the way. When a limit would bind or the risk
 * mode would leave NORMAL (drawdown modes, kill switch), it stops and says why; the caller then runs
 * the event engine (fast-path-select.ts).
 */
import { InvariantError, throwIfAborted } from '../core/errors.js';
import { isoUtc } from '../core/time.js';
import type { Model, TargetVector } from '../models/types.js';
import type { BarFrame } from '../core/table.js';
import { ArrayRuns, isEmptyTrace, type KeyRuns, type SignalTrace } from './probes.js';
import { prepareRun } from './engine-setup.js';
import { E_CASH, E_Q, E_STEP, FastBook, traceKey, type DecisionTrace } from './fast-path-book.js';
import { liquidationFill, liquidationPrice, maintenanceRates } from '../execution/margin.js';
import type { SymbolData } from './engine-data.js';
import { closeTimes, fastResult } from './fast-path-result.js';
import { sizeWeight } from '../models/lib/sizing.js';
import { simulate } from './fast-path-loop.js';
import { probeSignalOf, signalOf, signalTraceRuns } from './fast-path-signal.js';
import { firstStepAt, normalLeavesAt } from './fast-path-thresholds.js';
import type { BacktestInput, BacktestResult } from './types.js';

/** The model to run on the fast path, and what the probes' trace wrapper would have done. */
export interface FastModel {
  /** The model as built: it must have `targetsVector`. */
  readonly model: Model;
  /** Warm-up in bars (a warm-up probe overrides the model's). */
  readonly warmupBars: number;
  /** Filled like probes.ts `traceModel` fills it: one entry per decide call. */
  readonly trace?: SignalTrace;
  /** The trace records weight signs only. */
  readonly signsOnly?: boolean;
}

export type FastOutcome = { readonly ok: true; readonly result: BacktestResult } | { readonly ok: false; readonly reason: string };

const stop = (reason: string): FastOutcome => ({ ok: false, reason });

export function runFastPath(input: BacktestInput, fm: FastModel): FastOutcome {
  const cfg = input.config;
  const prep = prepareRun(input);
  const { kStart, kEnd } = prep;
  const d = prep.data[0]!;
  const lc = prep.limitContext;
  const limits = lc.limits;
  const B = prep.budgets.base[0]!;
  for (const r of prep.budgets.regimes) {
    if (r.budgets[0] !== B) return stop(`regime budget ${r.key} changes the model's budget`);
  }
  if (!fm.model.targetsVector) return stop(`model '${fm.model.name}' has no vectorised signal`);
  const cap = cfg.execution.max_participation;
  if (typeof cap === 'number') return stop(`execution.max_participation ${cap} caps fills by bar volume; the fast path fills whole orders`);
  const tv = signalOf(fm.model, input.symbols[0]!.bars.columns);
  const side = tv.side;
  if (side.length < d.n) return stop(`the signal has ${side.length} rows for ${d.n} bars`);

  const trace = fm.trace;
  if (trace && !isEmptyTrace(trace)) throw new InvariantError('the fast path writes a fresh trace (one per run)');
  const warmNeed = Math.max(1, Math.floor(fm.warmupBars));
  const k0 = Math.max(kStart, warmNeed - 1);
  // The trace's keys: from the signal's decision table where the sizing is a fraction of equity (as
  // for a probe run, traceFromSignal), else the loop records the decisions (bar, key, direction
  // key) and the trace is written from them after the loop.
  const signalRuns = trace && k0 <= kEnd ? signalTraceRuns(tv, k0, kEnd, fm.signsOnly ?? false) : null;
  const dec: DecisionTrace | null = trace && signalRuns === null ? { k: [], key: [], dir: [], signs: fm.signsOnly ?? false } : null;
  const book = new FastBook(d, input.symbols[0]!.assetClass, prep.rates[0]!, prep.lots[0]!, cfg.execution.adv_days, cfg.initial_capital, lc, B, tv.sizing, dec);
  const sameClose = cfg.execution.fill === 'same_close';
  const band = cfg.execution.rebalance_band;
  const funding = cfg.execution.funding ? d.funding : null;

  const steps = kEnd - kStart + 1;
  const navA = new Float64Array(steps);
  const times = prep.clock.times;
  const offset = prep.clock.offset;
  const barTs = d.ts;
  const close = d.close;
  // Borrow fees on shorts are charged by the event engine only: a signal that goes short under a
  // nonzero borrow rate hands the run over (a long-only signal never borrows, so it stays here).
  const borrow = prep.rates[0]!.borrow;
  if (borrow > 0) {
    for (let k = k0; k <= kEnd; k++) {
      if (side[k]! < 0) {
        return stop(`the signal goes short at ${isoUtc(times[k]! + offset)} and backtest.costs charges borrow on shorts (${borrow * 1e4} bps/yr); the fast path does not charge borrow`);
      }
    }
  }
  // Risk mode: it leaves NORMAL at the kill time or at this drawdown (then the event engine runs).
  const ddStop = normalLeavesAt(limits);
  const kKill = firstStepAt(times, offset, kStart, kEnd, limits.killAt);
  const kLast = Math.min(kEnd, kKill - 1);

  const checkEvery = Math.max(1, input.checkEvery ?? 65536);
  const why = simulate(
    {
      kStart, kLast, k0, side, close, open: d.open, barTs, times, offset, funding, band, sameClose, ddStop, navA, steps, initialCapital: cfg.initial_capital,
      checkEvery, nextCheck: Math.ceil(kStart / checkEvery) * checkEvery, signal: input.signal, onProgress: input.onProgress,
    },
    book,
  );
  if (why !== null) return stop(why);
  if (kLast < kEnd) return stop(`the kill switch fires at ${isoUtc(times[kKill]! + offset)}`);
  const margin = maintenanceRates([input.symbols[0]!.assetClass], cfg.risk.maintenance_margin)[0]!;
  const liquidatedAt = marginReached(book, d, kStart, kEnd, margin);
  if (liquidatedAt >= 0) return stop(`the position reaches its maintenance margin at ${isoUtc(times[liquidatedAt]! + offset)} (liquidation runs on the event engine)`);
  if (trace && signalRuns !== null) setTrace(trace, times, offset, k0, kEnd, signalRuns);
  else if (trace && dec && k0 <= kEnd) writeTrace(trace, times, offset, k0, kEnd, dec);
  throwIfAborted(input.signal);
  input.onProgress?.({ step: steps, steps, t: times[kEnd]! + offset });
  const result = fastResult(input, { book, nav: navA, times, offset, kStart, close, mark: close[kEnd]! });
  return { ok: true, result };
}

/**
 * The first bar at which the run's position would reach its maintenance margin (execution/margin.ts),
 * or −1. Read from the book's cash/position log after the run: a run that never holds a short and
 * never borrows cash cannot reach it (skipped without a pass over the bars). Conservative: a bar is
 * checked with the position before and after its events, so a borderline bar hands over too.
 */
function marginReached(book: FastBook, d: SymbolData, kStart: number, kEnd: number, margin: number): number {
  const ev = book.events;
  const n = ev.length;
  if (n === 0) return -1;
  // read in place: the columns are copied only for a levered run
  if (!ev.anyBelow(E_Q, 0) && !ev.anyBelow(E_CASH, 0)) return -1;
  const step = ev.column(E_STEP);
  const cash = ev.column(E_CASH);
  const qty = ev.column(E_Q);
  const reached = (c: number, q: number, k: number): boolean =>
    q !== 0 && c === c && liquidationFill(q, liquidationPrice(q, margin, c), d.open[k]!, d.high[k]!, d.low[k]!) !== null;
  let e = 0;
  let c = NaN;
  let q = 0;
  for (let k = kStart; k <= kEnd; k++) {
    if (reached(c, q, k)) return k;
    while (e < n && step[e]! <= k - kStart) {
      c = cash[e]!;
      q = qty[e]!;
      e++;
    }
    if (reached(c, q, k)) return k;
    if (e >= n && q === 0) return -1;
  }
  return -1;
}

/**
 * What probes.ts `traceModel` records, one entry per decide call (bars k0..kEnd): the decision time
 * and the effective weights key (and direction key), which only change at decisions. The times are
 * a view of the clock's close times (shared with the result's `ts`), the keys runs from one
 * decision to the next (filling 1M-entry arrays cost more than the whole simulation).
 */
function writeTrace(trace: SignalTrace, times: Float64Array, offset: number, k0: number, kEnd: number, dec: DecisionTrace): void {
  trace.t = closeTimes(times, offset).subarray(k0, kEnd + 1);
  // probes.ts keyOf({}) before the first decision; runs end where the next decision starts
  const n = dec.k.length;
  const ends: number[] = new Array(n + 1);
  for (let i = 0; i < n; i++) ends[i] = dec.k[i]! - k0;
  ends[n] = kEnd - k0 + 1;
  const runs = (keys: readonly string[]): KeyRuns => {
    const all: string[] = new Array(n + 1);
    all[0] = '0';
    for (let i = 0; i < n; i++) all[i + 1] = keys[i]!;
    return new ArrayRuns(all, ends);
  };
  trace.k = runs(dec.key);
  if (trace.s) trace.s = runs(dec.dir);
}

/**
 * The probes' trace of a run from the model's signal alone, without simulating, where the trace
 * cannot depend on the simulation: one model with a vectorised signal sized as a fraction of
 * equity, so every weight it emits is side × fraction whatever the NAV, the price or the risk mode
 * (the event engine calls `decide` at every step after the warm-up, in every risk mode). The model
 * decides where the fast path's loop has it decide (fast-path-loop.ts): from the warm-up on, at
 * each bar whose side is a number and differs from the last; the keys are a window over the
 * signal's decision table (fast-path-signal.ts `signalTraceRuns`). False when that does not hold;
 * the caller then runs the backtest. test/backtest/fast-path-report.test.ts checks the probes'
 * outcomes against the event engine's, test/backtest/fast-path-probes.test.ts the traces.
 */
export function traceFromSignal(input: BacktestInput, fm: FastModel): boolean {
  const trace = fm.trace;
  if (!trace || !isEmptyTrace(trace) || input.models.length !== 1 || input.symbols.length !== 1 || !fm.model.targetsVector) return false;
  const prep = prepareRun(input);
  const { kStart, kEnd } = prep;
  const d = prep.data[0]!;
  const tv = probeSignalOf(fm.model, input.symbols[0]!.bars.columns);
  if (tv.sizing.mode !== 'equity' || tv.side.length < d.n) return false;
  const k0 = Math.max(kStart, Math.max(1, Math.floor(fm.warmupBars)) - 1);
  if (k0 > kEnd) return true;
  const runs = signalTraceRuns(tv, k0, kEnd, fm.signsOnly ?? false);
  if (runs === null) return false;
  setTrace(trace, prep.clock.times, prep.clock.offset, k0, kEnd, runs);
  return true;
}

/** A trace's times (a view of the clock's close times, bars k0 … kEnd) and key runs. */
function setTrace(trace: SignalTrace, times: Float64Array, offset: number, k0: number, kEnd: number, runs: { k: KeyRuns; s: KeyRuns }): void {
  trace.t = closeTimes(times, offset).subarray(k0, kEnd + 1);
  trace.k = runs.k;
  if (trace.s) trace.s = runs.s;
}
