/**
 * Work shared between the trials of an sma_cross sweep (docs/optimize.md, "Shared work"): the moving
 * average of period p over a close column is computed once per worker and serves every combo that
 * uses p, and so is the running maximum of the closes a window needs. `sharedSide` turns two cached
 * averages into the side `sma_cross` takes at each bar, bit for bit the side of `crossSide`
 * (src/models/sma-cross.ts) and of the model's `decide`, ties included:
 *
 * - the mean of period p is a running window sum rebuilt in `decide`'s order (oldest first, from 0)
 *   every 1024 bars from bar p − 1, and divided by p;
 * - the candidate difference d = mean_fast − mean_slow is decisive where |d| exceeds crossSide's
 *   bound (`crossTolerancePerClose(fast, slow)` · C, the one copy of it, in sma-cross.ts) with C
 *   the largest close of the bars t − 1023 − slow + 1 … t (a superset of the closes either running
 *   sum read since its rebuild), so both computations have the same sign there;
 * - elsewhere (an exact tie, or closer than ~1e-12 relative) the window is summed in `decide`'s
 *   order and compared exactly (sma-cross.ts `exactSide`).
 *
 * Columns holding a close ≤ 0 or a non-finite close are not shared (the caller keeps crossSide).
 * Caches are per worker thread, keyed by the column's identity (a WeakMap), so they never outlive
 * the data and never change a result.
 */
import { CROSS_BLOCK as BLOCK, crossTolerancePerClose, exactSide } from '../models/sma-cross.js';
import { MEAN_SUMS, closeBase, rowBase, scanMeans4, slots } from './sweep-scan.js';

interface ColumnCache {
  readonly positive: boolean;
  readonly means: Map<number, Float64Array>;
  readonly maxima: Map<number, Float64Array>;
  /** The largest and the smallest close of each aligned 1024-bar block (`sharedBlockMax`, `sharedBlockMin`). */
  readonly blockMax: Float64Array;
  readonly blockMin: Float64Array;
}

const caches = new WeakMap<Float64Array, ColumnCache>();

/** What one pass over a close column finds: every close positive and finite; the largest and the smallest close of each aligned 1024-bar block. */
export interface ColumnFacts {
  readonly positive: boolean;
  readonly blockMax: Float64Array;
  readonly blockMin: Float64Array;
}

/** The column's facts in one pass, their arrays made by `alloc` (pool.ts puts them in shared memory). */
export function columnFacts(close: Float64Array, alloc: (length: number) => Float64Array = (length) => new Float64Array(length)): ColumnFacts {
  let positive = true;
  const blocks = Math.ceil(close.length / BLOCK);
  const blockMax = alloc(blocks).fill(0);
  const blockMin = alloc(blocks).fill(Infinity);
  for (let t = 0; t < close.length; t++) {
    const v = close[t]!;
    if (!(v > 0 && v < Infinity)) positive = false;
    const i = (t / BLOCK) | 0;
    if (v > blockMax[i]!) blockMax[i] = v;
    if (v < blockMin[i]!) blockMin[i] = v;
  }
  return { positive, blockMax, blockMin };
}

/**
 * Takes `facts` (computed by `columnFacts` on these very closes, e.g. once for every worker when the
 * dataset was copied into shared memory) as the column's, instead of a pass of its own; a column
 * already cached keeps its cache.
 */
export function adoptColumnFacts(close: Float64Array, facts: ColumnFacts): void {
  const blocks = Math.ceil(close.length / BLOCK);
  if (!caches.has(close) && facts.blockMax.length === blocks && facts.blockMin.length === blocks) caches.set(close, newCache(facts));
}

/**
 * The column's cache, made in one pass over the closes (`columnFacts`). Every field is set when the
 * object is made: a field added later changes the object's shape, and V8 then throws away the
 * compiled sweep code that read the old shape, once per new column.
 */
function cacheOf(close: Float64Array): ColumnCache {
  let c = caches.get(close);
  if (!c) caches.set(close, (c = newCache(columnFacts(close))));
  return c;
}

const newCache = ({ positive, blockMax, blockMin }: ColumnFacts): ColumnCache => ({ positive, means: new Map(), maxima: new Map(), blockMax, blockMin });

/** Can `sharedSide` serve this column (every close positive and finite)? */
export const sharesColumn = (close: Float64Array): boolean => cacheOf(close).positive;

/**
 * The running-sum mean of period p (NaN before bar p − 1), computed once per column and period while
 * it is among the KEPT_MEANS most recently used.
 */
export function sharedMean(close: Float64Array, p: number): Float64Array {
  const c = cacheOf(close);
  let mean = c.means.get(p);
  if (mean) {
    // most recently used last
    c.means.delete(p);
    c.means.set(p, mean);
    return mean;
  }
  const n = close.length;
  mean = recycledMean(c, n);
  new MeanCursor(close, p).fill(0, n, mean, 0);
  c.means.set(p, mean);
  return mean;
}

