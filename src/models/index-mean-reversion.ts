/**
 * IndexMeanReversionModel_v1 (seed 003 §3.3.2): small, short-lived longs on oversold dips in liquid
 * indices, on the H4 clock.
 *
 * Per symbol, on each fresh bar: enter long (`position_weight` of the budget) when Cutler's
 * RSI(`rsi_period`) < `rsi_entry` and the close is below the lower Bollinger band
 * (SMA(`bb_period`) − `bb_k`·σ, population σ). Exit when the dip has reverted (close ≥ the SMA or
 * RSI > `rsi_exit`) or after `time_stop_bars` of the symbol's own bars (time stop). Indicators are
 * recomputed over their windows every bar, so signals depend only on the last bars, not on where the
 * run began; the only state is "in a trade since bar k" per symbol (the window of closes is kept
 * between calls only to be read without a history view: lib/tail-window.ts).
 */
import { z } from 'zod';
import type { Model, ModelContext, ModelDecision } from './types.js';
import { tailMean, tailRsi, tailStd } from './lib/window.js';
import { TailWindows } from './lib/tail-window.js';

export const indexMeanReversionParams = z
  .object({
    symbols: z.array(z.string().min(1)).min(1).default(['SPY', 'QQQ']).describe('index symbols traded'),
    rsi_period: z.number().int().min(1).default(2).describe('RSI period in bars (2–5)'),
    rsi_entry: z.number().min(0).max(100).default(10).describe('enter when RSI is below this'),
    rsi_exit: z.number().min(0).max(100).default(70).describe('exit when RSI is above this'),
    bb_period: z.number().int().min(2).default(20).describe('Bollinger period in bars'),
    bb_k: z.number().positive().default(1.5).describe('Bollinger width in standard deviations'),
    time_stop_bars: z.number().int().min(1).default(10).describe('exit after this many of the symbol\'s bars'),
    position_weight: z.number().positive().max(1).default(0.5).describe('weight per position, fraction of the budget'),
  })
  .strict();

export type IndexMeanReversionParams = z.infer<typeof indexMeanReversionParams>;

interface MrState {
  /** Symbol bar index at entry, per symbol (-1 = flat). */
  entry?: number[];
}

export function createIndexMeanReversion(p: IndexMeanReversionParams): Model {
  const syms = p.symbols;
  const need = Math.max(p.bb_period, p.rsi_period + 1);
  const windows = new TailWindows(syms, need);
  return {
    name: 'index_mean_reversion',
    version: '1.0.0',
    universe: syms,
    warmupBars: need,
    parameters: p,
    decide(ctx: ModelContext): ModelDecision | null {
      const st = ctx.state as MrState;
      const entry = (st.entry ??= syms.map(() => -1));
      let changed = false;
      for (let i = 0; i < syms.length; i++) {
        const bar = ctx.bars[i]!;
        if (!bar.fresh) continue;
        if (bar.index + 1 < need) continue; // fewer than `need` closes so far
        const end = windows.update(ctx, i, bar.index);
        const closes = windows.closes(i);
        const rsi = tailRsi(closes, p.rsi_period, end);
        const c = bar.close;
        // The band is computed only where the answer needs it (each indicator is a pure function of
        // the window, so the order of evaluation changes no decision): an entry needs the RSI dip
        // first, an exit the time stop or the RSI before the mean.
        if (entry[i]! < 0) {
          if (rsi < p.rsi_entry && c < tailMean(closes, p.bb_period, end) - p.bb_k * tailStd(closes, p.bb_period, end)) {
            entry[i] = bar.index;
            changed = true;
          }
        } else if (bar.index - entry[i]! >= p.time_stop_bars || rsi > p.rsi_exit || c >= tailMean(closes, p.bb_period, end)) {
          entry[i] = -1;
          changed = true;
        }
      }
      if (!changed) return null;
      const weights: Record<string, number> = {};
      for (let i = 0; i < syms.length; i++) weights[syms[i]!] = entry[i]! >= 0 ? p.position_weight : 0;
      return { weights, horizonBars: p.time_stop_bars };
    },
  };
}
