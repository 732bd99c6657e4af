import { YEAR_MS, type PerformanceMetric } from './types.js';

/**
 * Annual turnover: `Σ|fill notional| / mean(NAV) / years`, in multiples of NAV per year
 * (2.0 = the book traded twice its average value each year; a buy and the later sell both count,
 * so a single round trip of the whole book is 2.0). `years = (ts_last - ts_first) / YEAR_MS`.
 * NaN for fewer than 2 points, a non-positive span or mean NAV. O(n).
 */
export function turnover(tradedNotional: number, equity: Float64Array, ts: Float64Array): number {
  const n = equity.length;
  if (n < 2 || ts.length !== n) return NaN;
  let s = 0;
  for (let i = 0; i < n; i++) s += equity[i]!;
  return turnoverOfSum(tradedNotional, s, n, ts);
}

/** `turnover` from the sum of the n NAV steps (added in step order) instead of the series. */
export function turnoverOfSum(tradedNotional: number, navSum: number, n: number, ts: Float64Array): number {
  if (n < 2 || ts.length !== n) return NaN;
  const years = (ts[n - 1]! - ts[0]!) / YEAR_MS;
  const meanNav = navSum / n;
  if (!(years > 0) || !(meanNav > 0)) return NaN;
  return tradedNotional / meanNav / years;
}

export const turnoverMetric: PerformanceMetric = {
  key: 'turnover',
  name: 'Turnover',
  unit: 'x',
  digits: 2,
  compute: (i) => (i.steps ? turnoverOfSum(i.tradedNotional, i.steps.sum, i.steps.count, i.ts) : turnover(i.tradedNotional, i.equity, i.ts)),
};
