import type { PerformanceMetric } from './types.js';

/**
 * Annualised Sortino ratio with target 0: `mean(r) / DD * sqrt(P)`, where the downside deviation
 * `DD = sqrt( Σ min(r_i, 0)² / n )` runs over all n returns (Sortino & Price 1994; the
 * "target downside deviation" of Rollinger & Hoffman, Red Rock Capital 2013).
 *
 * NaN for fewer than 2 returns or any NaN return; +Infinity when there is no negative return and
 * the mean is positive; NaN when there is no negative return and the mean is 0. O(n).
 */
export function sortino(returns: Float64Array, periodsPerYear: number): number {
  const n = returns.length;
  if (n < 2) return NaN;
  let sum = 0;
  let down = 0;
  for (let i = 0; i < n; i++) {
    const r = returns[i]!;
    sum += r;
    if (r < 0) down += r * r;
  }
  if (Number.isNaN(sum)) return NaN;
  const mean = sum / n;
  const dd = Math.sqrt(down / n);
  if (dd === 0) return mean > 0 ? Infinity : NaN;
  return (mean / dd) * Math.sqrt(periodsPerYear);
}

export const sortinoMetric: PerformanceMetric = {
  key: 'sortino',
  name: 'Sortino',
  digits: 2,
  compute: (i) => sortino(i.returns, i.periodsPerYear),
};
