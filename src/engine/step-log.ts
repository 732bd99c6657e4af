/**
 * What a Trader keeps of each step when it does not write every per-step series at every step
 * (docs/backtest-engine.md "Speed"): the NAV at every step, and a log of the few steps at which
 * something else changed. The other series follow from these and the bars, and are derived the
 * first time a reader asks for them, with the Trader's own arithmetic, operation for operation, so
 * they are the values the Trader would have written, bit for bit:
 *
 *   ts        the clock's close times (the Trader checks each event's time against them)
 *   cash      the cash logged at the last change (a fill, funding, borrow, a write-off)
 *   gross/net Σ |q·mark| / NAV and Σ q·mark / NAV with the positions logged at the last change and
 *             each symbol's close at the step (the bars replayed through the same cursor loop)
 *   drawdown  1 − NAV / peak, the peak running over the NAV and the NAV marked before a same-close
 *             fill (logged where the orders moved the NAV: a fill at the close)
 *   mode      the risk mode logged where it changed
 *   breaches  the number of breaches logged at the steps that had any
 *   P&L       of a single model: NAV − initial capital (several models' are written at every step)
 *
 * Writing eight series into fresh memory at every step was most of the engine's time per bar
 * (about 60 MB per 1M steps, and first writes to fresh pages are what costs here); the log of a
 * 1M-step run with 40 000 fills is a few MB.
 */
import { InvariantError } from '../core/errors.js';
import type { SymbolData } from '../backtest/engine-data.js';
import { RowChunks } from '../execution/row-chunks.js';

/**
 * Rows of a fixed width, in chunks (execution/row-chunks.ts): growing never copies, and the chunks
 * are small enough that the memory of an earlier run is recycled (a doubled array wrote about twice
 * its final size into fresh pages at every run; docs/backtest-engine.md "Speed").
 */
class RowLog {
  private readonly chunks: RowChunks;

  constructor(readonly width: number) {
    this.chunks = new RowChunks(width);
  }

  get rows(): number {
    return this.chunks.rows;
  }

  /** Row r's cell `column`. */
  cell(r: number, column: number): number {
    return this.chunks.chunk(r)[this.chunks.offset(r) + column]!;
  }

  /** A new row: its index (write its cells with `chunk` and `offset`). */
  add(): number {
    return this.chunks.add();
  }

  chunk(r: number): Float64Array {
    return this.chunks.chunk(r);
  }

  offset(r: number): number {
    return this.chunks.offset(r);
  }

  /** A row of two cells. */
  addPair(a: number, b: number): void {
    const r = this.chunks.add();
    const v = this.chunks.chunk(r);
    const at = this.chunks.offset(r);
    v[at] = a;
    v[at + 1] = b;
  }
}

/** Rows of the change log: step, cash, then each symbol's position. */
const CHANGE_STEP = 0;
const CHANGE_CASH = 1;
const CHANGE_Q = 2;

export class StepLog {
  /** Cash and positions at the steps where either differs from the last row. */
  readonly changes: RowLog;
  /**
   * (step, NAV before the orders) where the orders changed the NAV (a same-close fill). Elsewhere the
   * NAV before the orders equals the NAV recorded, so the peak over both is the peak over the latter
   * (a NaN is unequal to itself and logged; +0 and −0 compare alike).
   */
  readonly navBeforeOrders = new RowLog(2);
  /** (step, mode) where the risk mode differs from the last row's. */
  readonly modes = new RowLog(2);
  /** (step, breaches recorded in that step) where there were any. */
  readonly breaches = new RowLog(2);
  /** The cash, positions and mode of the last rows (NaN / −1: none yet, so the first step logs them). */
  cash = NaN;
  readonly position: Float64Array;
  mode = -1;

  constructor(readonly symbols: number) {
    this.changes = new RowLog(CHANGE_Q + symbols);
    this.position = new Float64Array(symbols);
  }

  /**
   * Log the cash and positions at step r if either differs from the last row: the cash bit for bit
   * (−0 included: it is a series value); a position by value (a zero position, +0 or −0, adds
   * nothing to gross or net). Returns false when the cash or a position is NaN (a repeat call with
   * the same values would log them again), true otherwise. Takes the book, not its cash: a number
   * passed to a call V8 does not inline is boxed on the heap (docs/backtest-engine.md "Speed").
   */
  note(r: number, book: Readonly<{ cash: number; position: Float64Array }>): boolean {
    const cash = book.cash;
    const position = book.position;
    let same = cash === this.cash && (cash !== 0 || 1 / cash === 1 / this.cash);
    const last = this.position;
    for (let s = 0; s < this.symbols && same; s++) if (position[s] !== last[s]) same = false;
    if (same) return true;
    const log = this.changes;
    const row = log.add();
    const v = log.chunk(row);
    const at = log.offset(row);
    v[at + CHANGE_STEP] = r;
    v[at + CHANGE_CASH] = cash;
    let numbers = cash === cash;
    for (let s = 0; s < this.symbols; s++) {
      const q = (v[at + CHANGE_Q + s] = last[s] = position[s]!);
      if (q !== q) numbers = false;
    }
    this.cash = cash;
    return numbers;
  }
}

