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
import { closeBound, sharedBlockMax } from './shared-sma.js';

/** Bars per block: the model's rebuild block, so one crossing tolerance holds for a whole block. */
export const BAR_BLOCK = CROSS_BLOCK;

/** What a combo reads from its sweep (sma-sweep.ts `SweepSetup`). */
export interface ComboClock {
  readonly close: Float64Array;
  readonly barTs: Float64Array;
  readonly times: Float64Array;
  readonly offset: number;
  readonly kStart: number;
  /** Steps (bars kStart … kEnd) whose NAV is sampled, in order (a row may repeat). */
  readonly sampleRows: Int32Array;
}

export class ComboRun {
  cash: number;
  q: number;
  private lastSide = NaN;
  private tgt = 0;
  private changed = false;
  private pending = false;
  /** Sum of the NAV steps so far, the peak and the lowest NAV since it, the maximum drawdown. */
  navSum = 0;
  private peak: number;
  private low: number;
  maxDrawdown = 0;
  /** Steps at which the book held a position. */
  held = 0;
  /** The NAV at each sample row, and the bar of the next row (−1: none left). */
  readonly samples: Float64Array;
  private sampled = 0;
  private rowBar: number;
  /** Crossing tolerance of the current block, and the offsets of the two averages in the block buffer. */
  private tol = 0;
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
    this.cash = book.cash;
    this.q = book.q;
    this.below = short ? -1 : 0;
    this.perClose = crossTolerancePerClose(fast, slow);
    this.k0 = Math.max(clock.kStart, Math.max(1, Math.floor(slow)) - 1);
    this.blockMax = sharedBlockMax(clock.close);
    // the first step's NAV: the initial cash (nothing is held or working before it)
    this.peak = this.low = book.cash + 0;
    this.samples = new Float64Array(clock.sampleRows.length);
    this.rowBar = clock.sampleRows.length > 0 ? clock.sampleRows[0]! + clock.kStart : -1;
  }

  /** Is the first NAV positive (else the maximum drawdown is NaN and the kernel declines)? */
  get startsPositive(): boolean {
    return this.peak > 0;
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
      this.tol = this.perClose * closeBound(this.blockMax, base - (BAR_BLOCK - 1) - Math.max(this.fast, this.slow) + 1, base + BAR_BLOCK - 1);
    }
    const { close, barTs, times, offset, kStart } = this.clock;
    const book = this.book;
    for (let k = b0; k < b1; k++) {
      if (!this.pending && !this.changed) {
        k = this.quiet(k, b1, means);
        if (k >= b1) break;
      }
      const r = k - kStart;
      if (this.pending && book.pendingPlaced <= barTs[k]!) {
        this.pending = false;
        book.fillPending(k, r);
        this.cash = book.cash;
        this.q = book.q;
        if (this.q < 0 || this.cash < 0) return false;
      }
      const mark = close[k]!;
      const q = this.q;
      const navK = this.cash + (q !== 0 ? q * mark : 0);
      if (k >= this.k0) {
        const sd = this.sideAt(k, means);
        if (sd === sd && sd !== this.lastSide) {
          this.lastSide = sd;
          book.sd = sd;
          book.nav = navK;
          book.mark = mark;
          book.t = times[k]! + offset;
          const moved = book.decide(k, r);
          if (moved < 0) return false;
          if (moved > 0) this.changed = true;
          this.tgt = book.tgt;
        }
      }
      if (this.changed && (this.tgt !== 0 || q !== 0 || this.pending) && navK > 0) {
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
    const tol = this.tol;
    return dm > tol ? 1 : dm < -tol ? this.below : exactSide(this.clock.close, k, this.fast, this.slow, this.below);
  }

  /** One marked NAV step (the general step's). */
  private step(k: number, nav: number, q: number): void {
    this.navSum += nav;
    this.drawdown(nav);
    if (q !== 0) this.held++;
    if (k === this.rowBar) this.sample(k, nav);
  }

  private drawdown(nav: number): void {
    if (nav > this.peak) {
      this.peak = nav;
      this.low = nav;
    } else if (nav < this.low) {
      this.low = nav;
      const dd = 1 - nav / this.peak;
      if (dd > this.maxDrawdown) this.maxDrawdown = dd;
    }
  }

  /** The NAV of bar k at every sample row on it. */
  private sample(k: number, nav: number): void {
    const rows = this.clock.sampleRows;
    const at = k - this.clock.kStart;
    let i = this.sampled;
    while (i < rows.length && rows[i] === at) this.samples[i++] = nav;
    this.sampled = i;
    this.rowBar = i < rows.length ? rows[i]! + this.clock.kStart : -1;
  }

  /**
   * Bars from … to − 1 while nothing happens (no order working, no target change pending): the NAV
   * steps are taken and the side computed from k0 on. Returns the first bar whose side changes (to
   * when none); that bar is left to the general step.
   */
  private quiet(from: number, to: number, means: Float64Array): number {
    const close = this.clock.close;
    const { cash, q } = this;
    let k = from;
    for (; k < to && k < this.k0; k++) this.step(k, cash + (q !== 0 ? q * close[k]! : 0), q);
    if (k >= to) return k;
    return q === 0 ? this.quietFlat(k, to, means) : this.quietHeld(k, to, means);
  }

  /** Flat: every NAV step is the cash (+ 0, as the general step adds it). */
  private quietFlat(from: number, to: number, means: Float64Array): number {
    const { fastAt, slowAt, tol, below, lastSide, fast, slow } = this;
    const close = this.clock.close;
    const flat = this.cash + 0;
    let sum = this.navSum;
    let k = from;
    for (; k < to; k++) {
      const dm = means[fastAt + k]! - means[slowAt + k]!;
      const sd = dm > tol ? 1 : dm < -tol ? below : exactSide(close, k, fast, slow, below);
      if (sd !== lastSide && sd === sd) break;
      sum += flat;
      if (k === this.rowBar) this.sample(k, flat);
    }
    this.navSum = sum;
    // the same NAV on every step of the stretch: one drawdown update stands for all of them
    if (k > from) this.drawdown(flat);
    return k;
  }

  /** In the market: the NAV is the cash plus the position marked at the close. */
  private quietHeld(from: number, to: number, means: Float64Array): number {
    const { fastAt, slowAt, tol, below, lastSide, fast, slow, cash, q } = this;
    const close = this.clock.close;
    let sum = this.navSum;
    let peak = this.peak;
    let low = this.low;
    let worst = this.maxDrawdown;
    let k = from;
    for (; k < to; k++) {
      const dm = means[fastAt + k]! - means[slowAt + k]!;
      const sd = dm > tol ? 1 : dm < -tol ? below : exactSide(close, k, fast, slow, below);
      if (sd !== lastSide && sd === sd) break;
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
      if (k === this.rowBar) this.sample(k, nav);
    }
    this.navSum = sum;
    this.peak = peak;
    this.low = low;
    this.maxDrawdown = worst;
    this.held += k - from;
    return k;
  }
}
