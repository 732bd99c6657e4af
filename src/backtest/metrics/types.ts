/**
 * The one small interface every performance metric implements (STYLE.md: "one metric per file",
 * after nautilus `crates/analysis/src/statistics/`). A metric reads a `PerformanceInput` (plain
 * typed arrays assembled once per run) and returns one number. Metrics never throw on empty or
 * degenerate input: they return NaN (undefined), ±Infinity only where stated, and say so in their
 * doc comment.
 */
import type { AnnualisationBasis } from './annualisation.js';

export interface PerformanceInput {
  /** Time of each equity observation (epoch ms UTC, ascending): the close of each bar. */
  readonly ts: Float64Array;
  /** Net asset value at each observation (same length as `ts`). */
  readonly equity: Float64Array;
  /**
   * The NAV the return-based metrics read (Sharpe, Sortino, volatility, PSR, CAGR) and its times:
   * `equity`/`ts` themselves on a regular clock, the NAV at each UTC day close on an irregular or
   * intraday one (see `annualisationBasis`).
   */
  readonly returnTs: Float64Array;
  readonly returnEquity: Float64Array;
  /** Simple returns of `returnEquity`, `returnEquity[i] / returnEquity[i-1] - 1`. */
  readonly returns: Float64Array;
  /** Return observations per year used to annualise (`basis.periodsPerYear`). */
  readonly periodsPerYear: number;
  /** What the returns are and how they are annualised (stated in the report). */
  readonly basis: AnnualisationBasis;
  /** Net P&L (account currency) of each closed round-trip trade, in close order. */
  readonly tradePnl: Float64Array;
  /** Gross exposure |positions| / NAV at each observation (same length as `equity`; empty when `heldSteps` is given). */
  readonly grossExposure: Float64Array;
  /** Observations with gross exposure > 0, when the caller counted them without a gross series (result-series.ts). */
  readonly heldSteps?: number;
  /** Sum of |fill notional| over the run (account currency). */
  readonly tradedNotional: number;
  /**
   * What the step metrics read from `equity`, when the caller computed it in its own pass over the
   * steps and keeps no NAV series (the optimiser's sweep kernel); `equity` may then be empty.
   */
  readonly steps?: EquitySteps;
}

/**
 * The NAV series' step figures, from one pass over the steps in order: their number, their sum
 * (added in step order, as `turnover` adds them) and the maximum drawdown (`maxDrawdown`'s value).
 */
export interface EquitySteps {
  readonly count: number;
  readonly sum: number;
  readonly maxDrawdown: number;
}

export interface PerformanceMetric {
  /** Stable key used in stored records and digests, e.g. 'sharpe'. */
  readonly key: string;
  /** Name shown to people, e.g. 'Sharpe'. */
  readonly name: string;
  /** Display unit for the metrics block ('%' multiplies by 100). */
  readonly unit?: string;
  readonly digits?: number;
  compute(input: PerformanceInput): number;
}

/** Calendar year used for annualisation: 365.25 days in ms. */
export const YEAR_MS = 365.25 * 24 * 3600 * 1000;