/**
 * The running-sum mean of period p bar after bar, in the model's order (the one copy of it): NaN
 * before bar p − 1; at bar b = p − 1 + 1024·j the window is summed afresh (oldest first, from 0),
 * and on the bars between, the running sum adds the new close and subtracts the one leaving, then
 * divides by p. `fill` writes any run of bars; a run that does not continue the last one seeks (sums
 * from the last rebuild before it), so the values never depend on how the bars are split.
 */
export class MeanCursor {
  /** The next bar `fill` continues from without seeking, the running sum of the window ending just before it, the next rebuild. */
  private next = 0;
  private sum = 0;
  private rebuildAt: number;

  constructor(
    private readonly close: Float64Array,
    readonly period: number,
  ) {
    this.rebuildAt = period - 1;
  }

  /** The means of bars from … to − 1 into out[at …]. */
  fill(from: number, to: number, out: Float64Array, at: number): void {
    const { close, period: p } = this;
    if (from !== this.next) this.seek(from);
    const shift = at - from;
    let t = from;
    for (; t < to && t < p - 1; t++) out[t + shift] = NaN;
    let s = this.sum;
    let rebuildAt = this.rebuildAt;
    while (t < to) {
      if (t === rebuildAt) {
        s = 0;
        for (let i = t - p + 1; i <= t; i++) s += close[i]!;
        out[t + shift] = s / p;
        rebuildAt += BLOCK;
        t++;
      }
      for (const end = Math.min(to, rebuildAt); t < end; t++) {
        s += close[t]!;
        s -= close[t - p]!;
        out[t + shift] = s / p;
      }
    }
    this.sum = s;
    this.rebuildAt = rebuildAt;
    this.next = to;
  }

  /**
   * `fill` for this cursor and `other` over the same bars, into out[at …] and out[otherAt …]: the
   * same values (each running sum takes the same additions in the same order), with the two sums'
   * steps interleaved in one loop, so one's add latency and division overlap the other's (one
   * period at a time, a bar costs the latency of its two dependent adds; micro-benchmark in
   * docs/optimize.md: 20 period passes over 1M bars ≈ 1.9 ns per bar and period in pairs against
   * ≈ 3 alone). The bars where either cursor rebuilds, or has no mean yet, go through `fill` bar by bar.
   */
  fillPair(other: MeanCursor, from: number, to: number, out: Float64Array, at: number, otherAt: number): void {
    if (from !== this.next || from !== other.next || this.close !== other.close) {
      this.fill(from, to, out, at);
      other.fill(from, to, out, otherAt);
      return;
    }
    const close = this.close;
    const p = this.period;
    const q = other.period;
    const shift = at - from;
    const otherShift = otherAt - from;
    const warm = Math.max(p, q) - 1;
    let t = from;
    while (t < to) {
      if (t <= warm || t === this.rebuildAt || t === other.rebuildAt) {
        this.fill(t, t + 1, out, t + shift);
        other.fill(t, t + 1, out, t + otherShift);
        t++;
        continue;
      }
      let s = this.sum;
      let u = other.sum;
      const end = Math.min(to, this.rebuildAt, other.rebuildAt);
      for (; t < end; t++) {
        const c = close[t]!;
        s += c;
        u += c;
        s -= close[t - p]!;
        u -= close[t - q]!;
        out[t + shift] = s / p;
        out[t + otherShift] = u / q;
      }
      this.sum = s;
      other.sum = u;
      this.next = other.next = t;
    }
  }

  /**
   * `fill` for four cursors over the same bars, into out[at[i] …]: `fillPair`'s loop for four, the
   * stretches between rebuilds in WebAssembly (sweep-scan.wat `means4`: each running sum takes the
   * same additions and subtraction in the same order and is divided by its period, two periods per
   * f64x2 operation, so four divisions cost about what two did). Only for the sweep's block buffer:
   * `out` is sweep-scan.ts `meanRows`'s buffer, whose reach covers every period, and the block's
   * closes are loaded (`loadCloses`) before the call.
   */
  static fillFour(c: readonly MeanCursor[], from: number, to: number, out: Float64Array, at: readonly number[]): void {
    const [a, b, d, e] = c as [MeanCursor, MeanCursor, MeanCursor, MeanCursor];
    const close = a.close;
    if (from !== a.next || from !== b.next || from !== d.next || from !== e.next || b.close !== close || d.close !== close || e.close !== close) {
      for (let i = 0; i < 4; i++) c[i]!.fill(from, to, out, at[i]!);
      return;
    }
    const cb = closeBase(from - (from % BLOCK));
    const warm = Math.max(a.period, b.period, d.period, e.period) - 1;
    let t = from;
    while (t < to) {
      if (t <= warm || t === a.rebuildAt || t === b.rebuildAt || t === d.rebuildAt || t === e.rebuildAt) {
        for (let i = 0; i < 4; i++) c[i]!.fill(t, t + 1, out, t + at[i]! - from);
        t++;
        continue;
      }
      const end = Math.min(to, a.rebuildAt, b.rebuildAt, d.rebuildAt, e.rebuildAt);
      slots[MEAN_SUMS] = a.sum;
      slots[MEAN_SUMS + 1] = b.sum;
      slots[MEAN_SUMS + 2] = d.sum;
      slots[MEAN_SUMS + 3] = e.sum;
      scanMeans4(cb, 8 * a.period, 8 * b.period, 8 * d.period, 8 * e.period,
        rowBase(at[0]! - from), rowBase(at[1]! - from), rowBase(at[2]! - from), rowBase(at[3]! - from),
        t, end, a.period, b.period, d.period, e.period);
      a.sum = slots[MEAN_SUMS]!;
      b.sum = slots[MEAN_SUMS + 1]!;
      d.sum = slots[MEAN_SUMS + 2]!;
      e.sum = slots[MEAN_SUMS + 3]!;
      t = end;
      a.next = b.next = d.next = e.next = t;
    }
  }