/** What the derivation reads besides the log. */
export interface StepLogRun {
  readonly log: StepLog;
  readonly nav: Float64Array;
  readonly data: readonly SymbolData[];
  /** Step r is clock index kStart + r, at times[kStart + r] + offset. */
  readonly times: Float64Array;
  readonly offset: number;
  readonly kStart: number;
  /** The Trader's peak NAV before its first step. */
  readonly peakAtStart: number;
  readonly initialCapital: number;
}

export interface DerivedSeries {
  readonly cash: Float64Array;
  readonly gross: Float64Array;
  readonly net: Float64Array;
  readonly drawdown: Float64Array;
  /** NAV − initial capital (the P&L of a run's only model). */
  readonly pnl: Float64Array;
}

/**
 * Cash, gross, net, drawdown and the single model's P&L at every step, as Trader.step records them
 * (see the file comment). One pass over the steps; the bars are met by the same cursor loop as the
 * Trader's step 1.
 */
export function deriveSeries(run: StepLogRun): DerivedSeries {
  const { log, nav, data, times, offset, kStart } = run;
  const steps = nav.length;
  const out: DerivedSeries = {
    cash: new Float64Array(steps), gross: new Float64Array(steps), net: new Float64Array(steps), drawdown: new Float64Array(steps), pnl: new Float64Array(steps),
  };
  const S = data.length;
  const cursor = new Int32Array(S).fill(-1);
  const mark = new Float64Array(S).fill(NaN);
  const q = new Float64Array(S);
  const changes = log.changes;
  const nChanges = changes.rows;
  const pre = log.navBeforeOrders;
  const nPre = pre.rows;
  let c = 0;
  let p = 0;
  let cash = NaN;
  let peak = run.peakAtStart;
  for (let r = 0; r < steps; r++) {
    const t = times[kStart + r]! + offset;
    for (let s = 0; s < S; s++) {
      const d = data[s]!;
      const cts = d.closeTs;
      let j = cursor[s]! + 1;
      while (j < d.n && (cts !== null ? cts[j]! : d.ts[j]! + d.step) <= t) {
        mark[s] = d.close[j]!;
        j++;
      }
      cursor[s] = j - 1;
    }
    while (c < nChanges && changes.cell(c, CHANGE_STEP) === r) {
      cash = changes.cell(c, CHANGE_CASH);
      for (let s = 0; s < S; s++) q[s] = changes.cell(c, CHANGE_Q + s);
      c++;
    }
    if (r === 0 && c === 0) throw new InvariantError('the step log has no row at the first step');
    // the peak as step 2 (NAV before the orders) and step 6 (NAV recorded) move it
    while (p < nPre && pre.cell(p, 0) === r) {
      const before = pre.cell(p, 1);
      if (before > peak) peak = before;
      p++;
    }
    const nav2 = nav[r]!;
    if (nav2 > peak) peak = nav2;
    let pos2 = 0;
    let gross2 = 0;
    for (let s = 0; s < S; s++) {
      const qs = q[s]!;
      if (qs !== 0) {
        const v = qs * mark[s]!;
        pos2 += v;
        gross2 += v < 0 ? -v : v;
      }
    }
    out.cash[r] = cash;
    out.gross[r] = nav2 > 0 ? gross2 / nav2 : 0;
    out.net[r] = nav2 > 0 ? pos2 / nav2 : 0;
    out.drawdown[r] = peak > 0 ? 1 - nav2 / peak : 0;
    out.pnl[r] = nav2 - run.initialCapital;
  }
  return out;
}

/** The risk mode at every step, from the rows where it changed. */
export function deriveModes(log: StepLog, steps: number): Uint8Array {
  const out = new Uint8Array(steps);
  const modes = log.modes;
  for (let i = 0; i < modes.rows; i++) {
    const from = modes.cell(i, 0);
    const to = i + 1 < modes.rows ? modes.cell(i + 1, 0) : steps;
    out.fill(modes.cell(i, 1), from, to);
  }
  return out;
}

/** The number of breaches recorded at every step. */
export function deriveBreachCounts(log: StepLog, steps: number): Uint32Array {
  const out = new Uint32Array(steps);
  const breaches = log.breaches;
  for (let i = 0; i < breaches.rows; i++) out[breaches.cell(i, 0)] = breaches.cell(i, 1);
  return out;
}
