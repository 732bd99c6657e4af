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
import { throwIfAborted } from '../core/errors.js';
import { isoUtc } from '../core/time.js';
import type { Model } from '../models/types.js';
import type { RiskLimits } from '../risk/types.js';
import type { SignalTrace } from './probes.js';
import { prepareRun } from './engine-setup.js';
import { FastBook, type DecisionTrace } from './fast-path-book.js';
import { fastResult } from './fast-path-result.js';
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

/**
 * The drawdown at which `nextRiskMode(MODE_NORMAL, dd, t, limits)` leaves NORMAL (t before the kill
 * time): dd ≥ reduce_at or dd ≥ halt_at, i.e. dd ≥ the smaller of the two (a NaN limit never fires,
 * as in nextRiskMode). The loop compares each bar's drawdown with it instead of calling nextRiskMode.
 */
export function normalLeavesAt(limits: Pick<RiskLimits, 'reduceAt' | 'haltAt'>): number {
  const a = limits.reduceAt;
  const b = limits.haltAt;
  if (a !== a) return b !== b ? Infinity : b;
  if (b !== b) return a;
  return a < b ? a : b;
}

/**
 * The drawdown check without a division on most bars: with f = drawdownFloor(ddStop), a NAV above
 * peak × f has 1 − NAV/peak < ddStop in floating point (so the loop skips the division), and only a
 * NAV at or below it is checked exactly. f = (1 − ddStop)(1 + 1e-9): the margin 1e-9 exceeds the
 * rounding of the product, the quotient and the subtraction (each ≤ 2^-53 relative) as long as
 * 1 − ddStop ≥ 1e-6; outside 0 < ddStop ≤ 1 − 1e-6 it returns Infinity (every bar exact).
 */
export function drawdownFloor(ddStop: number): number {
  if (!(ddStop > 0 && ddStop <= 1 - 1e-6)) return Infinity;
  return (1 - ddStop) * (1 + 1e-9);
}

/** The first clock step in [from, to] whose time (times[k] + offset) is at or after `at` (to + 1 when none). */
export function firstStepAt(times: Float64Array, offset: number, from: number, to: number, at: number): number {
  let lo = from;
  let hi = to + 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! + offset >= at) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

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
  const tv = fm.model.targetsVector(input.symbols[0]!.bars.columns);
  const side = tv.side;
  if (side.length < d.n) return stop(`the signal has ${side.length} rows for ${d.n} bars`);

  const trace = fm.trace;
  const tT = trace?.t as number[] | undefined;
  const tK = trace?.k as string[] | undefined;
  const tS = trace?.s as string[] | undefined;
  // Decisions for the trace (bar, key, direction key); the trace itself is written after the loop.
  const dec: DecisionTrace | null = tK ? { k: [], key: [], dir: [], signs: fm.signsOnly ?? false } : null;
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
  const warmNeed = Math.max(1, Math.floor(fm.warmupBars));
  const k0 = Math.max(kStart, warmNeed - 1);
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
  if (tT && tK && dec && k0 <= kEnd) fillTrace(tT, tK, tS, times, offset, k0, kEnd, dec.k, dec.key, dec.dir);
  throwIfAborted(input.signal);
  input.onProgress?.({ step: steps, steps, t: times[kEnd]! + offset });
  const result = fastResult(input, { book, nav: navA, times, offset, kStart, close, mark: close[kEnd]! });
  return { ok: true, result };
}

/** What the bar loop reads (kept apart from the setup so the loop is compiled on its own). */
interface Sim {
  readonly kStart: number;
  /** Last step simulated: the last step, or the step before the kill switch fires. */
  readonly kLast: number;
  /** First step at which the model may decide (warm-up). */
  readonly k0: number;
  readonly side: Float64Array;
  readonly close: Float64Array;
  readonly open: Float64Array;
  readonly barTs: Float64Array;
  readonly times: Float64Array;
  readonly offset: number;
  readonly funding: Float64Array | null;
  readonly band: number;
  readonly sameClose: boolean;
  readonly ddStop: number;
  /** NAV at each step (written). */
  readonly navA: Float64Array;
  readonly steps: number;
  readonly initialCapital: number;
  readonly checkEvery: number;
  readonly nextCheck: number;
  readonly signal: AbortSignal | undefined;
  readonly onProgress: BacktestInput['onProgress'];
}

