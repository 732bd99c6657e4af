/**
 * `sma_cross`: the classic fast/slow simple-moving-average crossover on one symbol's closes.
 *
 * Rule (regime form): long while SMA(fast) > SMA(slow) of the closes up to and including the
 * current bar; otherwise flat, or short when `short` is set. This equals the event form (buy on the
 * up-cross, sell on the down-cross) from the first cross on; a run that starts with the fast average
 * already above the slow one is long from the first decision. A tie (equal averages) is "not above".
 *
 * The decision is defined by the averages summed over the window oldest close first, from 0 (so it
 * depends only on the last `slow` closes, and an exact tie such as ORCL's 2004-06-29 stays a tie).
 * `decide` gets that answer in O(1) per bar: the window lives in a ring buffer in `ctx.state` (fed
 * with each new close, refilled from `ctx.history` after a gap in bar indices), and beside it running
 * window sums, rebuilt in that order every 1024 bars. Where the running difference is farther from 0
 * than its rounding-error bound (`crossTolerancePerClose`, the bound `crossSide` uses, with the same
 * rebuild period) its sign is the defined one; otherwise (a tie, or closer than ~1e-12 relative) the
 * ring is summed in the defined order and compared exactly, as it is at every bar while a close in
 * the window is not a positive finite number. So the decisions are those of summing the window at
 * every bar, bit for bit (test/models/sma-cross.test.ts checks them against that, ties included).
 * No allocation per bar. Decisions happen at bar closes; the engine fills them (next open by
 * default). Sizing: `equity:F` holds F of the budget; `units:N` holds N units (weight N·close/budget).
 * The model only speaks when the direction changes (otherwise `null`: keep the targets).
 *
 * `targetsVector` is the same rule as a column for the backtest's fast path (`crossSide`): O(n)
 * running sums with an error bound, falling back to the window sum in `decide`'s order wherever the
 * bound cannot separate the averages, so it agrees with `decide` bar for bar, ties included.
 */
import { z } from 'zod';
import type { BarFrame } from '../core/table.js';
import type { Model, ModelContext, ModelDecision, TargetVector } from './types.js';
import { parseSizing, sizeWeight, sizingSchema } from './lib/sizing.js';

export const smaCrossParams = z
  .object({
    symbol: z.string().min(1).default('SPY').describe('symbol traded'),
    fast: z.number().int().min(1).default(10).describe('fast SMA period in bars'),
    slow: z.number().int().min(2).default(30).describe('slow SMA period in bars'),
    short: z.boolean().default(false).describe('short while fast ≤ slow (default: flat)'),
    size: sizingSchema.default('equity:0.95'),
  })
  .strict()
  .refine((p) => p.fast < p.slow, { message: 'fast must be shorter than slow', path: ['fast'] });

export type SmaCrossParams = z.infer<typeof smaCrossParams>;

/** Fixed-shape scratch state (kept under ctx.state.sma so property access stays monomorphic). */
interface SmaState {
  dir: number;
  ring: Float64Array;
  /** Closes in the ring (< slow while warming up). */
  count: number;
  /** Next write position = position of the oldest close once full. */
  head: number;
  /** Bar index of the last close written (-2: none). */
  last: number;
  /** Running sums of the fast and the slow window (valid while `running` < CROSS_BLOCK). */
  sumFast: number;
  sumSlow: number;
  /** Running updates since the sums were rebuilt (CROSS_BLOCK: rebuild at the next bar). */
  running: number;
  /** The largest close read since the rebuild (the error bound scales with it). */
  largest: number;
}

