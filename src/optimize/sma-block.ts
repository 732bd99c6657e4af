/**
 * One sma_cross combo of a sweep batch, run 1024 bars at a time (docs/optimize.md, "Sweep kernel"):
 * the batch (sma-sweep.ts `evaluateSmaCombos`) fills the moving averages of one aligned 1024-bar
 * block for every period its combos use (shared-sma.ts `MeanCursor`, a few hundred KB that stay in
 * cache), then advances each combo over that block. A combo keeps its loop state between blocks.
 *
 * The loop is the fast path's bar loop (fast-path-loop.ts `simulate`) for what the kernel covers:
 * the working order fills at the open, the NAV is marked at the close, the model decides where its
 * side changes (the book's `decide`: sizing, risk limits) and the order to the new target is sent
 * (the book's `send`). No NAV series is kept: each marked NAV goes straight into what the metrics
 * read from the series (`EquitySteps`, src/backtest/metrics/types.ts) and into the NAV at the
 * day-close rows the daily returns sample:
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
import type { FastBook } from '../backtest/fast-path-book.js';
import { TradeTracker } from '../backtest/engine-trades.js';
import { closeBound, sharedBlockMax } from './shared-sma.js';

/** Bars per block: the model's rebuild block, so one crossing tolerance holds for a whole block. */
export const BAR_BLOCK = CROSS_BLOCK;

/** What a combo reads from its sweep (sma-sweep.ts `SweepSetup`). */
export interface ComboClock {
  readonly symbol: string;
  readonly close: Float64Array;
  readonly barTs: Float64Array;
  readonly times: Float64Array;
  readonly offset: number;
  readonly kStart: number;
  /** Steps (bars kStart … kEnd) whose NAV is sampled, in order (a row may repeat). */
  readonly sampleRows: Int32Array;
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

export class ComboRun {
  /**
   * The loop's numbers, in a Float64Array (no boxed field, no shape change when a field first holds
   * a fraction): cash and position, the last side, the target, the sum of the NAV steps, the peak and
   * the lowest NAV since it, the maximum drawdown, the crossing tolerance of the current block.
   */
  private readonly num = new Float64Array(9);
  private changed = false;
  private pending = false;
  /** Steps at which the book held a position. */
  held = 0;
  /** The NAV at each sample row, and the bar of the next row (−1: none left). */
  readonly samples: Float64Array;
  private sampled = 0;
  private rowBar: number;
  /** The closed trades' P&L (sma-sweep.ts replays the book's fills into it), and the position its replay ended at. */
  readonly trades: TradeTracker;
  replayedQ = 0;
  /** Offsets of the two averages in the block buffer. */
  private fastAt = 0;
  private slowAt = 0;
  private readonly below: number;
  private readonly perClose: number;
  private readonly k0: number;
  private readonly blockMax: Float64Array;

  constructor(
    private readonly clock: ComboClock,
    readonly fast: number,
    readonly slow: number,
    short: boolean,
    readonly book: FastBook,
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
    // the first step's NAV: the initial cash (nothing is held or working before it)
    this.num[PEAK] = this.num[LOW] = book.cash + 0;
    this.samples = new Float64Array(clock.sampleRows.length);
    this.rowBar = clock.sampleRows.length > 0 ? clock.sampleRows[0]! + clock.kStart : -1;
    this.trades = new TradeTracker([clock.symbol], false);
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
   * of the buffer at i · BAR_BLOCK, bar k at its k mod BAR_BLOCK). False when the fast path would
   * stop or hand over (a risk limit binds; the book goes short or into negative cash).
   */
  advance(b0: number, b1: number, means: Float64Array): boolean {
    const base = b0 - (b0 % BAR_BLOCK);
    this.fastAt = this.fastRow * BAR_BLOCK - base;
    this.slowAt = this.slowRow * BAR_BLOCK - base;
    if (b1 > this.k0) {
      // crossSide's bound with C the largest close of any block the closes read since either mean's last rebuild can lie in
      this.num[TOL] = this.perClose * closeBound(this.blockMax, base - (BAR_BLOCK - 1) - Math.max(this.fast, this.slow) + 1, base + BAR_BLOCK - 1);
    }
    const { close, barTs, times, offset, kStart } = this.clock;
    const book = this.book;
    const num = this.num;
    for (let k = b0; k < b1; k++) {
      if (!this.pending && !this.changed) {
        k = this.quiet(k, b1, means);
        if (k >= b1) break;
      }
      const r = k - kStart;
      if (this.pending && book.pendingPlaced <= barTs[k]!) {
        this.pending = false;
        book.fillPending(k, r);
        num[CASH] = book.cash;
        num[Q] = book.q;
        if (num[Q]! < 0 || num[CASH]! < 0) return false;
      }
      const mark = close[k]!;
      const q = num[Q]!;
      const navK = num[CASH]! + (q !== 0 ? q * mark : 0);
      if (k >= this.k0) {
        const sd = this.sideAt(k, means);
        if (sd === sd && sd !== num[LAST_SIDE]) {
          num[LAST_SIDE] = sd;
          book.sd = sd;
          book.nav = navK;
          book.mark = mark;
          book.t = times[k]! + offset;
          const moved = book.decide(k, r);
          if (moved < 0) return false;
          if (moved > 0) this.changed = true;
          num[TGT] = book.tgt;
        }
      }
      if (this.changed && (num[TGT] !== 0 || q !== 0 || this.pending) && navK > 0) {
        this.changed = false;
        book.nav = navK;
        book.mark = mark;
        book.t = times[k]! + offset;
        this.pending = book.send(k, r, false);
      }
      this.step(k, navK, q);
    }
    return true;
  }