  /** Position at bar `from`: the running sum of the window ending at from − 1, as the bars before it left it. */
  private seek(from: number): void {
    const { close, period: p } = this;
    this.next = from;
    if (from <= p - 1) {
      this.rebuildAt = p - 1;
      return;
    }
    const last = p - 1 + BLOCK * Math.floor((from - p) / BLOCK);
    let s = 0;
    for (let i = last - p + 1; i <= last; i++) s += close[i]!;
    for (let t = last + 1; t < from; t++) {
      s += close[t]!;
      s -= close[t - p]!;
    }
    this.sum = s;
    this.rebuildAt = last + BLOCK;
  }
}

/**
 * Periods kept per column. A sweep in grid order uses each fast period for a run of combos and every
 * slow period throughout, so the least recently used average is one no combo needs again; its array
 * is reused for the next period, which bounds the memory (16 × 8 bytes × bars) and spares the fresh
 * pages a new array costs. At least 2: the fast and slow averages of one combo are never evicted by
 * each other.
 */
const KEPT_MEANS = 16;

function recycledMean(c: ColumnCache, n: number): Float64Array {
  if (c.means.size < KEPT_MEANS) return new Float64Array(n);
  const [oldest, array] = c.means.entries().next().value!;
  c.means.delete(oldest);
  return array;
}

/** The largest close of bars t − width + 1 … t (clamped at 0), once per column and width (monotonic deque, O(n)). */
export function sharedMax(close: Float64Array, width: number): Float64Array {
  const c = cacheOf(close);
  let out = c.maxima.get(width);
  if (out) return out;
  const n = close.length;
  out = new Float64Array(n);
  const deque = new Int32Array(n);
  let head = 0;
  let tail = 0;
  for (let t = 0; t < n; t++) {
    while (tail > head && close[deque[tail - 1]!]! <= close[t]!) tail--;
    deque[tail++] = t;
    if (deque[head]! <= t - width) head++;
    out[t] = close[deque[head]!]!;
  }
  c.maxima.set(width, out);
  return out;
}

/** The largest close of each aligned 1024-bar block (bars 1024·i … 1024·i + 1023), once per column. */
export function sharedBlockMax(close: Float64Array): Float64Array {
  return cacheOf(close).blockMax;
}

/** The smallest close of each aligned 1024-bar block, once per column. */
export function sharedBlockMin(close: Float64Array): Float64Array {
  return cacheOf(close).blockMin;
}

/**
 * A bound on the largest close of bars from … to (from clamped at 0), from the block maxima: the
 * largest close of every block the range touches (≥ the range's own maximum, so a tolerance built on
 * it is at least crossSide's).
 */
export function closeBound(blockMax: Float64Array, from: number, to: number): number {
  let c = 0;
  for (let i = (Math.max(0, from) / BLOCK) | 0, last = (to / BLOCK) | 0; i <= last; i++) if (blockMax[i]! > c) c = blockMax[i]!;
  return c;
}

/**
 * The sma_cross side from the shared averages (see the file comment); only for columns `sharesColumn`
 * accepts. Written into `out` when given (a sweep reuses one buffer for every combo).
 */
export function sharedSide(close: Float64Array, fast: number, slow: number, short: boolean, out?: Float64Array): Float64Array {
  const n = close.length;
  const below = short ? -1 : 0;
  const side = out && out.length === n ? out.fill(NaN, 0, Math.min(n, Math.max(fast, slow) - 1)) : new Float64Array(n).fill(NaN);
  const mf = sharedMean(close, fast);
  const ms = sharedMean(close, slow);
  const cmax = sharedMax(close, BLOCK - 1 + Math.max(fast, slow));
  const perC = crossTolerancePerClose(fast, slow);
  for (let t = Math.max(fast, slow) - 1; t < n; t++) {
    const d = mf[t]! - ms[t]!;
    const tol = perC * cmax[t]!;
    side[t] = d > tol ? 1 : d < -tol ? below : exactSide(close, t, fast, slow, below);
  }
  return side;
}