/**
 * The bar loop: per step the working order fills at the open, funding settles at the close, NAV and
 * drawdown are marked (the drawdown must stay below `ddStop`), the model decides where its side
 * changes, the order to target is sent when the target moved or the weight drifted beyond the band,
 * and the NAV is recorded. Cash and position live in locals; only events call into the book, and
 * they pass the bar's numbers in the book's fields (`sd`, `nav`, `mark`, `t`) rather than as
 * arguments, which V8 would box into a fresh heap number per call.
 * Returns why the fast path must stop, or null.
 */
function simulate(s: Sim, book: FastBook): string | null {
  const { kStart, kLast, k0, side, close, barTs, times, offset, funding, band, sameClose, ddStop, navA, steps, checkEvery, signal, onProgress } = s;
  let nextCheck = s.nextCheck;
  let cash = book.cash;
  let q = book.q;
  let peak = s.initialCapital;
  const floorFactor = drawdownFloor(ddStop);
  let floor = peak * floorFactor;
  let lastSide = NaN;
  let tgt = 0;
  let changed = false;
  let pending = false;
  const qs = new Quiet(s, floorFactor);
  for (let k = kStart; k <= kLast; k++) {
    // Bars on which nothing happens run in `quiet` (a loop without calls); it stops at the first bar
    // that needs this general step.
    if (!pending && !changed && k < nextCheck) {
      qs.cash = cash;
      qs.q = q;
      qs.tgt = tgt;
      qs.lastSide = lastSide;
      qs.peak = peak;
      qs.floor = floor;
      k = quiet(qs, k, Math.min(kLast, nextCheck - 1));
      peak = qs.peak;
      floor = qs.floor;
      if (k > kLast) break;
    }
    if (k === nextCheck) {
      nextCheck += checkEvery;
      throwIfAborted(signal);
      if (onProgress) onProgress({ step: k - kStart, steps, t: times[k]! + offset });
    }
    const r = k - kStart;
    // 1. bar k closes: the working order fills at its open, funding settles at its close
    if (pending && book.pendingPlaced <= barTs[k]!) {
      pending = false;
      book.fillPending(k, r);
      cash = book.cash;
      q = book.q;
    }
    const mark = close[k]!;
    if (funding !== null && q !== 0) {
      const rate = funding[k]!;
      if (rate !== 0 && rate === rate) {
        book.mark = mark;
        book.fund(rate, r);
        cash = book.cash;
      }
    }
    // 2. NAV, drawdown; the risk mode must stay NORMAL (the drawdown is computed only below the floor)
    const nav = cash + (q !== 0 ? q * mark : 0);
    if (nav > peak) {
      peak = nav;
      floor = peak * floorFactor;
    }
    if (!(nav > floor)) {
      const dd = peak > 0 ? 1 - nav / peak : 0;
      if (dd >= ddStop) return `the drawdown reaches ${dd.toFixed(4)} at ${isoUtc(times[k]! + offset)} (risk mode leaves NORMAL)`;
    }
    // 3. the model decides where its side changes; 4. targets
    if (k >= k0) {
      const sd = side[k]!;
      if (sd === sd && sd !== lastSide) {
        lastSide = sd;
        book.sd = sd;
        book.nav = nav;
        book.mark = mark;
        book.t = times[k]! + offset;
        const moved = book.decide(k, r);
        if (moved < 0) return book.why;
        if (moved > 0) changed = true;
        tgt = book.tgt;
      }
    }
    // 5. orders: to target when it changed, else when the weight drifted beyond the band
    if ((tgt !== 0 || q !== 0 || pending) && nav > 0) {
      let send = changed;
      if (!changed && band !== Infinity) {
        const dv = tgt - (q * mark) / nav;
        if (!(dv <= band && dv >= -band) && !pending) {
          book.nav = nav;
          book.mark = mark;
          book.refresh();
          send = true;
        }
      }
      if (send) {
        changed = false;
        book.nav = nav;
        book.mark = mark;
        book.t = times[k]! + offset;
        pending = book.send(k, r, sameClose);
        if (book.cash !== cash || book.q !== q) {
          // a same-close fill: NAV marked again after it
          cash = book.cash;
          q = book.q;
          const nav2 = cash + (q !== 0 ? q * mark : 0);
          if (nav2 > peak) {
            peak = nav2;
            floor = peak * floorFactor;
          }
          navA[r] = nav2;
          continue;
        }
      }
    }
    // 6. record (cash and position unchanged since step 2: the NAV is the one marked there)
    navA[r] = nav;
  }
  return null;
}

