import { YEAR_MS, type PerformanceMetric } from './types.js';

/**
 * Compound annual growth rate: `(E_last / E_first)^(1 / years) - 1` with
 * `years = (ts_last - ts_first) / YEAR_MS` (365.25-day years), a fraction (0.12 = 12 %/yr).
 *
 * NaN when there are fewer than 2 points, the span is not positive, or E_first is not positive;
 * -1 when the account ended at or below zero. O(1).
 * Reference: any textbook CAGR; matches nautilus `returns_avg`-free CAGR and pyfolio `cagr`.
 */
export function cagr(equity: Float64Array, ts: Float64Array): number {
  const n = equity.length;
  if (n < 2 || ts.length !== n) return NaN;
  const first = equity[0]!;
  const last = equity[n - 1]!;
  const years = (ts[n - 1]! - ts[0]!) / YEAR_MS;
  if (!(years > 0) || !(first > 0) || Number.isNaN(last)) return NaN;
  if (last <= 0) return -1;
  return Math.pow(last / first, 1 / years) - 1;
}

export const cagrMetric: PerformanceMetric = {
  key: 'cagr',
  name: 'CAGR',
  unit: '%',
  digits: 2,
  compute: (i) => cagr(i.returnEquity, i.returnTs),
};
