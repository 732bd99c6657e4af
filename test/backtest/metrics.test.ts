/**
 * Performance metrics against hand-worked values and independent formulas written differently
 * from the engine (raw-moment sums instead of two-pass central sums, explicit loops over plain
 * arrays), with explicit tolerances. Degenerate inputs (empty, constant, NaN) are pinned too.
 */
import { describe, expect, it } from 'vitest';
import {
  annualisationFactor,
  averageTrade,
  bps,
  cagr,
  calmar,
  computeMetrics,
  drawdownCurve,
  exposure,
  maxDrawdown,
  metricItems,
  moments,
  performanceInput,
  profitFactor,
  sharpe,
  simpleReturns,
  sortino,
  turnover,
  volatility,
  winRate,
  YEAR_MS,
} from '../../src/backtest/metrics/index.js';

const f = (xs: number[]): Float64Array => Float64Array.from(xs);
const DAY = 86_400_000;

describe('sharpe and volatility', () => {
  // Hand series: mean 0.007, deviations (0.003, -0.027, 0.023, -0.007, 0.008), Σd² = 0.00138,
  // sample variance 0.000345, sd 0.0185741756; per-bar Sharpe 0.376867; × sqrt(252) = 5.98259.
  const r = f([0.01, -0.02, 0.03, 0.0, 0.015]);
  it('matches the hand-worked value', () => {
    expect(sharpe(r, 252)).toBeCloseTo(5.98259, 4);
  });
  it('matches an independent raw-moment formula', () => {
    const xs = [...r];
    const n = xs.length;
    const m = xs.reduce((a, b) => a + b, 0) / n;
    const v = (xs.reduce((a, b) => a + b * b, 0) - n * m * m) / (n - 1);
    expect(sharpe(r, 252)).toBeCloseTo((m / Math.sqrt(v)) * Math.sqrt(252), 9);
    expect(volatility(r, 252)).toBeCloseTo(Math.sqrt(v * 252), 12);
  });
  it('subtracts a per-bar risk-free rate', () => {
    // rf 2.52 %/yr over 252 bars = 0.0001 per bar: (0.007 - 0.0001) / 0.0185741756 * sqrt(252)
    expect(sharpe(r, 252, 0.0252)).toBeCloseTo(((0.007 - 0.0001) / 0.0185741756) * Math.sqrt(252), 4);
  });
  it('is NaN for constant, too short, empty or NaN input; volatility 0 for constant', () => {
    expect(sharpe(f([0.001, 0.001, 0.001, 0.001]), 252)).toBeNaN();
    expect(sharpe(f([0.1, 0.1, 0.1]), 252)).toBeNaN(); // 0.1 is not exact in binary: still exactly constant
    expect(sharpe(f([0.01]), 252)).toBeNaN();
    expect(sharpe(f([]), 252)).toBeNaN();
    expect(sharpe(f([0.01, NaN, 0.02]), 252)).toBeNaN();
    expect(volatility(f([0.1, 0.1, 0.1]), 252)).toBe(0);
    expect(volatility(f([]), 252)).toBeNaN();
  });
});

describe('moments', () => {
  it('gives population skewness and non-excess kurtosis (hand series 1,2,3,10)', () => {
    // mean 4; d = -3,-2,-1,6; m2 = 50/4 = 12.5; m3 = (-27-8-1+216)/4 = 45; m4 = (81+16+1+1296)/4 = 348.5
    const m = moments(f([1, 2, 3, 10]));
    expect(m.mean).toBe(4);
    expect(m.variance).toBeCloseTo(50 / 3, 12);
    expect(m.skewness).toBeCloseTo(45 / Math.pow(12.5, 1.5), 12);
    expect(m.kurtosis).toBeCloseTo(348.5 / (12.5 * 12.5), 12);
  });
});

describe('sortino', () => {
  it('matches the hand value with target-0 downside deviation over all returns', () => {
    // mean 0.005; downside Σ = 1e-4 + 4e-4 = 5e-4; / 4 = 1.25e-4; sqrt = 0.0111803399; ratio 0.4472136
    expect(sortino(f([0.02, -0.01, 0.03, -0.02]), 365)).toBeCloseTo(0.4472136 * Math.sqrt(365), 5);
  });
  it('is +Infinity with no losses and positive mean, NaN when flat or too short', () => {
    expect(sortino(f([0.01, 0.02]), 252)).toBe(Infinity);
    expect(sortino(f([0, 0, 0]), 252)).toBeNaN();
    expect(sortino(f([0.01]), 252)).toBeNaN();
    expect(sortino(f([0.01, NaN]), 252)).toBeNaN();
  });
});

describe('drawdown', () => {
  const eq = f([100, 120, 90, 110, 130, 65, 80]);
  it('max drawdown on a hand series is the 130 → 65 fall (50 %)', () => {
    expect(maxDrawdown(eq)).toBeCloseTo(0.5, 15);
  });
  it('drawdown curve matches point by point', () => {
    const dd = drawdownCurve(eq);
    const want = [0, 0, 0.25, 1 - 110 / 120, 0, 0.5, 1 - 80 / 130];
    want.forEach((w, i) => expect(dd[i]).toBeCloseTo(w, 14));
  });
  it('is 0 for a rising or constant curve, NaN for empty or NaN', () => {
    expect(maxDrawdown(f([1, 2, 3]))).toBe(0);
    expect(maxDrawdown(f([5, 5, 5]))).toBe(0);
    expect(maxDrawdown(f([]))).toBeNaN();
    expect(maxDrawdown(f([1, NaN, 2]))).toBeNaN();
  });
});

