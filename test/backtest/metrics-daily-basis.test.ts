/**
 * Annualisation on irregular clocks. The demo portfolio's 4h clock is the union of crypto closes
 * (every 4h, every day) and US-session closes (18:30 and 21:00 UTC on weekdays), so one
 * periods-per-year figure cannot describe it. The report's Sharpe, Sortino, volatility, CAGR, PSR
 * (and BPS, Calmar through CAGR) must equal an independent computation from daily calendar returns:
 * the NAV at each UTC day close, 365 per year when crypto is held (every calendar day), 252 for
 * equity-only runs (trading days only). The reference below groups by ISO date strings, sums raw
 * moments and walks calendar dates with Date.UTC: written differently from
 * metrics/annualisation.ts and moments.ts.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import normal from '@stdlib/stats-base-dists-normal';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { createRng } from '../../src/core/rng.js';
import { portfolioPlan, singleModelPlan } from '../../src/backtest/run-backtest-plan.js';
import { runBacktestReport } from '../../src/backtest/run-backtest.js';
import { annualisationBasis, computeMetrics, dailyCloses, performanceInput } from '../../src/backtest/metrics/index.js';
import { generateSyntheticMarket, toDatasets } from '../../src/data/synthetic/index.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const f = (xs: number[]): Float64Array => Float64Array.from(xs);

/** UTC date of the day a close at `t` ends: a close at exactly 00:00 ends the day before. */
const dateOfClose = (t: number): string => new Date(t - 1).toISOString().slice(0, 10);

/** Last NAV of each UTC date, every calendar date filled (carrying the NAV) when `everyDay`. */
function navByDate(ts: ArrayLike<number>, nav: ArrayLike<number>, everyDay: boolean): { dates: string[]; navs: number[] } {
  const last = new Map<string, number>();
  for (let i = 0; i < ts.length; i++) last.set(dateOfClose(ts[i]!), nav[i]!);
  if (!everyDay) return { dates: [...last.keys()], navs: [...last.values()] };
  const dates: string[] = [];
  const navs: number[] = [];
  const keys = [...last.keys()];
  const [y, m, d] = keys[0]!.split('-').map(Number) as [number, number, number];
  let carried = NaN;
  for (let k = 0; ; k++) {
    const date = new Date(Date.UTC(y, m - 1, d + k)).toISOString().slice(0, 10);
    if (last.has(date)) carried = last.get(date)!;
    dates.push(date);
    navs.push(carried);
    if (date === keys[keys.length - 1]) break;
  }
  return { dates, navs };
}

interface Reference {
  readonly n: number;
  readonly sharpe: number;
  readonly volatility: number;
  readonly sortino: number;
  readonly cagr: number;
  readonly psr: number;
}

/** Sharpe, vol, Sortino, CAGR and PSR from daily NAVs, by raw-moment sums. */
function reference(dates: string[], navs: number[], perYear: number): Reference {
  const r: number[] = [];
  for (let i = 1; i < navs.length; i++) r.push(navs[i]! / navs[i - 1]! - 1);
  const n = r.length;
  let s1 = 0, s2 = 0, down = 0;
  for (const x of r) {
    s1 += x;
    s2 += x * x;
    if (x < 0) down += x * x;
  }
  const mean = s1 / n;
  const sd = Math.sqrt((s2 - n * mean * mean) / (n - 1));
  // population central moments for PSR (Bailey & López de Prado 2012, eq. 11)
  let c2 = 0, c3 = 0, c4 = 0;
  for (const x of r) {
    c2 += (x - mean) ** 2 / n;
    c3 += (x - mean) ** 3 / n;
    c4 += (x - mean) ** 4 / n;
  }
  const skew = c3 / c2 ** 1.5;
  const kurt = c4 / c2 ** 2;
  const sr = mean / sd;
  const z = (sr * Math.sqrt(n - 1)) / Math.sqrt(1 - skew * sr + ((kurt - 1) / 4) * sr * sr);
  const days = (Date.parse(dates[dates.length - 1]!) - Date.parse(dates[0]!)) / DAY;
  return {
    n,
    sharpe: sr * Math.sqrt(perYear),
    volatility: sd * Math.sqrt(perYear),
    sortino: (mean / Math.sqrt(down / n)) * Math.sqrt(perYear),
    cagr: (navs[navs.length - 1]! / navs[0]!) ** (365.25 / days) - 1,
    psr: normal.cdf(z, 0, 1),
  };
}

function expectClose(actual: number | undefined, expected: number, rel = 1e-9): void {
  expect(actual).toBeDefined();
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(expected)));
}

function expectMatches(metrics: Readonly<Record<string, number>>, ref: Reference): void {
  expectClose(metrics['sharpe'], ref.sharpe);
  expectClose(metrics['volatility'], ref.volatility);
  expectClose(metrics['sortino'], ref.sortino);
  expectClose(metrics['cagr'], ref.cagr);
  expectClose(metrics['psr'], ref.psr);
}

