/**
 * One sma_cross combo of a sweep batch, run 1024 bars at a time (docs/optimize.md, "Sweep kernel"):
 * the batch (sma-sweep.ts `evaluateSmaCombos`) fills the moving averages of one aligned 1024-bar
 * block for every period its combos use (shared-sma.ts `MeanCursor`, a few hundred KB that stay in
 * cache), then advances each combo over that block. A combo keeps its loop state between blocks.
 *
 * The loop is the fast path's bar loop (fast-path-loop.ts `simulate`) for what the kernel covers:
 * the working order fills at the open, the NAV is marked at the close, the model decides where its
 * side changes (sweep-book.ts `decide`: sizing, the risk limits' free range) and the order to the new
 * target is sent (`send`). It is one loop over the bars with its state in locals; a bar where
 * nothing happens costs the side test, the NAV and the step figures below. No NAV series is kept:
 * each marked NAV goes straight into what the metrics read from the series (`EquitySteps`,
 * src/backtest/metrics/types.ts) and into the NAV at the day-close rows the daily returns sample:
 *
 * - the sum of the NAV steps, added in step order (turnover.ts);
 * - the maximum drawdown max_i (1 − E_i / max(E_0..i)) (max-drawdown.ts). Between two new peaks the
 *   peak P is fixed and 1 − E/P falls as E rises (both roundings are monotone), so the maximum over
 *   that stretch is the value at its lowest NAV: 1 − E/P is evaluated only at a new low since the
 *   last peak, the same maximum without a division per step;
 * - the number of steps holding a position (exposure.ts, from a count).
 *
 * The batch compares the outcome with the full backtest's byte for byte in test/optimize/sma-sweep.test.ts.
 */
import { CROSS_BLOCK, crossTolerancePerClose, exactSide } from '../models/sma-cross.js';
import { closeBound, sharedBlockMax, sharedBlockMin } from './shared-sma.js';
import { LOW_SLOT, PEAK_SLOT, SUM_SLOT, WORST_SLOT, closeBase, rowBase, scanFlat, scanHeld, scanHeldBounded, scanHeldLow, slots } from './sweep-scan.js';
import type { SweepBook } from './sweep-book.js';

/** Bars per block: the model's rebuild block, so one crossing tolerance holds for a whole block. */
export const BAR_BLOCK = CROSS_BLOCK;

/**
 * What a combo reads from its sweep (sma-sweep.ts `SweepSetup`). A class with its offset in a
 * Float64Array rather than an object literal (sweep-book.ts `SweepMarket` says why).
 */
export class ComboClock {
  private readonly numbers: Float64Array;

  constructor(
    readonly close: Float64Array,
    readonly barTs: Float64Array,
    readonly times: Float64Array,
    offset: number,
    readonly kStart: number,
    /** Steps (bars kStart … kEnd) whose NAV is sampled, in order (a row may repeat). */
    readonly sampleRows: Int32Array,
  ) {
    this.numbers = Float64Array.of(offset);
  }

  /** Close time of bar k = times[k] + offset. */
  get offset(): number {
    return this.numbers[0]!;
  }
}

/** Indices of the loop's numbers in `ComboRun.num`. */
const CASH = 0;
const Q = 1;
const LAST_SIDE = 2;
const TGT = 3;
const NAV_SUM = 4;
const PEAK = 5;
const LOW = 6;
const WORST = 7;
const TOL = 8;
const PLACED = 9;

export class ComboRun {
  /**
   * The loop's numbers between blocks, in a Float64Array (no boxed field, no shape change when a
   * field first holds a fraction): cash and position, the last side, the target, the sum of the NAV
   * steps, the peak and the lowest NAV since it, the maximum drawdown, the crossing tolerance of the
   * current block, the working order's decision time.
   */
  private readonly num = new Float64Array(10);
  /** A decision moved the target and its order is not sent yet; an order is working. */
  private changed = false;
  private pending = false;
  /** Steps at which the book held a position. */
  held = 0;
  /** The NAV at each sample row, and the bar of the next row (−1: none left). */
  readonly samples: Float64Array;
  private sampled = 0;
  private rowBar: number;
  private readonly below: number;
  private readonly perClose: number;
  private readonly k0: number;
  /** The largest and the smallest close of each aligned block (shared-sma.ts `columnFacts`). */
  private readonly blockMax: Float64Array;
  private readonly blockMin: Float64Array;

  constructor(
    private readonly clock: ComboClock,
    readonly fast: number,
    readonly slow: number,
    short: boolean,
    readonly book: SweepBook,
    /** Rows of the fast and slow averages in the block buffer. */
    private readonly fastRow: number,
    private readonly slowRow: number,
  ) {
    this.num[CASH] = book.cash;
    this.num[Q] = book.q;
    this.num[LAST_SIDE] = NaN;
    this.below = short ? -1 : 0;
    this.perClose = crossTolerancePerClose(fast, slow);
    this.k0 = Math.max(clock.kStart, Math.max(1, Math.floor(slow)) - 1);
    this.blockMax = sharedBlockMax(clock.close);
    this.blockMin = sharedBlockMin(clock.close);
    // the first step's NAV: the initial cash (nothing is held or working before it)
    this.num[PEAK] = this.num[LOW] = book.cash + 0;
    this.samples = new Float64Array(clock.sampleRows.length);
    this.rowBar = clock.sampleRows.length > 0 ? clock.sampleRows[0]! + clock.kStart : -1;
  }

