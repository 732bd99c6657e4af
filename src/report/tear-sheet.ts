/**
 * The full report of a run (docs/reports.md): daily strategy and benchmark returns, the benchmark
 * statistics, rolling Sharpe and Sortino, monthly and yearly returns, the deepest drawdowns and
 * trade statistics. Computed from RunData only, so a stored run gives the same report in any
 * later session. Daily returns are annualised with the observed density of days
 * (annualisationFactor on the day-end times: ≈ 365 for crypto, ≈ 252 for US equities).
 */
import { annualisationFactor } from '../backtest/metrics/annualisation.js';
import { benchmarkStats, type BenchmarkStats } from './analytics/benchmark-stats.js';
import { drawdownEpisodes, topDrawdowns, type DrawdownEpisode } from './analytics/drawdowns.js';
import { dailyReturns, monthGrid, monthlyReturns, yearlyReturns, type PeriodReturns } from './analytics/periods.js';
import { rollingRatios, type RollingSeries } from './analytics/rolling.js';
import { tradeStats, type TradeStats } from './analytics/trade-stats.js';
import { stepsBetween } from './export-tables.js';
import type { RunData } from './run-data.js';

export interface TearSheet {
  readonly run: RunData;
  readonly daily: PeriodReturns;
  readonly benchmarkDaily: PeriodReturns;
  /** Days per year used to annualise daily statistics. */
  readonly daysPerYear: number;
  readonly rollingWindow: number;
  readonly rolling: RollingSeries;
  readonly monthly: PeriodReturns;
  readonly monthGrid: { readonly years: readonly string[]; readonly cells: readonly (readonly (number | null)[])[] };
  readonly yearly: PeriodReturns;
  readonly benchmarkYearly: PeriodReturns;
  readonly totalReturn: number;
  readonly benchmarkReturn: number;
  readonly benchmark: BenchmarkStats;
  readonly drawdowns: readonly DrawdownEpisode[];
  readonly trades: TradeStats;
}

export function tearSheet(run: RunData, rollingWindow: number): TearSheet {
  const { ts, nav } = run.equity;
  const base = run.initialCapital;
  const daily = dailyReturns(ts, nav, base);
  const benchmarkDaily = dailyReturns(ts, run.benchmark.value, 1);
  const daysPerYear = annualisationFactor(daily.ts, '1d');
  const closed = run.trades
    .filter((t) => t.exitTs !== null)
    .sort((a, b) => a.exitTs! - b.exitTs!)
    .map((t) => ({ pnl: t.pnl, barsHeld: stepsBetween(ts, t.entryTs, t.exitTs!) }));
  const monthly = monthlyReturns(ts, nav, base);
  const last = nav.length - 1;
  return {
    run,
    daily,
    benchmarkDaily,
    daysPerYear,
    rollingWindow,
    rolling: rollingRatios(daily.ts, daily.returns, rollingWindow, daysPerYear),
    monthly,
    monthGrid: monthGrid(monthly),
    yearly: yearlyReturns(ts, nav, base),
    benchmarkYearly: yearlyReturns(ts, run.benchmark.value, 1),
    totalReturn: last >= 0 ? nav[last]! / base - 1 : NaN,
    benchmarkReturn: last >= 0 ? run.benchmark.value[last]! - 1 : NaN,
    benchmark: benchmarkStats(daily.returns, benchmarkDaily.returns, daysPerYear),
    drawdowns: topDrawdowns(drawdownEpisodes(ts, nav, base), 5),
    trades: tradeStats(closed),
  };
}

/** The report's statistics as plain JSON (metrics.json beside the stored metrics). */
export function sheetStatistics(s: TearSheet): Record<string, unknown> {
  return {
    days_per_year: s.daysPerYear,
    total_return: s.totalReturn,
    benchmark: { name: s.run.benchmark.name, total_return: s.benchmarkReturn, ...snake(s.benchmark as unknown as Record<string, number>) },
    rolling_window_days: s.rollingWindow,
    monthly_returns: Object.fromEntries(s.monthly.keys.map((k, i) => [String(k), s.monthly.returns[i]!])),
    yearly_returns: Object.fromEntries(s.yearly.keys.map((k, i) => [String(k), s.yearly.returns[i]!])),
    top_drawdowns: s.drawdowns.map((d) => ({ start: d.start, trough: d.trough, recovery: d.recovery, depth: d.depth, days: d.days })),
    trades: snake(s.trades as unknown as Record<string, number>),
  };
}

const snake = (o: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]));
