import { moments } from './moments.js';
import type { PerformanceMetric } from './types.js';

/**
 * Annualised volatility: sample standard deviation of per-bar returns (n - 1 denominator) times
 * `sqrt(periodsPerYear)`, a fraction (0.18 = 18 %/yr).
 *
 * 0 for a constant series; NaN for fewer than 2 returns or any NaN return. O(n), two-pass.
 */
export function volatility(returns: Float64Array, periodsPerYear: number): number {
  const m = moments(returns);
  return Math.sqrt(m.variance) * Math.sqrt(periodsPerYear);
}

export const volatilityMetric: PerformanceMetric = {
  key: 'volatility',
  name: 'Volatility',
  unit: '%',
  digits: 2,
  compute: (i) => volatility(i.returns, i.periodsPerYear),
};