/** The quiet loop's inputs and running state (numbers in fields: no heap number per call). */
class Quiet {
  cash = 0;
  q = 0;
  tgt = 0;
  lastSide = NaN;
  peak = 0;
  floor = 0;
  /** Sum of the columns read ahead (kept so the reads are not optimised away). */
  warm = 0;
  readonly kStart: number;
  readonly k0: number;
  readonly band: number;
  readonly side: Float64Array;
  readonly close: Float64Array;
  readonly open: Float64Array;
  readonly barTs: Float64Array;
  readonly times: Float64Array;
  readonly funding: Float64Array | null;
  readonly navA: Float64Array;

  constructor(
    s: Sim,
    readonly floorFactor: number,
  ) {
    this.kStart = s.kStart;
    this.k0 = s.k0;
    this.band = s.band;
    this.side = s.side;
    this.close = s.close;
    this.open = s.open;
    this.barTs = s.barTs;
    this.times = s.times;
    this.funding = s.funding;
    this.navA = s.navA;
  }
}

/**
 * Bars `from` … `to` while nothing happens on them: no order working and no target change pending
 * (the caller's conditions), no funding payment, the NAV above the drawdown floor, the side unchanged
 * or no opinion, the weight inside the band. Such a bar only marks the NAV, moves the peak and
 * records the NAV — what `simulate`'s general step would do on it, in the same operations. Returns the
 * first bar on which something happens (to + 1 when none); the peak and floor go back in `st`.
 */
function quiet(st: Quiet, from: number, to: number): number {
  const { kStart, k0, band, side, close, open, barTs, times, funding, navA, floorFactor, cash, q, tgt, lastSide } = st;
  let warm = 0;
  let peak = st.peak;
  let floor = st.floor;
  const inMarket = tgt !== 0 || q !== 0;
  let k = from;
  for (; k <= to; k++) {
    const mark = close[k]!;
    if (funding !== null && q !== 0) {
      const rate = funding[k]!;
      if (rate !== 0 && rate === rate) break;
    }
    const nav = cash + (q !== 0 ? q * mark : 0);
    if (nav > peak) {
      peak = nav;
      floor = peak * floorFactor;
    }
    if (!(nav > floor)) break;
    if (k >= k0) {
      const sd = side[k]!;
      if (sd === sd && sd !== lastSide) break;
    }
    if (inMarket && nav > 0 && band !== Infinity) {
      const dv = tgt - (q * mark) / nav;
      if (!(dv <= band && dv >= -band)) break;
    }
    navA[k - kStart] = nav;
    // Read the columns the general step reads at events (decision times, bar opens and open times),
    // so they stream through the cache with the rest instead of missing it at every event.
    warm += open[k]! + barTs[k]! + times[k]!;
  }
  st.peak = peak;
  st.floor = floor;
  st.warm = warm;
  return k;
}

/**
 * What probes.ts `traceModel` records, one entry per decide call (bars k0..kEnd): the decision time
 * and the effective weights key (and direction key), which only change at decisions. Written in
 * bulk: the arrays are sized once and the keys filled per run of equal values (pushing 3 × 1M
 * entries one by one cost more than the whole simulation).
 */
function fillTrace(
  tT: number[], tK: string[], tS: string[] | undefined, times: Float64Array, offset: number, k0: number, kEnd: number,
  decK: readonly number[], decKey: readonly string[], decDir: readonly string[],
): void {
  const base = tT.length;
  const m = kEnd - k0 + 1;
  tT.length = base + m;
  for (let k = k0; k <= kEnd; k++) tT[base + k - k0] = times[k]! + offset;
  // probes.ts keyOf({}) before the first decision
  const fill = (arr: string[], keys: readonly string[]): void => {
    const from = arr.length;
    arr.length = from + m;
    let at = from;
    let key = '0';
    for (let i = 0; i < decK.length; i++) {
      const to = from + decK[i]! - k0;
      arr.fill(key, at, to);
      at = to;
      key = keys[i]!;
    }
    arr.fill(key, at, from + m);
  };
  fill(tK, decKey);
  if (tS) fill(tS, decDir);
}
