import { moments } from './moments.js';
import type { PerformanceMetric } from './types.js';

/**
 * Annualised Sharpe ratio: `(mean(r) - rf / P) / sd(r) * sqrt(P)`, where r are per-bar simple
 * returns, sd the sample standard deviation (n - 1), P bars per year and rf an annual risk-free
 * rate (default 0) spread evenly over bars.
 *
 * NaN for fewer than 2 returns, a zero standard deviation (constant returns: the ratio is
 * undefined, not infinite), or any NaN return. O(n).
 * Reference: Sharpe (1994), "The Sharpe Ratio", J. Portfolio Management; nautilus
 * `crates/analysis/src/statistics/sharpe_ratio.rs`.
 */
export function sharpe(returns: Float64Array, periodsPerYear: number, riskFreeAnnual = 0): number {
  const m = moments(returns);
  const sd = Math.sqrt(m.variance);
  if (!(sd > 0)) return NaN;
  return ((m.mean - riskFreeAnnual / periodsPerYear) / sd) * Math.sqrt(periodsPerYear);
}

export const sharpeMetric: PerformanceMetric = {
  key: 'sharpe',
  name: 'Sharpe',
  digits: 2,
  compute: (i) => sharpe(i.returns, i.periodsPerYear),
};
