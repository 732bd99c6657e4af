/**
 * `sma_cross`: the classic fast/slow simple-moving-average crossover on one symbol's closes.
 *
 * Rule (regime form): long while SMA(fast) > SMA(slow) of the closes up to and including the
 * current bar; otherwise flat, or short when `short` is set. This equals the event form (buy on the
 * up-cross, sell on the down-cross) from the first cross on; a run that starts with the fast average
 * already above the slow one is long from the first decision. A tie (equal averages) is "not above".
 * The averages are recomputed over the window each bar (no running sums), so a decision depends only
 * on the last `slow` closes. Decisions happen at bar closes; the engine fills them (next open by
 * default). Sizing: `equity:F` holds F of the budget; `units:N` holds N units (weight N·close/budget).
 * The model only speaks when the direction changes (otherwise `null`: keep the targets).
 */
import { z } from 'zod';
import type { Model, ModelContext, ModelDecision } from './types.js';
import { tailMean } from './lib/window.js';
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
      const closes = ctx.history(sym, p.slow);
      if (closes.length < p.slow) return null;
      const fast = tailMean(closes, p.fast);
      const slow = tailMean(closes, p.slow);
      if (Number.isNaN(fast) || Number.isNaN(slow)) return null;
      const dir = fast > slow ? 1 : p.short ? -1 : 0;
      const st = ctx.state as { dir?: number };
      if (st.dir === dir) return null;
      st.dir = dir;
      const w = dir === 0 ? 0 : dir * sizeWeight(sizing, bar.close, ctx.budget.value);
      return { weights: { [sym]: w } };
    },
  };
}
