/**
 * `sma_cross`: the classic fast/slow simple-moving-average crossover on one symbol's closes.
 *
 * Rule (regime form): long while SMA(fast) > SMA(slow) of the closes up to and including the
 * current bar; otherwise flat, or short when `short` is set. This equals the event form (buy on the
 * up-cross, sell on the down-cross) from the first cross on; a run that starts with the fast average
 * already above the slow one is long from the first decision. A tie (equal averages) is "not above".
 * The averages are recomputed over the window each bar (no running sums, whose rounding drift could
 * flip an exact tie such as ORCL's 2004-06-29), oldest close first, so a decision depends only on the
 * last `slow` closes. The window lives in a ring buffer in `ctx.state`, fed with each new close
 * (refilled from `ctx.history` after a gap in bar indices), so a decision costs O(slow) additions and
 * no allocation. Decisions happen at bar closes; the engine fills them (next open by
 * default). Sizing: `equity:F` holds F of the budget; `units:N` holds N units (weight N·close/budget).
 * The model only speaks when the direction changes (otherwise `null`: keep the targets).
 */
import { z } from 'zod';
import type { Model, ModelContext, ModelDecision } from './types.js';
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
}

export function createSmaCross(p: SmaCrossParams): Model {
  const sizing = parseSizing(p.size);
  const sym = p.symbol;
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
      const st = (bag.sma ??= { dir: NaN, ring: new Float64Array(n), count: 0, head: 0, last: -2 });
      const idx = bar.index;
      const ring = st.ring;
      if (idx !== st.last + 1 || st.count < n) {
        // (Re)fill from the engine's history: at the first call, after a gap, or while warming up.
        const h = ctx.history(sym, n);
        ring.set(h);
        st.count = h.length;
        st.head = h.length % n;
      } else {
        ring[st.head] = bar.close;
        st.head = st.head + 1 === n ? 0 : st.head + 1;
      }
      st.last = idx;
      if (st.count < n) return null;
      // Oldest first: ring[head .. n-1] then ring[0 .. head-1], the order tailMean would add them in.
      const head = st.head;
      const fastFrom = n - p.fast; // position (oldest = 0) where the fast window starts
      let sSlow = 0;
      let sFast = 0;
      for (let k = 0; k < n; k++) {
        const j = k + head;
        const v = ring[j < n ? j : j - n]!;
        sSlow += v;
        if (k >= fastFrom) sFast += v;
      }
      const fast = sFast / p.fast;
      const slow = sSlow / n;
      if (Number.isNaN(fast) || Number.isNaN(slow)) return null;
      const dir = fast > slow ? 1 : p.short ? -1 : 0;
      if (st.dir === dir) return null;
      st.dir = dir;
      const w = dir === 0 ? 0 : dir * sizeWeight(sizing, bar.close, ctx.budget.value);
      return { weights: { [sym]: w } };
    },
  };
}
