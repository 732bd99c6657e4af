/**
 * A run with every kind of Trader state, for the snapshot tests: three symbols (an equity with a
 * borrow rate, a perpetual with funding, an ETF), two models that keep their memory in `ctx.state`
 * (a ring of closes and a counter), go long and short, set stops and limits, and overlap on one
 * symbol (attribution), a participation cap (orders filled in parts over several bars), a rebalance
 * band and drawdown limits. Built from a seed; the same seed builds the same input in any process.
 */
import type { BacktestInput, EngineSymbol } from '../../src/backtest/types.js';
import type { Model, ModelContext, ModelDecision } from '../../src/models/types.js';
import { createRng } from '../../src/core/rng.js';
import { bars, cfg, neutral, type Row } from '../backtest/engine-helpers.js';

function path(seed: number, label: string, n: number, start: number): Row[] {
  const rng = createRng(seed, label);
  let px = start;
  return Array.from({ length: n }, () => {
    const o = px;
    px = Math.max(1, px * Math.exp(0.03 * rng.normal()));
    const hi = Math.max(o, px) * (1 + 0.01 * rng.uniform());
    const lo = Math.min(o, px) * (1 - 0.01 * rng.uniform());
    return [o, hi, lo, px, 200 + Math.floor(2000 * rng.uniform())] as const;
  });
}

/** Momentum over a ring of the last `len` closes kept in ctx.state; a stop below / above the close. */
function ringMomentum(name: string, universe: readonly string[], len: number, sign: 1 | -1): Model {
  return {
    name,
    version: '1.0.0',
    universe,
    warmupBars: len,
    decide(ctx: ModelContext): ModelDecision | null {
      const st = ctx.state as { ring?: Float64Array; at?: number; calls?: number };
      st.ring ??= new Float64Array(len * universe.length);
      st.at = ((st.at ?? -1) + 1) % len;
      st.calls = (st.calls ?? 0) + 1;
      const weights: Record<string, number> = {};
      const stops: Record<string, { stop?: number; limit?: number }> = {};
      universe.forEach((sym, u) => {
        const close = ctx.bar(sym).close;
        const old = st.ring![u * len + st.at!]!;
        st.ring![u * len + st.at!] = close;
        if (!(old > 0)) return;
        const dir = close > old ? sign : -sign;
        weights[sym] = (dir * 0.6) / universe.length;
        stops[sym] = dir > 0 ? { stop: close * 0.97 } : { stop: close * 1.03, limit: close * 1.002 };
      });
      return st.calls % 3 === 0 ? { weights, stops } : null;
    },
  };
}

export function snapshotScenario(seed: number): BacktestInput {
  const n = 120;
  const symbols: EngineSymbol[] = [
    bars('EQ', path(seed, 'EQ', n, 50), { assetClass: 'equity' }),
    bars('PERP', path(seed, 'PERP', n, 200), { assetClass: 'crypto_perp', funding: Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 0.0002 * (i % 2 ? 1 : -1) : 0)) }),
    bars('ETF', path(seed, 'ETF', n, 80), { assetClass: 'etf' }),
  ];
  const config = cfg({
    costs: {
      default: { maker_bps: 1, taker_bps: 5, slippage_bps: 2, impact_coef: 0.1, borrow_bps_year: 300 },
    },
    execution: { max_participation: 0.2, rebalance_band: 0.01 },
    risk: { per_trade_risk: 0.05, drawdown: { reduce_at: 0.15, reduce_scale: 0.5, halt_at: 0.3, halt_action: 'flatten' } },
  });
  return {
    symbols,
    models: [
      { model: ringMomentum('fast_ring', ['EQ', 'PERP'], 4, 1), budget: 0.6 },
      { model: ringMomentum('slow_ring', ['PERP', 'ETF'], 9, -1), budget: 0.4 },
    ],
    config,
    regimeAt: neutral,
  };
}
