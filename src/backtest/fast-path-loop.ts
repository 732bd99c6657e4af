/**
 * The fast path's bar loop (fast-path.ts sets it up): `simulate` runs the general step on bars where
 * something happens and hands the stretches between them to `quiet`, a loop without calls.
 */
import { throwIfAborted } from '../core/errors.js';
import { isoUtc } from '../core/time.js';
import type { FastBook } from './fast-path-book.js';
import { drawdownFloor } from './fast-path-thresholds.js';
import type { BacktestInput } from './types.js';

/** What the bar loop reads (kept apart from the setup so the loop is compiled on its own). */
export interface Sim {
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
export function simulate(s: Sim, book: FastBook): string | null {
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
