import { describe, expect, it } from 'vitest';
import { createEquityTrend, equityTrendParams, equityTrendFeatures } from '../../src/models/index.js';
import { barsFromCloses, decisionsOf, drive } from './fake-context.js';

const known = (v: number, at = 0) => ({ ts: Float64Array.of(at), values: Float64Array.of(v) });
const feats = (sma: number, mom: number, at = 0) => ({
  sma_200: known(sma, at),
  ret_63: known(mom, at),
  ret_126: known(mom, at),
  ret_252: known(mom, at),
});

describe('equity_trend', () => {
  const p = equityTrendParams.parse({});
  it('reads sma_200 and the 3/6/12-month returns', () => {
    expect(equityTrendFeatures(p)).toEqual(['sma_200', 'ret_63', 'ret_126', 'ret_252']);
  });
  it('splits the budget by relative strength among trend-on symbols, quantised to 0.25', () => {
    // SPY momentum 0.07, QQQ 0.03 → 0.7/0.3 → 0.75/0.25; SPY below its average at i=2 → QQQ gets all.
    const bars = { SPY: barsFromCloses([110, 110, 90, 110]), QQQ: barsFromCloses([60, 60, 60, 60]) };
    const d = decisionsOf(drive(createEquityTrend(p), bars, { daily: { SPY: feats(100, 0.07), QQQ: feats(50, 0.03) } }));
    expect(d).toEqual([
      [0, { SPY: 0.75, QQQ: 0.25 }],
      [2, { SPY: 0, QQQ: 1 }],
      [3, { SPY: 0.75, QQQ: 0.25 }],
    ]);
  });
  it('is flat while features are unknown or momentum is negative', () => {
    const bars = { SPY: barsFromCloses([110, 110]), QQQ: barsFromCloses([60, 60]) };
    const late = Date.UTC(2030, 0, 1);
    const d = decisionsOf(drive(createEquityTrend(p), bars, { daily: { SPY: feats(100, 0.07, late), QQQ: feats(50, -0.01) } }));
    expect(d).toEqual([[0, { SPY: 0, QQQ: 0 }]]);
  });
  it('says nothing when new scores split as the weights held, also held as the text of an older snapshot', () => {
    // SPY's momentum moves 0.07 -> 0.071 at bar 1 (known at its close): 0.703/0.297 still splits 0.75/0.25
    const day = 86_400_000;
    const t0 = Date.UTC(2024, 0, 1);
    const moving = (v0: number, v1: number) => ({ ts: Float64Array.of(0, t0 + 2 * day), values: Float64Array.of(v0, v1) });
    const spy = { sma_200: known(100), ret_63: moving(0.07, 0.071), ret_126: moving(0.07, 0.071), ret_252: moving(0.07, 0.071) };
    const bars = { SPY: barsFromCloses([110, 110, 110]), QQQ: barsFromCloses([60, 60, 60]) };
    const d = decisionsOf(drive(createEquityTrend(p), bars, { daily: { SPY: spy, QQQ: feats(50, 0.03) } }));
    expect(d).toEqual([[0, { SPY: 0.75, QQQ: 0.25 }]]);
    // a paper snapshot written before the weights were kept as numbers holds their joined texts
    const model = createEquityTrend(p);
    const ctxWith = (spyMomentum: number, state: Record<string, unknown>) =>
      ({
        bars: [{ close: 110 }, { close: 60 }],
        daily: (sym: string, f: string) => (f === 'sma_200' ? (sym === 'SPY' ? 100 : 50) : sym === 'SPY' ? spyMomentum : 0.03),
        state,
      }) as unknown as Parameters<typeof model.decide>[0];
    expect(model.decide(ctxWith(0.071, { key: '0.75,0.25', scores: [0.07, 0.03] }))).toBeNull();
    expect(model.decide(ctxWith(0.071, { key: '0.5,0.5', scores: [0.07, 0.03] }))).toEqual({ weights: { SPY: 0.75, QQQ: 0.25 } });
  });
});
