/**
 * The report (tear-sheet.ts) as shell blocks: benchmark and trade statistics, equity against the
 * benchmark, underwater curve, rolling Sharpe/Sortino, exposure, per-model equity, the monthly
 * returns grid, yearly returns and the deepest drawdowns. Used by `backtest` and `runs show`.
 */
import { metrics, table, type Block, type Cell, type Metric } from '../core/result.js';
import { shortUtc } from '../core/time.js';
import { strideIndices } from '../backtest/report-series.js';
import type { TearSheet } from './tear-sheet.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

const pct = (v: number | null | undefined): Cell => (v === null || v === undefined || !Number.isFinite(v) ? null : Number((v * 100).toFixed(2)));
const round = (v: number, digits: number): number | null => (Number.isFinite(v) ? Number(v.toFixed(digits)) : null);

export function benchmarkItems(s: TearSheet): Metric[] {
  const b = s.benchmark;
  return [
    { name: 'return', value: s.totalReturn, unit: '%', digits: 2 },
    { name: 'benchmark return', value: s.benchmarkReturn, unit: '%', digits: 2 },
    { name: 'alpha (ann.)', value: b.alpha, unit: '%', digits: 2 },
    { name: 'beta', value: b.beta, digits: 3 },
    { name: 'correlation', value: b.correlation, digits: 3 },
    { name: 'information ratio', value: b.informationRatio, digits: 2 },
    { name: 'tracking error', value: b.trackingError, unit: '%', digits: 2 },
    { name: 'up capture', value: b.upCapture, digits: 3 },
    { name: 'down capture', value: b.downCapture, digits: 3 },
  ];
}

export function tradeItems(s: TearSheet): Metric[] {
  const t = s.trades;
  return [
    { name: 'closed trades', value: t.trades, unit: 'count' },
    { name: 'win rate', value: t.winRate, unit: '%', digits: 1 },
    { name: 'average win', value: t.averageWin, digits: 2 },
    { name: 'average loss', value: t.averageLoss, digits: 2 },
    { name: 'expectancy', value: t.expectancy, digits: 2 },
    { name: 'payoff ratio', value: t.payoffRatio, digits: 2 },
    { name: 'longest win streak', value: t.longestWinStreak, unit: 'count' },
    { name: 'longest loss streak', value: t.longestLossStreak, unit: 'count' },
    { name: 'average bars held', value: t.averageBarsHeld, digits: 1 },
  ];
}

export const MONTHLY_COLUMNS = ['year', ...MONTHS, 'year %'] as const;

export function monthlyRows(s: TearSheet): Cell[][] {
  return s.monthGrid.years.map((y, i) => [y, ...s.monthGrid.cells[i]!.map(pct), pct(s.yearly.returns[s.yearly.keys.indexOf(y)])]);
}

export const DRAWDOWN_COLUMNS = ['start', 'trough', 'recovery', 'depth %', 'days'] as const;

export function drawdownRows(s: TearSheet): Cell[][] {
  return s.drawdowns.map((d) => [shortUtc(d.start, true), shortUtc(d.trough, true), d.recovery === null ? 'not yet' : shortUtc(d.recovery, true), pct(d.depth), round(d.days, 1)]);
}

export function reportBlocks(s: TearSheet, maxPoints = 400): Block[] {
  const run = s.run;
  const e = run.equity;
  const idx = strideIndices(e.ts.length, maxPoints);
  const x = idx.map((i) => e.ts[i]!);
  const at = (a: ArrayLike<number>, scale = 1): (number | null)[] => idx.map((i) => round(a[i]! * scale, 6));
  const rolling = strideIndices(s.rolling.ts.length, maxPoints);
  const blocks: Block[] = [
    metrics(benchmarkItems(s), `against ${run.benchmark.name} (daily returns, ${s.daysPerYear.toFixed(1)} days/yr)`),
    metrics(tradeItems(s), 'trade statistics'),
    {
      kind: 'series', title: 'equity vs benchmark', pane: 'equity', xKind: 'time', x,
      series: [{ name: 'NAV', values: at(e.nav) }, { name: 'benchmark', values: at(run.benchmark.value, run.initialCapital) }],
    },
    { kind: 'series', title: 'underwater', pane: 'drawdown', xKind: 'time', x, series: [{ name: 'underwater', values: at(e.drawdown, -1) }] },
    {
      kind: 'series', title: `rolling Sharpe and Sortino (${s.rollingWindow} days)`, pane: 'rolling', xKind: 'time',
      x: rolling.map((i) => s.rolling.ts[i]!),
      series: [{ name: 'Sharpe', values: rolling.map((i) => round(s.rolling.sharpe[i]!, 4)) }, { name: 'Sortino', values: rolling.map((i) => round(s.rolling.sortino[i]!, 4)) }],
    },
    { kind: 'series', title: 'exposure', pane: 'exposure', xKind: 'time', x, series: [{ name: 'gross', values: at(e.gross) }, { name: 'net', values: at(e.net) }] },
    {
      kind: 'series', title: 'equity by model', pane: 'models', xKind: 'time', x,
      series: run.models.map((m) => ({ name: m.name, values: at(Float64Array.from(m.pnl, (v) => m.budget * run.initialCapital + v)) })),
    },
    table(MONTHLY_COLUMNS, monthlyRows(s), 'monthly returns %'),
    table(['year', 'return %', 'benchmark %'], s.yearly.keys.map((k, i) => [String(k), pct(s.yearly.returns[i]), pct(s.benchmarkYearly.returns[i])]), 'yearly returns'),
    table(DRAWDOWN_COLUMNS, drawdownRows(s), 'top 5 drawdowns'),
  ];
  return blocks;
}