describe('daily closes (hand-worked)', () => {
  const d0 = Date.UTC(2024, 0, 5); // a Friday
  it('a 24/7 clock: the last NAV of each UTC day; a close at 00:00 ends the day before; a day without a step repeats the NAV', () => {
    // Fri 04:00, Fri 24:00 (= Sat 00:00, ends Friday), Sat 12:00, (no Sunday), Mon 08:00
    const ts = f([d0 + 4 * HOUR, d0 + DAY, d0 + DAY + 12 * HOUR, d0 + 3 * DAY + 8 * HOUR]);
    const nav = f([100, 101, 103, 99]);
    const out = dailyCloses(ts, nav, '24/7');
    expect([...out.ts]).toEqual([d0 + DAY, d0 + 2 * DAY, d0 + 3 * DAY, d0 + 4 * DAY]);
    expect([...out.equity]).toEqual([101, 103, 103, 99]);
  });
  it('an equity calendar keeps only the days that have a step', () => {
    const ts = f([d0 + 18 * HOUR, d0 + 21 * HOUR, d0 + 3 * DAY + 21 * HOUR]);
    const out = dailyCloses(ts, f([100, 102, 101]), 'equity');
    expect([...out.ts]).toEqual([d0 + DAY, d0 + 4 * DAY]);
    expect([...out.equity]).toEqual([102, 101]);
  });
  it('the basis: regular daily bars keep the bar basis; two closes a day or an intraday clock take daily closes', () => {
    const daily = Float64Array.from({ length: 30 }, (_, i) => d0 + i * DAY);
    expect(annualisationBasis(daily, '1d', ['equity']).kind).toBe('bars');
    const mixed = Float64Array.from({ length: 30 }, (_, i) => d0 + Math.floor(i / 2) * DAY + (i % 2 ? 21 * HOUR : DAY));
    expect(annualisationBasis(mixed, '1d', ['crypto_spot', 'equity'])).toMatchObject({ kind: 'daily', periodsPerYear: 365, calendar: '24/7' });
    const h4 = Float64Array.from({ length: 30 }, (_, i) => d0 + i * 4 * HOUR);
    expect(annualisationBasis(h4, '4h', ['etf'])).toMatchObject({ kind: 'daily', periodsPerYear: 252, calendar: 'equity' });
    expect(annualisationBasis(h4, '4h', ['etf']).label).toContain('252 per year');
  });
});

describe('metrics on an irregular clock equal the independent daily computation', () => {
  it('an equity-only 4h clock (two session closes a weekday, none at weekends): trading-day returns, 252 per year', () => {
    const rng = createRng(3, 'daily-basis-equity');
    const ts: number[] = [];
    const nav: number[] = [];
    let v = 1000;
    for (let d = 0; d < 400; d++) {
      const day = Date.UTC(2022, 0, 3) + d * DAY; // 2022-01-03 is a Monday
      const dow = new Date(day).getUTCDay();
      if (dow === 0 || dow === 6) continue;
      for (const h of [18, 21]) {
        v *= 1 + 0.004 * rng.normal() + 0.0003;
        ts.push(day + h * HOUR);
        nav.push(v);
      }
    }
    const input = performanceInput({ ts: f(ts), equity: f(nav), interval: '4h', assetClasses: ['etf'] });
    expect(input.basis.periodsPerYear).toBe(252);
    const { dates, navs } = navByDate(ts, nav, false);
    const ref = reference(dates, navs, 252);
    expect(input.returns.length).toBe(ref.n);
    expectMatches(computeMetrics(input), ref);
  });

  const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
  const { config } = loadConfig(resolve(root, 'configs/base.yaml'));
  const market = generateSyntheticMarket({ seed: 7, start: '2021-01-01', years: 1.2, equityStart: '2021-01-01' }, (s) => createRng(7, s));
  const data = new Map(toDatasets(market).map((d) => [d.name, d] as const));

  it('the demo portfolio (4h crypto perpetuals + US-session ETFs): daily calendar returns, 365 per year', async () => {
    const r = await runBacktestReport(portfolioPlan(config), data, { probes: false });
    const ts = r.result.ts;
    // The clock is irregular: crypto closes every 4h and ETF closes at 18:30 and 21:00 on weekdays.
    const closesPerDay = new Map<string, number>();
    for (const t of ts) closesPerDay.set(dateOfClose(t), (closesPerDay.get(dateOfClose(t)) ?? 0) + 1);
    expect(new Set(closesPerDay.values()).size).toBeGreaterThan(1);
    expect(r.annualisation).toMatchObject({ kind: 'daily', periodsPerYear: 365 });
    expect(r.annualisation.label).toBe('daily calendar returns (NAV at each UTC day close), 365 per year');
    const { dates, navs } = navByDate(ts, r.result.nav, true);
    const ref = reference(dates, navs, 365);
    expectMatches(r.metrics, ref);
    // BPS and Calmar take the same CAGR and Sharpe (max drawdown stays on every step's NAV).
    expectClose(r.metrics['bps'], 0.4 * ref.sharpe + 0.3 * ref.cagr + 0.2 * r.metrics['win_rate']! - 0.1 * r.metrics['max_drawdown']!);
    expectClose(r.metrics['calmar'], ref.cagr / r.metrics['max_drawdown']!);
    // The regime split reads the same daily returns: its periods add up to them.
    const equityRows = r.regimeSplit.filter((row) => row.dimension === 'equity');
    expect(equityRows.reduce((s, row) => s + row.bars, 0)).toBe(ref.n);
  }, 60_000);

  it('a regular daily clock keeps bar returns at the observed density (SPY 1d: about 252 per year)', async () => {
    const plan = singleModelPlan(config, 'sma_cross', { params: { symbol: 'SPY', fast: 5, slow: 20 }, interval: '1d' });
    const r = await runBacktestReport(plan, data, { probes: false });
    expect(r.annualisation.kind).toBe('bars');
    expect(r.annualisation.periodsPerYear).toBeGreaterThan(245);
    expect(r.annualisation.periodsPerYear).toBeLessThan(262);
    const nav = [...r.result.nav];
    const dates = [...r.result.ts].map(dateOfClose);
    const ref = reference(dates, nav, r.annualisation.periodsPerYear);
    expectClose(r.metrics['sharpe'], ref.sharpe);
    expectClose(r.metrics['volatility'], ref.volatility);
  }, 60_000);
});