  /** The side at bar k ≥ slow − 1 (shared-sma.ts `sharedSide`'s rule, with the block's tolerance). */
  private sideAt(k: number, means: Float64Array): number {
    const dm = means[this.fastAt + k]! - means[this.slowAt + k]!;
    const tol = this.num[TOL]!;
    return dm > tol ? 1 : dm < -tol ? this.below : exactSide(this.clock.close, k, this.fast, this.slow, this.below);
  }

  /** One marked NAV step (the general step's). */
  private step(k: number, nav: number, q: number): void {
    this.num[NAV_SUM]! += nav;
    this.drawdown(nav);
    if (q !== 0) this.held++;
    if (k === this.rowBar) this.sample(k, nav);
  }

  private drawdown(nav: number): void {
    const num = this.num;
    if (nav > num[PEAK]!) {
      num[PEAK] = nav;
      num[LOW] = nav;
    } else if (nav < num[LOW]!) {
      num[LOW] = nav;
      const dd = 1 - nav / num[PEAK]!;
      if (dd > num[WORST]!) num[WORST] = dd;
    }
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

  /**
   * Bars from … to − 1 while nothing happens (no order working, no target change pending): the NAV
   * steps are taken and the side computed from k0 on. Returns the first bar whose side changes (to
   * when none); that bar is left to the general step.
   */
  private quiet(from: number, to: number, means: Float64Array): number {
    const close = this.clock.close;
    const cash = this.num[CASH]!;
    const q = this.num[Q]!;
    let k = from;
    for (; k < to && k < this.k0; k++) this.step(k, cash + (q !== 0 ? q * close[k]! : 0), q);
    // no side yet: the general step takes each bar until there is one
    if (k >= to || !(this.num[LAST_SIDE]! === this.num[LAST_SIDE]!)) return k;
    return q === 0 ? this.quietFlat(k, to, means) : this.quietHeld(k, to, means);
  }

  /*
   * The quiet loops stop at the first bar whose side (`sideAt`) is not lastSide. With dir = 1 for the
   * side 1 and −1 for the side below, the averages' difference times dir (exact) is above tol where
   * sideAt gives lastSide, below −tol where it gives the other side, and in between (or NaN) only
   * exactSide can tell, so it is asked only there. (lastSide is 1 or below here: `quiet` hands the
   * bars to the general step until there is a side.)
   */

  /** Flat: every NAV step is the cash (+ 0, as the general step adds it). */
  private quietFlat(from: number, to: number, means: Float64Array): number {
    const { fastAt, slowAt, below, fast, slow, num } = this;
    const close = this.clock.close;
    const tol = num[TOL]!;
    const lastSide = num[LAST_SIDE]!;
    const flat = num[CASH]! + 0;
    const dir = lastSide === 1 ? 1 : -1;
    let sum = num[NAV_SUM]!;
    let rowBar = this.rowBar;
    let k = from;
    for (; k < to; k++) {
      const dm = (means[fastAt + k]! - means[slowAt + k]!) * dir;
      if (!(dm > tol) && (dm < -tol || exactSide(close, k, fast, slow, below) !== lastSide)) break;
      sum += flat;
      if (k === rowBar) rowBar = this.sample(k, flat);
    }
    num[NAV_SUM] = sum;
    // the same NAV on every step of the stretch: one drawdown update stands for all of them
    if (k > from) this.drawdown(flat);
    return k;
  }

  /** In the market: the NAV is the cash plus the position marked at the close. */
  private quietHeld(from: number, to: number, means: Float64Array): number {
    const { fastAt, slowAt, below, fast, slow, num } = this;
    const close = this.clock.close;
    const tol = num[TOL]!;
    const lastSide = num[LAST_SIDE]!;
    const cash = num[CASH]!;
    const q = num[Q]!;
    let sum = num[NAV_SUM]!;
    let peak = num[PEAK]!;
    let low = num[LOW]!;
    let worst = num[WORST]!;
    let rowBar = this.rowBar;
    const dir = lastSide === 1 ? 1 : -1;
    let k = from;
    for (; k < to; k++) {
      const dm = (means[fastAt + k]! - means[slowAt + k]!) * dir;
      if (!(dm > tol) && (dm < -tol || exactSide(close, k, fast, slow, below) !== lastSide)) break;
      const nav = cash + q * close[k]!;
      sum += nav;
      if (nav > peak) {
        peak = nav;
        low = nav;
      } else if (nav < low) {
        low = nav;
        const dd = 1 - nav / peak;
        if (dd > worst) worst = dd;
      }
      if (k === rowBar) rowBar = this.sample(k, nav);
    }
    num[NAV_SUM] = sum;
    num[PEAK] = peak;
    num[LOW] = low;
    num[WORST] = worst;
    this.held += k - from;
    return k;
  }
}
