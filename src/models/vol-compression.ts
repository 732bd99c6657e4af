/**
 * vol_compression_v1 (seed 002 §5): trade the breakout out of a volatility compression on one
 * symbol.
 *
 * - Compression: at the bar before the breakout, ATR(`atr_fast`) / ATR(`atr_slow`) ≤
 *   `compression_ratio` (plain means of true ranges over their windows).
 * - Breakout confirmation: the close leaves the box of the previous `box_bars` bars (their highest
 *   high / lowest low, the current bar excluded) by at least `confirm_atr` × ATR(fast). Up → long;
 *   down → short when `allow_short`.
 * - Exits: a protective stop `stop_atr` × ATR(slow) from the entry close (sent to the engine as a
 *   stop hint, so it fills inside a bar from the OHLC path), a target `target_atr` × ATR(slow)
 *   checked on closes, a time exit after `max_hold_bars`, and an optional trailing stop
 *   (`trail_atr` > 0): the stop ratchets to the best close since entry minus `trail_atr` × ATR(slow)
 *   and never loosens.
 * - At most one entry per UTC day (seed 002's one-trade-per-day guard).
 * A position the engine closed (stop filled) shows as zero attributed exposure; the model then
 * forgets the trade.
 */
import { z } from 'zod';
import { DAY } from '../core/time.js';
import type { Model, ModelContext, ModelDecision } from './types.js';
import { tailAtr, tailMax, tailMin } from './lib/window.js';

export const volCompressionParams = z
  .object({
    symbol: z.string().min(1).default('BTCUSDT').describe('symbol traded'),
    atr_fast: z.number().int().min(1).default(12).describe('fast ATR window in bars (the compression measure)'),
    atr_slow: z.number().int().min(2).default(96).describe('slow ATR window in bars (the baseline and the stop unit)'),
    compression_ratio: z.number().positive().default(0.75).describe('compressed when ATR(fast)/ATR(slow) is at or below this'),
    box_bars: z.number().int().min(1).default(16).describe('bars whose high/low range the breakout must leave'),
    confirm_atr: z.number().min(0).default(0.1).describe('close must clear the box by this many fast ATRs'),
    stop_atr: z.number().positive().default(1.5).describe('initial stop distance in slow ATRs'),
    target_atr: z.number().positive().default(3).describe('profit target distance in slow ATRs (on closes)'),
    max_hold_bars: z.number().int().min(1).default(48).describe('time exit after this many bars'),
    trail_atr: z.number().min(0).default(0).describe('trailing stop distance in slow ATRs; 0 = off'),
    allow_short: z.boolean().default(true).describe('trade downside breakouts short'),
    position_weight: z.number().positive().max(1).default(1).describe('position size, fraction of the budget'),
  })
  .strict()
  .refine((p) => p.atr_fast < p.atr_slow, { message: 'atr_fast must be shorter than atr_slow', path: ['atr_fast'] });

export type VolCompressionParams = z.infer<typeof volCompressionParams>;

interface VcState {
  dir?: number;
  entryIndex?: number;
  stop?: number;
  target?: number;
  best?: number;
  unit?: number;
  lastEntryDay?: number;
}

export function createVolCompression(p: VolCompressionParams): Model {
  const sym = p.symbol;
  // One extra bar for the previous close of the first true range, one for "as of the previous bar".
  const need = Math.max(p.atr_slow, p.box_bars) + 2;
  const flat = (st: VcState): ModelDecision => {
    st.dir = 0;
    return { weights: { [sym]: 0 } };
  };
  return {
    name: 'vol_compression_v1',
    version: '1.0.0',
    universe: [sym],
    warmupBars: need,
    parameters: p,
    decide(ctx: ModelContext): ModelDecision | null {
      const bar = ctx.bars[0]!;
      if (!bar.fresh) return null;
      const st = ctx.state as VcState;
      const c = bar.close;
      const dir = st.dir ?? 0;
      if (dir !== 0) {
        // The engine filled our stop (or never filled the entry): forget the trade.
        if (bar.index > st.entryIndex! && (ctx.exposures[sym] ?? 0) === 0) {
          st.dir = 0;
          return null;
        }
        const held = bar.index - st.entryIndex!;
        if (dir * (c - st.target!) >= 0 || dir * (c - st.stop!) <= 0 || held >= p.max_hold_bars) return flat(st);
        if (p.trail_atr > 0 && dir * (c - st.best!) > 0) {
          st.best = c;
          const trail = c - dir * p.trail_atr * st.unit!;
          if (dir * (trail - st.stop!) > 0) {
            st.stop = trail;
            return { weights: { [sym]: dir * p.position_weight }, stops: { [sym]: { stop: trail } } };
          }
        }
        return null;
      }
      const day = Math.floor(ctx.t / DAY);
      if (st.lastEntryDay === day) return null;
      const high = ctx.history(sym, need, 'high');
      const low = ctx.history(sym, need, 'low');
      const close = ctx.history(sym, need, 'close');
      if (close.length < need) return null;
      const n = close.length;
      // As of the previous bar: views that end one bar earlier.
      const hp = high.subarray(0, n - 1);
      const lp = low.subarray(0, n - 1);
      const cp = close.subarray(0, n - 1);
      const fast = tailAtr(hp, lp, cp, p.atr_fast);
      const slow = tailAtr(hp, lp, cp, p.atr_slow);
      if (!(slow > 0) || !(fast / slow <= p.compression_ratio)) return null;
      const boxHigh = tailMax(hp, p.box_bars);
      const boxLow = tailMin(lp, p.box_bars);
      const margin = p.confirm_atr * fast;
      let d = 0;
      if (c > boxHigh + margin) d = 1;
      else if (p.allow_short && c < boxLow - margin) d = -1;
      if (d === 0) return null;
      st.dir = d;
      st.entryIndex = bar.index;
      st.unit = slow;
      st.best = c;
      st.stop = c - d * p.stop_atr * slow;
      st.target = c + d * p.target_atr * slow;
      st.lastEntryDay = day;
      return { weights: { [sym]: d * p.position_weight }, stops: { [sym]: { stop: st.stop } }, horizonBars: p.max_hold_bars };
    },
  };
}
