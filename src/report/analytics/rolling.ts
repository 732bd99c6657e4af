/**
 * Rolling Sharpe and Sortino: the project's one Sharpe and Sortino (src/backtest/metrics) applied to
 * each trailing window of `window` returns, annualised with the same periods per year.
 */
import { sharpe } from '../../backtest/metrics/sharpe.js';
import { sortino } from '../../backtest/metrics/sortino.js';

export interface RollingSeries {
  /** Time of the last return in each window. */
  readonly ts: Float64Array;
  readonly sharpe: Float64Array;
  readonly sortino: Float64Array;
}

/** One value per full window: index i covers returns[i − window + 1 .. i]. Empty when fewer returns than the window. */
export function rollingRatios(ts: Float64Array, returns: Float64Array, window: number, periodsPerYear: number): RollingSeries {
  const n = Math.max(0, returns.length - window + 1);
  const out = { ts: new Float64Array(n), sharpe: new Float64Array(n), sortino: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const w = returns.subarray(i, i + window);
    out.ts[i] = ts[i + window - 1]!;
    out.sharpe[i] = sharpe(w, periodsPerYear);
    out.sortino[i] = sortino(w, periodsPerYear);
  }
  return out;
}
