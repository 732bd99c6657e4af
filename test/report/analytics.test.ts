/**
 * Must-show 2 of the reports: alpha and beta against an ordinary least squares regression computed
 * independently here (sums form, and a planted exact line), information ratio, tracking error and
 * up/down capture against direct computations, rolling Sharpe/Sortino against a direct window
 * computation, monthly and yearly returns that compound to the total return, drawdown episodes and
 * trade statistics on hand-worked examples.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import { benchmarkStats } from '../../src/report/analytics/benchmark-stats.js';
import { rollingRatios } from '../../src/report/analytics/rolling.js';
import { dailyReturns, monthGrid, monthlyReturns, yearlyReturns } from '../../src/report/analytics/periods.js';
import { drawdownEpisodes, topDrawdowns } from '../../src/report/analytics/drawdowns.js';
import { tradeStats } from '../../src/report/analytics/trade-stats.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2021, 0, 1);

/** Two correlated daily return series from the project's seeded generator. */
function pair(n: number, seed = 3): { s: Float64Array; b: Float64Array } {
  const rng = createRng(seed, 'report-analytics');
  const s = new Float64Array(n);
  const b = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const m = (rng.uniform() - 0.5) * 0.04;
    b[i] = m;
    s[i] = 0.0004 + 0.7 * m + (rng.uniform() - 0.5) * 0.01;
  }
  return { s, b };
}

const sum = (x: ArrayLike<number>): number => Array.from(x).reduce((a, v) => a + v, 0);

describe('benchmark statistics', () => {
  it('alpha and beta equal an OLS fit in the sums form: β = (nΣxy − ΣxΣy) / (nΣx² − (Σx)²), α = (Σy − βΣx) / n', () => {
    const { s, b } = pair(500);
    const n = s.length;
    const sx = sum(b);
    const sy = sum(s);
    const sxy = sum(Array.from(b, (x, i) => x * s[i]!));
    const sxx = sum(Array.from(b, (x) => x * x));
    const beta = (n * sxy - sx * sy) / (n * sxx - sx * sx);
    const alpha = (sy - beta * sx) / n;
    const got = benchmarkStats(s, b, 252);
    expect(got.beta).toBeCloseTo(beta, 12);
    expect(got.alpha).toBeCloseTo(alpha * 252, 12);
    expect(got.beta).toBeGreaterThan(0.6);
    expect(got.beta).toBeLessThan(0.8);
  });

  it('a planted exact line s = 0.0002 + 1.5 b gives β = 1.5 and α = 0.0002 × P', () => {
    const { b } = pair(300, 9);
    const s = Float64Array.from(b, (x) => 0.0002 + 1.5 * x);
    const got = benchmarkStats(s, b, 365);
    expect(got.beta).toBeCloseTo(1.5, 12);
    expect(got.alpha).toBeCloseTo(0.0002 * 365, 12);
    expect(got.correlation).toBeCloseTo(1, 12);
  });

  it('tracking error, information ratio and capture ratios against direct computations', () => {
    const { s, b } = pair(400, 5);
    const P = 252;
    const active = Array.from(s, (v, i) => v - b[i]!);
    const mean = sum(active) / active.length;
    const sd = Math.sqrt(sum(active.map((a) => (a - mean) ** 2)) / (active.length - 1));
    const got = benchmarkStats(s, b, P);
    expect(got.trackingError).toBeCloseTo(sd * Math.sqrt(P), 12);
    expect(got.informationRatio).toBeCloseTo((mean / sd) * Math.sqrt(P), 12);
    // empyrical: annual_return(returns[factor > 0]) / annual_return(factor[factor > 0]), annual = Π(1+r)^(P/n) − 1
    const annual = (x: number[]): number => Math.exp((Math.log(x.reduce((g, r) => g * (1 + r), 1)) * P) / x.length) - 1;
    const up = [...b.keys()].filter((i) => b[i]! > 0);
    const down = [...b.keys()].filter((i) => b[i]! < 0);
    expect(got.upCapture).toBeCloseTo(annual(up.map((i) => s[i]!)) / annual(up.map((i) => b[i]!)), 10);
    expect(got.downCapture).toBeCloseTo(annual(down.map((i) => s[i]!)) / annual(down.map((i) => b[i]!)), 10);
  });
});

