import { describe, expect, it } from 'vitest';
import { regimeSplit, regimeSplitRows } from '../../src/backtest/report-regime.js';
import { NEUTRAL_SNAPSHOT, type RegimeSnapshot } from '../../src/regime/types.js';

describe('regimeSplit', () => {
  // Returns 0.1, -0.05, 0.02, 0.03 over bars starting at t = 0, 1, 2, 3; BULL known from t = 0,
  // BEAR from t = 2. Bar i gets the regime at its start ts[i].
  const ts = Float64Array.of(0, 1, 2, 3, 4);
  const r = Float64Array.of(0.1, -0.05, 0.02, 0.03);
  const lookup = (t: number): RegimeSnapshot => ({ ...NEUTRAL_SNAPSHOT, equity: t < 2 ? 'BULL' : 'BEAR' });
  const rows = regimeSplit(ts, r, lookup, 252, ['equity']);
  it('assigns each bar to the regime known at its start and compounds within the regime', () => {
    expect(rows.map((x) => [x.value, x.bars])).toEqual([
      ['BEAR', 2],
      ['BULL', 2],
    ]);
    const bull = rows.find((x) => x.value === 'BULL')!;
    expect(bull.totalReturn).toBeCloseTo(1.1 * 0.95 - 1, 14);
    expect(bull.share).toBe(0.5);
    expect(bull.annualReturn).toBeCloseTo(Math.pow(1.1 * 0.95, 252 / 2) - 1, 8);
    // mean 0.025, sample sd of (0.1, -0.05) = 0.1060660
    expect(bull.sharpe).toBeCloseTo((0.025 / 0.10606601717798213) * Math.sqrt(252), 9);
    const bear = rows.find((x) => x.value === 'BEAR')!;
    expect(bear.totalReturn).toBeCloseTo(1.02 * 1.03 - 1, 14);
  });
  it('formats rows as percentages; a one-bar regime has NaN vol and Sharpe (empty cells)', () => {
    const one = regimeSplit(Float64Array.of(0, 1), Float64Array.of(0.01), () => NEUTRAL_SNAPSHOT, 252, ['crypto']);
    expect(regimeSplitRows(one)).toEqual([['crypto', 'RISK_OFF', 1, 100, 1, Number(((Math.pow(1.01, 252) - 1) * 100).toFixed(2)), null, null]]);
    expect(regimeSplit(Float64Array.of(0), new Float64Array(0), () => NEUTRAL_SNAPSHOT, 252)).toEqual([]);
  });
});
