/**
 * Performance metrics: one metric per file behind `PerformanceMetric`, listed here in display
 * order. `computeMetrics` evaluates all of them on one `PerformanceInput`.
 */
import type { Interval } from '../../core/time.js';
import type { AssetClass } from '../../core/table.js';
import type { Metric } from '../../core/result.js';
import { annualisationBasis, atCloseRows, dailyCloses, type CloseRows } from './annualisation.js';
import { simpleReturns } from './returns.js';
import type { EquitySteps, PerformanceInput, PerformanceMetric } from './types.js';
import { cagrMetric } from './cagr.js';
import { volatilityMetric } from './volatility.js';
import { sharpeMetric } from './sharpe.js';
import { psrMetric } from './psr.js';
import { sortinoMetric } from './sortino.js';
import { maxDrawdownMetric } from './max-drawdown.js';
import { calmarMetric } from './calmar.js';
import { winRateMetric } from './win-rate.js';
import { profitFactorMetric } from './profit-factor.js';
import { averageTradeMetric } from './average-trade.js';
import { exposureMetric } from './exposure.js';
import { turnoverMetric } from './turnover.js';
import { bpsMetric } from './bps.js';

export type { EquitySteps, PerformanceInput, PerformanceMetric } from './types.js';
export { YEAR_MS } from './types.js';
export {
  annualisationFactor,
  annualisationBasis,
  calendarOfClasses,
  closingDay,
  dailyCloses,
  dailyCloseRows,
  atCloseRows,
  type CloseRows,
  CALENDAR_DAYS_PER_YEAR,
  TRADING_DAYS_PER_YEAR,
  type AnnualisationBasis,
} from './annualisation.js';
export { simpleReturns } from './returns.js';
export { moments, type Moments } from './moments.js';
export { drawdownCurve } from './drawdown-curve.js';
export { cagr } from './cagr.js';
export { volatility } from './volatility.js';
export { sharpe } from './sharpe.js';
export { psr } from './psr.js';
export { sortino } from './sortino.js';
export { maxDrawdown } from './max-drawdown.js';
export { calmar } from './calmar.js';
export { winRate } from './win-rate.js';
export { profitFactor } from './profit-factor.js';
export { averageTrade } from './average-trade.js';
export { exposure } from './exposure.js';
export { turnover } from './turnover.js';
export { bps } from './bps.js';

/** Every metric, in the order the metrics block shows them. */
export const PERFORMANCE_METRICS: readonly PerformanceMetric[] = [
  cagrMetric,
  volatilityMetric,
  sharpeMetric,
  psrMetric,
  sortinoMetric,
  maxDrawdownMetric,
  calmarMetric,
  winRateMetric,
  profitFactorMetric,
  averageTradeMetric,
  exposureMetric,
  turnoverMetric,
  bpsMetric,
];

export interface PerformanceParts {
  readonly ts: Float64Array;
  readonly equity: Float64Array;
  readonly interval: Interval;
  /** Asset classes of the run's symbols (which calendar the daily basis samples). @default none: equity sessions */
  readonly assetClasses?: readonly AssetClass[];
  readonly tradePnl?: Float64Array;
  readonly grossExposure?: Float64Array;
  /** Instead of `grossExposure`: the number of observations with gross exposure > 0. */
  readonly heldSteps?: number;
  readonly tradedNotional?: number;
  /** `dailyCloseRows(ts, calendar)` when the caller already has it (many NAV series on one clock). */
  readonly closeRows?: CloseRows;
  /**
   * Instead of the whole `equity` series (then empty on a daily basis): its step figures and, with
   * `closeRows`, the NAV at those rows (`closeEquity`); a regular daily-or-longer clock still
   * needs every step in `equity`.
   */
  readonly steps?: EquitySteps;
  readonly closeEquity?: Float64Array;
}

/**
 * Assemble a PerformanceInput: the annualisation basis, the NAV the returns are taken from (the
 * NAV itself on a regular clock, its UTC day closes otherwise), the returns and the periods per
 * year are derived here once.
 */
export function performanceInput(p: PerformanceParts): PerformanceInput {
  const basis = annualisationBasis(p.ts, p.interval, p.assetClasses ?? []);
  const sampled =
    basis.kind === 'bars'
      ? { ts: p.ts, equity: p.equity }
      : p.closeRows
        ? p.closeEquity
          ? { ts: p.closeRows.ts.slice(), equity: p.closeEquity }
          : atCloseRows(p.closeRows, p.equity)
        : dailyCloses(p.ts, p.equity, basis.calendar);
  return {
    ts: p.ts,
    equity: p.equity,
    returnTs: sampled.ts,
    returnEquity: sampled.equity,
    returns: simpleReturns(sampled.equity),
    periodsPerYear: basis.periodsPerYear,
    basis,
    tradePnl: p.tradePnl ?? new Float64Array(0),
    grossExposure: p.grossExposure ?? new Float64Array(p.heldSteps === undefined ? p.equity.length : 0),
    ...(p.heldSteps !== undefined ? { heldSteps: p.heldSteps } : {}),
    tradedNotional: p.tradedNotional ?? 0,
    ...(p.steps ? { steps: p.steps } : {}),
  };
}

/** All metric values by key, in PERFORMANCE_METRICS order. */
export function computeMetrics(input: PerformanceInput): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of PERFORMANCE_METRICS) out[m.key] = m.compute(input);
  return out;
}

/** The metrics block items for a set of values (NaN shown as null = '—'; ±Infinity kept). */
export function metricItems(values: Readonly<Record<string, number>>): Metric[] {
  return PERFORMANCE_METRICS.map((m) => {
    const v = values[m.key];
    const value = v === undefined || Number.isNaN(v) ? null : v;
    return { name: m.name, value, ...(m.unit ? { unit: m.unit } : {}), ...(m.digits !== undefined ? { digits: m.digits } : {}) };
  });
}
