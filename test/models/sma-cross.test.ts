import { describe, expect, it } from 'vitest';
import { createSmaCross, smaCrossParams } from '../../src/models/index.js';
import { barsFromCloses, decisionsOf, drive } from './fake-context.js';

// Hand-worked (fast 2, slow 4): i=3 window 10,10,10,10 → tie (not above) → flat; i=4 fast 10.5 >
// slow 10.25 → long; i=7 fast 10 < slow 10.75 → exit; i=10 fast 10.5 > slow 9.5 → long again.
const closes = [10, 10, 10, 10, 11, 12, 11, 9, 8, 9, 12, 13];
const bars = { SPY: barsFromCloses(closes) };
const params = (o: Record<string, unknown>) => smaCrossParams.parse({ symbol: 'SPY', fast: 2, slow: 4, ...o });

describe('sma_cross', () => {
  it('long-only: speaks only when the direction changes', () => {
    const d = decisionsOf(drive(createSmaCross(params({})), bars));
    expect(d).toEqual([
      [3, { SPY: 0 }],
      [4, { SPY: 0.95 }],
      [7, { SPY: 0 }],
      [10, { SPY: 0.95 }],
    ]);
  });
  it('long/short: a tie or a down-cross is short', () => {
    const d = decisionsOf(drive(createSmaCross(params({ short: true, size: 'equity:0.5' })), bars));
    expect(d).toEqual([
      [3, { SPY: -0.5 }],
      [4, { SPY: 0.5 }],
      [7, { SPY: -0.5 }],
      [10, { SPY: 0.5 }],
    ]);
  });
  it('units sizing: weight = units × close / budget value', () => {
    const d = decisionsOf(drive(createSmaCross(params({ size: 'units:10' })), bars, { budgetValue: 100_000 }));
    expect(d[1]![1]['SPY']).toBeCloseTo((10 * 11) / 100_000, 15);
    expect(d[3]![1]['SPY']).toBeCloseTo((10 * 12) / 100_000, 15);
  });
  it('stays silent before it has `slow` closes (shorter warm-up) and on NaN closes', () => {
    const steps = drive(createSmaCross(params({})), bars, { start: 0 });
    expect(steps.slice(0, 3).every((s) => s.decision === null)).toBe(true);
    const nanBars = { SPY: barsFromCloses([10, 10, NaN, 10, 11, 12]) };
    const d = decisionsOf(drive(createSmaCross(params({})), nanBars));
    expect(d).toEqual([]); // every window up to i=5 contains the NaN
  });
  it('rejects fast ≥ slow and bad sizes', () => {
    expect(smaCrossParams.safeParse({ symbol: 'SPY', fast: 30, slow: 10 }).success).toBe(false);
    expect(smaCrossParams.safeParse({ symbol: 'SPY', size: 'lots:3' }).success).toBe(false);
    expect(smaCrossParams.parse({ symbol: 'SPY' })).toMatchObject({ fast: 10, slow: 30, short: false, size: 'equity:0.95' });
  });
});
