import type { PerformanceMetric } from './types.js';

/**
 * Win rate: the fraction of closed trades with net P&L > 0 (a break-even trade is not a win).
 * NaN when there are no trades; NaN P&L values count as trades that did not win. O(n).
 */
export function winRate(tradePnl: Float64Array): number {
  const n = tradePnl.length;
  if (n === 0) return NaN;
  let wins = 0;
  for (let i = 0; i < n; i++) if (tradePnl[i]! > 0) wins++;
  return wins / n;
}

export const winRateMetric: PerformanceMetric = {
  key: 'win_rate',
  name: 'Win rate',
  unit: '%',
  digits: 1,
  compute: (i) => winRate(i.tradePnl),
};