  /** Is the first NAV positive (else the maximum drawdown is NaN and the kernel declines)? */
  get startsPositive(): boolean {
    return this.num[PEAK]! > 0;
  }

  /** Sum of the NAV steps so far (in step order). */
  get navSum(): number {
    return this.num[NAV_SUM]!;
  }

  /** Maximum drawdown of the NAV steps so far. */
  get maxDrawdown(): number {
    return this.num[WORST]!;
  }

  /**
   * Bars b0 … b1 − 1 (inside one aligned block) with the averages of that block in `means` (row i
   * of the buffer at i · BAR_BLOCK, bar k at its k mod BAR_BLOCK): the buffer and the block's closes
   * in the quiet loops' memory (sweep-scan.ts `meanRows`, `loadCloses`). False when the fast path would
   * stop or hand over (a risk limit binds; the book goes short or into negative cash).
   */
  advance(b0: number, b1: number, means: Float64Array): boolean {
    const base = b0 - (b0 % BAR_BLOCK);
    if (b1 > this.k0) {
      // crossSide's bound with C the largest close of any block the closes read since either mean's last rebuild can lie in
      this.num[TOL] = this.perClose * closeBound(this.blockMax, base - (BAR_BLOCK - 1) - Math.max(this.fast, this.slow) + 1, base + BAR_BLOCK - 1);
    }
    // before k0 the model has no side: nothing is held, working or decided
    const from = Math.min(b1, Math.max(b0, this.k0));
    if (from > b0) this.flat(b0, from);
    return from < b1 ? this.run(from, b1, means, this.fastRow * BAR_BLOCK - base, this.slowRow * BAR_BLOCK - base, base) : true;
  }

  /** Bars from … to − 1 before k0: every NAV step is the initial cash (+ 0, as a marked step adds it). */
  private flat(from: number, to: number): void {
    const num = this.num;
    const nav = num[CASH]! + 0;
    let sum = num[NAV_SUM]!;
    for (let k = from; k < to; k++) {
      sum += nav;
      if (k === this.rowBar) this.sample(k, nav);
    }
    num[NAV_SUM] = sum;
    // the same NAV on every step of the stretch: one drawdown update stands for all of them
    if (nav > num[PEAK]!) num[PEAK] = num[LOW] = nav;
    else if (nav < num[LOW]!) {
      num[LOW] = nav;
      const dd = 1 - nav / num[PEAK]!;
      if (dd > num[WORST]!) num[WORST] = dd;
    }
  }

