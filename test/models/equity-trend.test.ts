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
});