export function createSmaCross(p: SmaCrossParams): Model {
  const sizing = parseSizing(p.size);
  const sym = p.symbol;
  const tolerancePerClose = crossTolerancePerClose(p.fast, p.slow);
  // Equity sizing: the weight is dir × F whatever the price and budget (sizeWeight), so each direction's
  // decision is one constant object, made once and frozen (no reader writes a decision; this keeps the
  // ~35 000 allocations of a 1M-bar run out of the event engine). Unit sizing makes one per crossover.
  const fixed = sizing.mode === 'equity' ? constantDecisions(sym, sizeWeight(sizing, NaN, NaN)) : null;
  return {
    name: 'sma_cross',
    version: '1.0.0',
    universe: [sym],
    warmupBars: p.slow,
    parameters: p,
    decide(ctx: ModelContext): ModelDecision | null {
      const bar = ctx.bars[0]!;
      if (!bar.fresh) return null;
      const bag = ctx.state as { sma?: SmaState };
      const n = p.slow;
      const st = (bag.sma ??= { dir: NaN, ring: new Float64Array(n), count: 0, head: 0, last: -2, sumFast: 0, sumSlow: 0, running: CROSS_BLOCK, largest: 0 });
      const idx = bar.index;
      const ring = st.ring;
      let above: number;
      if (idx !== st.last + 1 || st.count < n) {
        // (Re)fill from the engine's history: at the first call, after a gap, or while warming up.
        const h = ctx.history(sym, n);
        ring.set(h);
        st.count = h.length;
        st.head = h.length % n;
        st.last = idx;
        if (st.count < n) return null;
        above = rebuild(st, n, p.fast);
      } else {
        const v = bar.close;
        const head = st.head;
        // before the write the ring holds closes t−n … t−1, oldest at head: t − fast is at head + n − fast
        const fastOut = head + n - p.fast;
        const leavingFast = ring[fastOut < n ? fastOut : fastOut - n]!;
        const leavingSlow = ring[head]!;
        ring[head] = v;
        st.head = head + 1 === n ? 0 : head + 1;
        st.last = idx;
        if (st.running >= CROSS_BLOCK - 1 || !(v > 0 && v < Infinity)) above = rebuild(st, n, p.fast);
        else {
          // the same updates as crossSide's running sums, within its bound (CROSS_BLOCK − 1 steps at most)
          if (v > st.largest) st.largest = v;
          const sf = st.sumFast + v - leavingFast;
          const ss = st.sumSlow + v - leavingSlow;
          st.sumFast = sf;
          st.sumSlow = ss;
          st.running++;
          const d = sf / p.fast - ss / n;
          const tol = tolerancePerClose * st.largest;
          above = d > tol ? 1 : d < -tol ? 0 : windowAbove(ring, st.head, n, p.fast);
        }
      }
      if (above !== above) return null;
      const dir = above === 1 ? 1 : p.short ? -1 : 0;
      if (st.dir === dir) return null;
      st.dir = dir;
      if (fixed !== null) return dir === 1 ? fixed.long : dir === 0 ? fixed.flat : fixed.short;
      const w = dir === 0 ? 0 : dir * sizeWeight(sizing, bar.close, ctx.budget.value);
      return { weights: { [sym]: w } };
    },
    targetsVector(columns: BarFrame['columns'], into?: Float64Array): TargetVector {
      const n = columns.close.length;
      const out = into !== undefined && into.length >= n ? into.subarray(0, n) : undefined;
      return { side: crossSide(columns.close, p.fast, p.slow, p.short, out), sizing };
    },
  };
}

/** The three decisions of a sizing whose weight F reads neither price nor budget: F (long), 0 (flat), −F (short), as `decide` computes them. */
function constantDecisions(sym: string, fraction: number): { long: ModelDecision; flat: ModelDecision; short: ModelDecision } {
  const make = (w: number): ModelDecision => Object.freeze({ weights: Object.freeze({ [sym]: w }) });
  return { long: make(1 * fraction), flat: make(0), short: make(-1 * fraction) };
}

/**
 * Whether the window's fast average is above its slow one, by the defined computation: both sums
 * over the ring oldest close first, from 0. 1 above, 0 not above, NaN when the window holds a NaN.
 */