describe('cagr and calmar', () => {
  it('100 → 121 over exactly two 365.25-day years is 10 %/yr', () => {
    expect(cagr(f([100, 110, 121]), f([0, YEAR_MS, 2 * YEAR_MS]))).toBeCloseTo(0.1, 12);
  });
  it('is NaN for one point or a zero span, -1 for a wiped-out account', () => {
    expect(cagr(f([100]), f([0]))).toBeNaN();
    expect(cagr(f([100, 120]), f([5, 5]))).toBeNaN();
    expect(cagr(f([100, 0]), f([0, YEAR_MS]))).toBe(-1);
  });
  it('calmar = CAGR / MaxDD; NaN when there was no drawdown', () => {
    expect(calmar(0.1, 0.25)).toBeCloseTo(0.4, 15);
    expect(calmar(0.1, 0)).toBeNaN();
    expect(calmar(NaN, 0.2)).toBeNaN();
  });
});

describe('trade statistics', () => {
  const pnl = f([10, -5, 20, -10, 0]);
  it('win rate counts strictly positive trades', () => expect(winRate(pnl)).toBeCloseTo(0.4, 15));
  it('profit factor = 30 / 15', () => expect(profitFactor(pnl)).toBeCloseTo(2, 15));
  it('average trade = 15 / 5', () => expect(averageTrade(pnl)).toBeCloseTo(3, 15));
  it('no trades → NaN; only winners → Infinity; only break-evens → NaN', () => {
    expect(winRate(f([]))).toBeNaN();
    expect(profitFactor(f([]))).toBeNaN();
    expect(averageTrade(f([]))).toBeNaN();
    expect(profitFactor(f([1, 2]))).toBe(Infinity);
    expect(profitFactor(f([0, 0]))).toBeNaN();
  });
});

describe('exposure and turnover', () => {
  it('exposure is the share of observations with a position', () => {
    expect(exposure(f([0, 0.5, 1.2, 0]))).toBeCloseTo(0.5, 15);
    expect(exposure(f([]))).toBeNaN();
  });
  it('turnover: 300 traded on a constant 100 NAV over one year is 3×/yr', () => {
    expect(turnover(300, f([100, 100]), f([0, YEAR_MS]))).toBeCloseTo(3, 12);
    expect(turnover(300, f([100]), f([0]))).toBeNaN();
  });
});

describe('BPS (seed 003 §8.4)', () => {
  it('0.40·1.5 + 0.30·0.12 + 0.20·0.55 − 0.10·0.20 = 0.726', () => {
    expect(bps(1.5, 0.12, 0.55, 0.2)).toBeCloseTo(0.726, 12);
  });
  it('a NaN component makes BPS NaN', () => expect(bps(1, 0.1, NaN, 0.1)).toBeNaN());
});

describe('annualisation factor', () => {
  it('24/7 4h bars give the nominal 2191.5 per year', () => {
    const ts = Float64Array.from({ length: 6 * 30 + 1 }, (_, i) => i * 4 * 3_600_000);
    expect(annualisationFactor(ts, '4h')).toBeCloseTo(365.25 * 6, 9);
  });
  it('weekday-only daily bars give the observed density, not 365.25', () => {
    const ts: number[] = [];
    const start = Date.UTC(2021, 0, 4); // a Monday
    for (let d = 0; d < 364; d++) {
      const dow = new Date(start + d * DAY).getUTCDay();
      if (dow !== 0 && dow !== 6) ts.push(start + d * DAY);
    }
    const span = (ts[ts.length - 1]! - ts[0]!) / YEAR_MS;
    expect(annualisationFactor(f(ts), '1d')).toBeCloseTo((ts.length - 1) / span, 9);
    expect(annualisationFactor(f(ts), '1d')).toBeGreaterThan(255);
    expect(annualisationFactor(f(ts), '1d')).toBeLessThan(265);
  });
  it('falls back to the nominal factor for one bar or a span under a week', () => {
    expect(annualisationFactor(f([0]), '1d')).toBeCloseTo(365.25, 12);
    expect(annualisationFactor(f([0, DAY, 2 * DAY]), '1d')).toBeCloseTo(365.25, 12);
  });
});

describe('computeMetrics', () => {
  it('assembles every metric from an equity curve and shows NaN as null', () => {
    const equity = f([100, 101, 99, 102, 104]);
    const ts = f([0, 1, 2, 3, 4].map((i) => i * DAY));
    const input = performanceInput({ ts, equity, interval: '1d', tradePnl: f([2, -1]), grossExposure: f([0, 1, 1, 1, 0]), tradedNotional: 400 });
    const v = computeMetrics(input);
    expect(input.returns).toEqual(simpleReturns(equity));
    expect(input.periodsPerYear).toBeCloseTo(365.25, 12);
    expect(v['max_drawdown']).toBeCloseTo(1 - 99 / 101, 14);
    expect(v['win_rate']).toBe(0.5);
    expect(v['bps']).toBeCloseTo(0.4 * v['sharpe']! + 0.3 * v['cagr']! + 0.2 * 0.5 - 0.1 * v['max_drawdown']!, 12);
    const items = metricItems({ ...v, psr: NaN });
    expect(items.map((i) => i.name)).toContain('PSR');
    expect(items.find((i) => i.name === 'PSR')!.value).toBeNull();
  });
});
