/** Attribution of every position to its models, summing exactly to the portfolio. */
import { describe, expect, test } from 'vitest';
import { runBacktest } from '../../src/backtest/engine.js';
import { bars, cfg, neutral, scripted, withBudget, type Row } from './engine-helpers.js';

describe('attribution', () => {
  test('hand-worked: two models netting in SPY', () => {
    // Capital 10,000. A (budget 0.5) wants SPY 1.0, QQQ 0.5 → NAV weights SPY 0.5, QQQ 0.25.
    // B (budget 0.3) wants SPY −0.5 → SPY −0.15. Net SPY 0.35 → 35 shares at 100; QQQ 0.25 → 50 shares at 50.
    // Attributed: A holds SPY 50 and QQQ 50, B holds SPY −15 (50 − 15 = 35).
    // Bar 1 closes SPY 110, QQQ 55: A = 50 × 10 + 50 × 5 = 750, B = −15 × 10 = −150, portfolio = 600.
    const spy: Row[] = [[100, 100, 100, 100], [100, 110, 100, 110]];
    const qqq: Row[] = [[50, 50, 50, 50], [50, 55, 50, 55]];
    const r = runBacktest({
      symbols: [bars('SPY', spy), bars('QQQ', qqq)],
      models: [
        withBudget(scripted('A', ['SPY', 'QQQ'], { 0: { weights: { SPY: 1, QQQ: 0.5 } } }), 0.5),
        withBudget(scripted('B', ['SPY'], { 0: { weights: { SPY: -0.5 } } }), 0.3),
      ],
      config: cfg({ execution: { rebalance_band: 0.5 } }),
      regimeAt: neutral,
    });
    expect(r.fills.map((f) => [f.symbol, f.qty])).toEqual([['SPY', 35], ['QQQ', 50]]);
    expect(r.models[0]!.total).toBeCloseTo(750, 9);
    expect(r.models[1]!.total).toBeCloseTo(-150, 9);
    expect(r.assets.map((a) => a.total)).toEqual([350, 250]);
    expect(r.nav[1]).toBe(10_600);
  });

  test('with costs, funding, stops and changing decisions, models and assets sum to the portfolio at every step', () => {
    const n = 60;
    // deterministic wavy prices
    const mk = (base: number, f: number): Row[] =>
      Array.from({ length: n }, (_, i) => {
        const c = base * (1 + 0.1 * Math.sin(i * f));
        const o = base * (1 + 0.1 * Math.sin((i - 0.5) * f));
        return [o, Math.max(o, c) * 1.01, Math.min(o, c) * 0.99, c, 1000 + i] as const;
      });
    const funding = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 0.0001 * Math.cos(i) : 0));
    const scheduleA: Record<number, { weights: Record<string, number>; stops?: Record<string, { stop?: number }> }> = {};
    const scheduleB: typeof scheduleA = {};
    for (let k = 0; k < n; k += 7) scheduleA[k] = { weights: { SPY: Math.sin(k), BTC: 0.5 * Math.cos(k) } };
    for (let k = 3; k < n; k += 5) scheduleB[k] = { weights: { SPY: -0.7 * Math.cos(k) }, stops: { SPY: { stop: Math.cos(k) > 0 ? 102 : 98 } } };
    const r = runBacktest({
      symbols: [bars('SPY', mk(100, 0.3)), bars('BTC', mk(20000, 0.2), { assetClass: 'crypto_perp', funding })],
      models: [withBudget(scripted('A', ['SPY', 'BTC'], scheduleA), 0.6), withBudget(scripted('B', ['SPY'], scheduleB), 0.3)],
      config: cfg({
        costs: { default: { maker_bps: 2, taker_bps: 5, slippage_bps: 3, impact_coef: 0.2 } },
        execution: { rebalance_band: 0.01, lots: { default: { lot_size: 0.001, min_qty: 0, min_notional: 0 } } },
      }),
      regimeAt: neutral,
    });
    expect(r.fills.length).toBeGreaterThan(10);
    expect(r.costs.funding).not.toBe(0);
    expect(r.fills.some((f) => f.type === 'stop')).toBe(true);
    for (let k = 0; k < r.nav.length; k++) {
      const sumModels = r.models.reduce((s, m) => s + m.pnl[k]!, 0);
      expect(sumModels).toBeCloseTo(r.nav[k]! - 10_000, 6);
    }
    const last = r.nav.length - 1;
    expect(r.assets.reduce((s, a) => s + a.total, 0)).toBeCloseTo(r.nav[last]! - 10_000, 6);
    for (const key of ['fees', 'slippage', 'impact', 'funding'] as const) {
      expect(r.models.reduce((s, m) => s + m[key], 0)).toBeCloseTo(r.costs[key], 8);
      expect(r.assets.reduce((s, a) => s + a[key], 0)).toBeCloseTo(r.costs[key], 8);
    }
    expect(r.costs.gross - r.costs.fees - r.costs.slippage - r.costs.impact - r.costs.funding).toBeCloseTo(r.costs.net, 8);
    // trades (closed + open, marked) sum to the asset totals
    expect(r.trades.reduce((s, t) => s + t.pnl, 0)).toBeCloseTo(r.nav[last]! - 10_000, 6);
  });
});