function windowAbove(ring: Float64Array, head: number, n: number, fast: number): number {
  const fastFrom = n - fast; // position (oldest = 0) where the fast window starts
  let sSlow = 0;
  let sFast = 0;
  for (let k = 0; k < n; k++) {
    const j = k + head;
    const v = ring[j < n ? j : j - n]!;
    sSlow += v;
    if (k >= fastFrom) sFast += v;
  }
  const f = sFast / fast;
  const s = sSlow / n;
  if (Number.isNaN(f) || Number.isNaN(s)) return NaN;
  return f > s ? 1 : 0;
}

/**
 * Rebuild the running sums from the full ring in the defined order (so they ARE the defined sums,
 * and the answer is exact), and the largest close. A window holding a close that is not a positive
 * finite number keeps the sums untrusted (the next bar rebuilds again, in that order).
 */
function rebuild(st: SmaState, n: number, fast: number): number {
  const ring = st.ring;
  const head = st.head;
  const fastFrom = n - fast;
  let sSlow = 0;
  let sFast = 0;
  let largest = 0;
  let positive = true;
  for (let k = 0; k < n; k++) {
    const j = k + head;
    const v = ring[j < n ? j : j - n]!;
    sSlow += v;
    if (k >= fastFrom) sFast += v;
    if (!(v > 0 && v < Infinity)) positive = false;
    else if (v > largest) largest = v;
  }
  st.sumFast = sFast;
  st.sumSlow = sSlow;
  st.largest = largest;
  st.running = positive ? 0 : CROSS_BLOCK;
  const f = sFast / fast;
  const s = sSlow / n;
  if (Number.isNaN(f) || Number.isNaN(s)) return NaN;
  return f > s ? 1 : 0;
}

/** Rebuild the running sums exactly every this many bars (bounds their rounding drift). */
export const CROSS_BLOCK = 1024;
const BLOCK = CROSS_BLOCK;
/** Unit roundoff of binary64. */
const U = 2 ** -53;

/**
 * The tolerance of the running-sum difference per unit of the largest close C read since the last
 * rebuild (see `crossSide`): tol = crossTolerancePerClose(fast, slow) · C. The shared moving
 * averages of a sweep (src/optimize/shared-sma.ts) use the same bound.
 */
export function crossTolerancePerClose(fast: number, slow: number): number {
  const ef = (fast * (fast + 1)) / 2 + 2 * (BLOCK - 1) * (fast + 1);
  const es = (slow * (slow + 1)) / 2 + 2 * (BLOCK - 1) * (slow + 1);
  return 2 * U * 1.01 * (ef / fast + es / slow + fast + 2 + slow + 2);
}

/**
 * The side `sma_cross` takes at each bar: +1 while SMA(fast) > SMA(slow) of the closes up to and
 * including bar t, else −1 when `short`, else 0; NaN while fewer than `slow` closes are in the window
 * or the window holds a NaN. side[t] reads close[t−slow+1 .. t] only (no look-ahead) and equals the
 * direction `decide` computes at t, bit for bit, ties included.
 *
 * Method, in blocks of 1024 bars: at the first bar of a block the window sums are rebuilt in
 * `decide`'s order (oldest first, from 0: these ARE decide's sums there); through the rest of the
 * block running window sums (add the new close, subtract the leaving one, as the features room's
 * `sma` kernel does) give the candidate difference d = S_f/fast − S_s/slow. A running sum is within
 * u·E of the true one, E = Σ |every partial sum| since the rebuild (recursive summation bound,
 * Higham, "Accuracy and Stability of Numerical Algorithms", §4.2), and `decide`'s own averages are
 * within u·(k+1)·average. With positive closes every partial sum of the fast window is at most
 * (fast+1)·C (C the largest close the block reads), so after the rebuild (Σ_{i≤fast} i·C) and at most
 * 1023 steps of two operations each, E_f ≤ C·(fast(fast+1)/2 + 2·1023·(fast+1)), likewise E_s; the
 * tolerance at bar t is
 *   tol = 2u·(E_f/fast + E_s/slow + (fast+2)·C + (slow+2)·C) × 1.01
 * with C the largest close the block has read up to t (the averages are ≤ C; the factor 2 and the
 * 1 % cover the rounding of the bounds themselves). Where |d| > tol both computations have the same
 * sign; otherwise (an exact tie such as ORCL's 2004-06-29, or closer than ~1e-12 relative) the window
 * is summed again in `decide`'s order and compared exactly. From a close ≤ 0 or non-finite on, the
 * block is summed in `decide`'s order at every bar (O(slow) per bar, same answers).
 *
 * O(n) time for positive finite closes (one pass, plus `slow` additions per block), one output
 * allocation, no allocation per bar.
 */