describe('rolling Sharpe and Sortino', () => {
  it('each value equals the ratio computed directly on its trailing window', () => {
    const { s } = pair(200, 11);
    const ts = Float64Array.from(s, (_, i) => T0 + i * DAY);
    const W = 30;
    const P = 252;
    const got = rollingRatios(ts, s, W, P);
    expect(got.sharpe.length).toBe(200 - W + 1);
    for (const end of [W - 1, 77, 199]) {
      const w = Array.from(s.subarray(end - W + 1, end + 1));
      const m = sum(w) / W;
      const sd = Math.sqrt(sum(w.map((x) => (x - m) ** 2)) / (W - 1));
      const dd = Math.sqrt(sum(w.map((x) => Math.min(x, 0) ** 2)) / W);
      const i = end - W + 1;
      expect(got.ts[i]).toBe(ts[end]);
      expect(got.sharpe[i]).toBeCloseTo((m / sd) * Math.sqrt(P), 10);
      expect(got.sortino[i]).toBeCloseTo((m / dd) * Math.sqrt(P), 10);
    }
  });
  it('fewer returns than the window: no values', () => {
    expect(rollingRatios(new Float64Array(3), new Float64Array(3), 5, 252).sharpe.length).toBe(0);
  });
});

describe('calendar returns', () => {
  // 4h steps over 14 months, NAV a seeded random walk from a 100 000 capital
  const rng = createRng(2, 'calendar');
  const n = 14 * 30 * 6;
  const ts = Float64Array.from({ length: n }, (_, i) => T0 + (i + 1) * 4 * 3_600_000);
  const nav = new Float64Array(n);
  let v = 100_000;
  for (let i = 0; i < n; i++) nav[i] = v *= 1 + (rng.uniform() - 0.5) * 0.01;

  it('monthly and yearly returns compound to the total return; months are month-end over month-end', () => {
    const m = monthlyReturns(ts, nav, 100_000);
    const y = yearlyReturns(ts, nav, 100_000);
    const total = nav[n - 1]! / 100_000 - 1;
    expect(Array.from(m.returns).reduce((g, r) => g * (1 + r), 1) - 1).toBeCloseTo(total, 12);
    expect(Array.from(y.returns).reduce((g, r) => g * (1 + r), 1) - 1).toBeCloseTo(total, 12);
    expect(m.keys.slice(0, 3)).toEqual(['2021-01', '2021-02', '2021-03']);
    // February: NAV at the last step of February over NAV at the last step of January
    const lastIn = (from: number, to: number): number => nav[[...ts.keys()].filter((i) => ts[i]! >= from && ts[i]! < to).pop()!]!;
    const jan = lastIn(Date.UTC(2021, 0, 1), Date.UTC(2021, 1, 1));
    const feb = lastIn(Date.UTC(2021, 1, 1), Date.UTC(2021, 2, 1));
    expect(m.returns[1]).toBeCloseTo(feb / jan - 1, 14);
    expect(m.returns[0]).toBeCloseTo(jan / 100_000 - 1, 14);
    const grid = monthGrid(m);
    expect(grid.years).toEqual(['2021', '2022']);
    expect(grid.cells[0]![1]).toBe(m.returns[1]);
    expect(grid.cells[1]![11]).toBeNull();
  });
  it('daily returns: one per UTC day, compounding to the total', () => {
    const d = dailyReturns(ts, nav, 100_000);
    expect(d.returns.length).toBe(new Set(Array.from(ts, (t) => Math.floor(t / DAY))).size);
    expect(Array.from(d.returns).reduce((g, r) => g * (1 + r), 1) - 1).toBeCloseTo(nav[n - 1]! / 100_000 - 1, 12);
  });
});

describe('drawdowns and trades', () => {
  it('episodes: start at the peak, trough, recovery, depth and days (hand-worked)', () => {
    const ts = Float64Array.from({ length: 9 }, (_, i) => T0 + i * DAY);
    const nav = Float64Array.from([100, 110, 99, 88, 110, 120, 108, 114, 115]);
    const eps = drawdownEpisodes(ts, nav, 100);
    expect(eps).toEqual([
      { start: T0 + DAY, trough: T0 + 3 * DAY, recovery: T0 + 4 * DAY, depth: 1 - 88 / 110, days: 3 },
      { start: T0 + 5 * DAY, trough: T0 + 6 * DAY, recovery: null, depth: 1 - 108 / 120, days: 3 },
    ]);
    expect(topDrawdowns(eps, 1)[0]!.depth).toBeCloseTo(0.2, 14);
  });
  it('trade statistics (hand-worked): wins 30, 10; losses −20, −5, −5; streaks 2 and 2', () => {
    const t = tradeStats([
      { pnl: 30, barsHeld: 4 },
      { pnl: 10, barsHeld: 2 },
      { pnl: -20, barsHeld: 6 },
      { pnl: -5, barsHeld: 1 },
      { pnl: 0, barsHeld: 1 },
      { pnl: -5, barsHeld: 1 },
    ]);
    expect(t).toEqual({
      trades: 6, wins: 2, losses: 3, winRate: 2 / 6, averageWin: 20, averageLoss: -10, expectancy: 10 / 6, payoffRatio: 2,
      longestWinStreak: 2, longestLossStreak: 2, averageBarsHeld: 15 / 6,
    });
  });
});
