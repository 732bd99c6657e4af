/**
 * EquityTrendModel_v1 (seed 003 §3.3.1): capture sustained uptrends in broad equity indices.
 *
 * Trend is "on" for a symbol when its latest close is above its daily `sma_days` moving average
 * and its momentum is positive; momentum is the mean of the daily simple returns over
 * `momentum_days` (3, 6 and 12 months by default). The budget is split over trend-on symbols in
 * proportion to momentum (relative strength), quantised to `weight_step` (so targets move only when
 * the split moves by a step). Long-only; flat when no symbol's trend is on or a feature is not yet
 * known. Daily features (`sma_<N>`, `ret_<N>` from the SYMBOL:1d bars) arrive through `ctx.daily`,
 * already aligned so that a daily value is seen only after that day's close.
 */
import { z } from 'zod';
import type { Model, ModelContext, ModelDecision } from './types.js';
import { quantisedSplit } from './lib/quantise.js';

export const equityTrendParams = z
  .object({
    symbols: z.array(z.string().min(1)).min(1).default(['SPY', 'QQQ']).describe('equity symbols traded'),
    sma_days: z.number().int().min(2).default(200).describe('daily moving average that defines the trend'),
    momentum_days: z
      .array(z.number().int().min(1))
      .min(1)
      .default([63, 126, 252])
      .describe('daily lookbacks whose mean simple return is the momentum score (3–12 months)'),
    weight_step: z.number().positive().max(1).default(0.25).describe('targets are multiples of this fraction of the budget'),
    max_weight: z.number().positive().max(1).default(1).describe('total weight across symbols when the trend is on'),
  })
  .strict();

export type EquityTrendParams = z.infer<typeof equityTrendParams>;

/** The daily features this model reads, per symbol. */
export const equityTrendFeatures = (p: EquityTrendParams): string[] => [`sma_${p.sma_days}`, ...p.momentum_days.map((d) => `ret_${d}`)];

export function createEquityTrend(p: EquityTrendParams): Model {
  const smaName = `sma_${p.sma_days}`;
  const retNames = p.momentum_days.map((d) => `ret_${d}`);
  const syms = p.symbols;
  const scores = new Array<number>(syms.length).fill(0);
  return {
    name: 'equity_trend',
    version: '1.0.0',
    universe: syms,
    warmupBars: 1,
    parameters: p,
    decide(ctx: ModelContext): ModelDecision | null {
      for (let i = 0; i < syms.length; i++) {
        const sym = syms[i]!;
        const close = ctx.bars[i]!.close;
        const ma = ctx.daily(sym, smaName);
        // NaN (not yet known) compares false: the symbol is simply not eligible. The momentum is
        // looked up only where the trend filter passes (the lookups are pure: the score is the same).
        if (!(close > ma)) {
          scores[i] = 0;
          continue;
        }
        let mom = 0;
        for (let r = 0; r < retNames.length; r++) mom += ctx.daily(sym, retNames[r]!);
        mom /= retNames.length;
        scores[i] = mom > 0 ? mom : 0;
      }
      // The weights follow from the scores alone: with the scores of the last call, they are the
      // weights already held (st.weights), so the split is not recomputed.
      const st = ctx.state as { weights?: number[]; scores?: number[]; key?: string };
      const last = (st.scores ??= []);
      let same = last.length === syms.length;
      for (let i = 0; i < syms.length; i++) {
        if (last[i] !== scores[i]) same = false;
        last[i] = scores[i]!;
      }
      if (same) return null;
      const w = quantisedSplit(scores, p.max_weight, p.weight_step);
      // compared number by number, not through a joined text key (formatting the numbers was a
      // quarter of this model's time in a probed portfolio report; docs/models.md, speed)
      // (a paper snapshot written before st.weights held them as their joined texts, st.key)
      const held = st.weights ?? st.key?.split(',').map(Number);
      if (held !== undefined && sameWeights(held, w)) return null;
      st.weights = w;
      const weights: Record<string, number> = {};
      for (let i = 0; i < syms.length; i++) weights[syms[i]!] = w[i]!;
      return { weights };
    },
  };
}

/**
 * The same targets: equal numbers at each place (as their texts would be: 0 and −0 alike, NaN equal
 * to NaN).
 */
function sameWeights(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y && !(x !== x && y !== y)) return false;
  }
  return true;
}