export function crossSide(close: Float64Array, fast: number, slow: number, short: boolean, into?: Float64Array): Float64Array {
  const n = close.length;
  // every entry is written below (NaN through the warm-up, a side after it), so scratch memory serves
  const side = into !== undefined && into.length === n ? into : new Float64Array(n);
  const below = short ? -1 : 0;
  for (let t = 0; t < n && t < slow - 1; t++) side[t] = NaN;
  const reach = Math.max(fast, slow);
  const perC = crossTolerancePerClose(fast, slow);
  for (let b = slow - 1; b < n; b += BLOCK) {
    const e = Math.min(n, b + BLOCK);
    // The largest close read so far in this block (the rebuild window and the leaving closes,
    // rows b − reach … b, then each new close): the bound at bar t needs rows ≤ t only.
    let c = 0;
    let positive = true;
    for (let i = Math.max(0, b - reach); i <= b; i++) {
      const v = close[i]!;
      if (!(v > 0 && v < Infinity)) {
        positive = false;
        break;
      }
      if (v > c) c = v;
    }
    if (!positive) {
      for (let t = b; t < e; t++) side[t] = exactSide(close, t, fast, slow, below);
      continue;
    }
    // Rebuild at b in decide's order: these ARE decide's sums at b.
    let sf = 0;
    let ss = 0;
    const fastFrom = b - fast + 1;
    for (let i = b - slow + 1; i <= b; i++) {
      const v = close[i]!;
      ss += v;
      if (i >= fastFrom) sf += v;
    }
    side[b] = sf / fast > ss / slow ? 1 : below;
    let t = b + 1;
    for (; t < e; t++) {
      const v = close[t]!;
      if (!(v > 0 && v < Infinity)) break;
      if (v > c) c = v;
      sf += v;
      sf -= close[t - fast]!;
      ss += v;
      ss -= close[t - slow]!;
      const d = sf / fast - ss / slow;
      const tol = perC * c;
      side[t] = d > tol ? 1 : d < -tol ? below : exactSide(close, t, fast, slow, below);
    }
    // a close ≤ 0 or non-finite at t: the rest of the block in decide's order
    for (; t < e; t++) side[t] = exactSide(close, t, fast, slow, below);
  }
  return side;
}

/**
 * `decide`'s computation at bar t: both window sums oldest first from 0, then the comparison
 * (NaN when the window holds a NaN). `below` is the side while fast ≤ slow (−1 short, else 0).
 */
export function exactSide(close: Float64Array, t: number, fast: number, slow: number, below: number): number {
  let sSlow = 0;
  let sFast = 0;
  const fastFrom = t - fast + 1;
  for (let i = t - slow + 1; i <= t; i++) {
    const v = close[i]!;
    sSlow += v;
    if (i >= fastFrom) sFast += v;
  }
  const f = sFast / fast;
  const s = sSlow / slow;
  if (Number.isNaN(f) || Number.isNaN(s)) return NaN;
  return f > s ? 1 : below;
}