  /**
   * Bars from … to − 1, from k0 on (the fast path's step): the working order fills at the open; the
   * NAV is marked at the close; where the side differs from the last one the model decides; a moved
   * target sends its order. The side test at a bar is one comparison: with dir = 1 for the side 1 and
   * −1 for the side below, the averages' difference times dir (exact) above the tolerance means the
   * last side again; anything else asks the full rule (shared-sma.ts `sharedSide`: decisive beyond
   * ±tol, else `exactSide`). Before the first side the gate is +∞, so every bar asks. The quiet
   * stretches run in WebAssembly (sweep-scan.wat: the same operations in the same order), which
   * hands the figures it changed back in `slots`.
   */
  private run(from: number, to: number, means: Float64Array, fastAt: number, slowAt: number, base: number): boolean {
    const { close, barTs, times, offset } = this.clock;
    const { book, num, fast, slow, below, blockMax, blockMin } = this;
    const tol = num[TOL]!;
    let cash = num[CASH]!;
    let q = num[Q]!;
    // the position the NAV marks: +0 when flat, so cash + qMark · close is the step's cash + 0
    let qMark = q !== 0 ? q : 0;
    let held = q !== 0 ? 1 : 0;
    let lastSide = num[LAST_SIDE]!;
    let tgt = num[TGT]!;
    let placed = num[PLACED]!;
    let sum = num[NAV_SUM]!;
    let peak = num[PEAK]!;
    let low = num[LOW]!;
    let worst = num[WORST]!;
    let steps = this.held;
    let rowBar = this.rowBar;
    let changed = this.changed;
    let pending = this.pending;
    let dir = lastSide === 1 ? 1 : -1;
    let gate = lastSide === lastSide ? tol : Infinity;
    let ok = true;
    // byte bases of the two averages' rows and of the block's closes in the quiet loops' memory
    const fastBase = rowBase(fastAt);
    const slowBase = rowBase(slowAt);
    const closeAt = closeBase(base);
    let k = from;
    for (; k < to; k++) {
      if (!pending && !changed) {
        // quiet bars up to the next sample row: the last side holds and no order works; stops at the
        // first bar whose side may differ (the general step below takes it)
        const end = rowBar >= k && rowBar < to ? rowBar : to;
        const start = k;
        if (qMark === 0) {
          const flat = cash + 0;
          k = scanFlat(fastBase, slowBase, k, end, dir, gate, sum, flat);
          sum = slots[SUM_SLOT]!;
          // the same NAV on every step of the stretch: one drawdown update stands for all of them
          if (k > start) {
            if (flat > peak) peak = low = flat;
            else if (flat < low) {
              low = flat;
              const dd = 1 - flat / peak;
              if (dd > worst) worst = dd;
            }
          }
        } else if (qMark > 0 && cash + qMark * blockMax[(k / BAR_BLOCK) | 0]! <= peak && cash + qMark * blockMin[(k / BAR_BLOCK) | 0]! >= low) {
          // Held, and no bar of this block can make a new peak or a new low: nav = fl(cash + fl(q·close))
          // never falls as the close rises (q > 0; both roundings are monotone), so every NAV of the block
          // lies between those of its lowest and its highest close. This loop skips the two peak/low
          // tests per bar (a sweep's CPU ≈ 10 % lower side by side, docs/optimize.md "Speed").
          k = scanHeldBounded(fastBase, slowBase, closeAt, k, end, dir, gate, sum, cash, qMark);
          sum = slots[SUM_SLOT]!;
          steps += k - start;
        } else if (qMark > 0 && cash + qMark * blockMax[(k / BAR_BLOCK) | 0]! <= peak) {
          // the same bound on one side: no bar of the block can make a new peak, so only the low is
          // tested (a sweep's CPU 2–4 % lower side by side, docs/optimize.md "Speed")
          k = scanHeldLow(fastBase, slowBase, closeAt, k, end, dir, gate, sum, cash, qMark, peak, low, worst);
          sum = slots[SUM_SLOT]!;
          low = slots[LOW_SLOT]!;
          worst = slots[WORST_SLOT]!;
          steps += k - start;
        } else {
          k = scanHeld(fastBase, slowBase, closeAt, k, end, dir, gate, sum, cash, qMark, peak, low, worst);
          sum = slots[SUM_SLOT]!;
          peak = slots[PEAK_SLOT]!;
          low = slots[LOW_SLOT]!;
          worst = slots[WORST_SLOT]!;
          steps += k - start;
        }
        if (k >= to) break;
      }
      if (pending && placed <= barTs[k]!) {
        pending = false;
        if (!book.fill(k)) {
          ok = false;
          break;
        }
        cash = book.cash;
        q = book.q;
        qMark = q !== 0 ? q : 0;
        held = q !== 0 ? 1 : 0;
        if (q < 0 || cash < 0) {
          ok = false;
          break;
        }
      }
      const mark = close[k]!;
      const nav = cash + qMark * mark;
      const dm = means[fastAt + k]! - means[slowAt + k]!;
      if (!(dm * dir > gate)) {
        const sd = dm > tol ? 1 : dm < -tol ? below : exactSide(close, k, fast, slow, below);
        if (sd === sd && sd !== lastSide) {
          lastSide = sd;
          dir = sd === 1 ? 1 : -1;
          gate = tol;
          const moved = book.decide(sd, nav, mark);
          if (moved < 0) {
            ok = false;
            break;
          }
          if (moved > 0) changed = true;
          tgt = book.tgt;
        }
      }
      if (changed && (tgt !== 0 || q !== 0 || pending) && nav > 0) {
        changed = false;
        pending = book.send(nav, mark, times[k]! + offset);
        placed = book.placed;
      }
      sum += nav;
      if (nav > peak) {
        peak = nav;
        low = nav;
      } else if (nav < low) {
        low = nav;
        const dd = 1 - nav / peak;
        if (dd > worst) worst = dd;
      }
      steps += held;
      if (k === rowBar) rowBar = this.sample(k, nav);
    }
    num[CASH] = cash;
    num[Q] = q;
    num[LAST_SIDE] = lastSide;
    num[TGT] = tgt;
    num[PLACED] = placed;
    num[NAV_SUM] = sum;
    num[PEAK] = peak;
    num[LOW] = low;
    num[WORST] = worst;
    this.held = steps;
    this.changed = changed;
    this.pending = pending;
    return ok;
  }

  /** The NAV of bar k at every sample row on it; returns the bar of the next row (−1: none left). */
  private sample(k: number, nav: number): number {
    const rows = this.clock.sampleRows;
    const at = k - this.clock.kStart;
    let i = this.sampled;
    while (i < rows.length && rows[i] === at) this.samples[i++] = nav;
    this.sampled = i;
    return (this.rowBar = i < rows.length ? rows[i]! + this.clock.kStart : -1);
  }
}
