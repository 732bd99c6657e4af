/**
 * CryptoMomentumModel_v1 (seed 003 §3.3.3): weekly momentum rotation across crypto assets while the
 * crypto regime is risk-on.
 *
 * Gate: with `gate: regime` the regime engine's snapshot (`ctx.regime.crypto === 'RISK_ON'`); with
 * `gate: internal` the model's own version of the same rule on `gate_symbol`: close above its
 * `gate_sma_days` average and positive `lookback_days` momentum. Schedule: at the first decision of
 * each UTC week (weeks start Monday 00:00) the budget is split evenly over the `top_n` symbols with
 * the highest `lookback_days` return (only those above `min_momentum`). When the gate turns off the
 * model goes flat at once; it re-enters only at the next weekly rebalance. Momentum is measured on
 * the symbol's own bars (`lookback_days` × bars per day of its interval, 24/7 markets).
 */
import { z } from 'zod';
import { DAY, intervalMs } from '../core/time.js';
import type { Model, ModelContext, ModelDecision } from './types.js';
import { closeAboveTailMean, newTailSum, type TailSum } from './lib/tail-sum.js';

export const cryptoMomentumParams = z
  .object({
    symbols: z.array(z.string().min(1)).min(1).default(['BTCUSDT', 'ETHUSDT']).describe('crypto symbols in the rotation'),
    lookback_days: z.number().int().min(1).default(60).describe('momentum lookback in days (30–60)'),
    top_n: z.number().int().min(1).default(1).describe('hold the top N symbols by momentum, equally weighted'),
    min_momentum: z.number().default(0).describe('only symbols whose momentum exceeds this are held'),
    gate: z.enum(['regime', 'internal']).default('internal').describe("'regime': the regime engine's crypto regime; 'internal': the model's own BTC trend rule"),
    gate_symbol: z.string().min(1).default('BTCUSDT').describe('symbol of the internal gate (must be in symbols)'),
    gate_sma_days: z.number().int().min(2).default(200).describe('internal gate: moving average in days'),
  })
  .strict()
  .refine((p) => p.symbols.includes(p.gate_symbol), { message: 'gate_symbol must be one of symbols', path: ['gate_symbol'] });

export type CryptoMomentumParams = z.infer<typeof cryptoMomentumParams>;

/** 1970-01-05 was a Monday: weeks are counted from there so they start Monday 00:00 UTC. */
const MONDAY_0 = 4 * DAY;
const WEEK = 7 * DAY;

interface CmState {
  week?: number;
  key?: string;
  gate?: TailSum;
}

export function createCryptoMomentum(p: CryptoMomentumParams, barMs: number): Model {
  const syms = p.symbols;
  const perDay = Math.max(1, Math.round(DAY / barMs));
  const lb = p.lookback_days * perDay;
  const gateLen = p.gate === 'internal' ? p.gate_sma_days * perDay : 0;
  const need = Math.max(lb + 1, gateLen);
  const gateIdx = syms.indexOf(p.gate_symbol);
  const mom = new Array<number>(syms.length).fill(NaN);
  /** close now ÷ close lb bars back − 1; NaN until lb + 1 bars exist (lag reads without a view) */
  const momentum = (ctx: ModelContext, i: number): number => {
    const then = ctx.lag(syms[i]!, lb);
    return then === then ? ctx.lag(syms[i]!, 0) / then - 1 : NaN;
  };
  const order = syms.map((_, i) => i);
  // the weights while the gate is off (read only) and their key, made once
  const flat: readonly number[] = syms.map(() => 0);
  const flatKey = flat.join(',');
  return {
    name: 'crypto_momentum',
    version: '1.0.0',
    universe: syms,
    warmupBars: need,
    parameters: p,
    decide(ctx: ModelContext): ModelDecision | null {
      const st = ctx.state as CmState;
      // Each momentum is a pure function of the bars up to t, so it is read only where an answer
      // needs it: the gate symbol's at every call, every symbol's at a rebalance.
      let on: boolean;
      if (p.gate === 'regime') on = ctx.regime.crypto === 'RISK_ON';
      else if (!(momentum(ctx, gateIdx) > 0)) on = false; // the gate's momentum test first: the long mean only when it passes
      else {
        // close > its gate_sma_days mean, as tailMean would answer, from a running sum (lib/tail-sum.ts)
        on = closeAboveTailMean((st.gate ??= newTailSum()), ctx, p.gate_symbol, ctx.bar(p.gate_symbol).index, gateLen);
      }
      const week = Math.floor((ctx.t - MONDAY_0) / WEEK);
      const rebalance = st.week !== week;
      st.week = week;
      let w: readonly number[] | null = null;
      if (!on) w = flat;
      else if (rebalance) {
        for (let i = 0; i < syms.length; i++) mom[i] = momentum(ctx, i);
        order.sort((a, b) => (mom[b]! > mom[a]! ? 1 : mom[b]! < mom[a]! ? -1 : a - b));
        const picked = order.filter((i) => mom[i]! > p.min_momentum).slice(0, p.top_n);
        w = syms.map((_, i) => (picked.includes(i) ? 1 / p.top_n : 0));
      }
      if (w === null) return null;
      const key = w === flat ? flatKey : w.join(',');
      if (st.key === key) return null;
      st.key = key;
      const weights: Record<string, number> = {};
      for (let i = 0; i < syms.length; i++) weights[syms[i]!] = w[i]!;
      return { weights, horizonBars: 7 * perDay };
    },
  };
}

/** Bars per day of an interval (for converting day lookbacks into bars). */
export const barsPerDay = (interval: Parameters<typeof intervalMs>[0]): number => Math.max(1, Math.round(DAY / intervalMs(interval)));
