import type { PerformanceMetric } from './types.js';

/**
 * Profit factor: gross profit of winning trades / |gross loss of losing trades|.
 * NaN with no trades, with NaN P&L, or when every trade broke even; +Infinity when there are wins
 * and no losses. O(n).
 */
export function profitFactor(tradePnl: Float64Array): number {
  const n = tradePnl.length;
  if (n === 0) return NaN;
  let won = 0;
  let lost = 0;
  for (let i = 0; i < n; i++) {
    const p = tradePnl[i]!;
    if (Number.isNaN(p)) return NaN;
    if (p > 0) won += p;
    else lost -= p;
  }
  if (lost === 0) return won > 0 ? Infinity : NaN;
  return won / lost;
}

export const profitFactorMetric: PerformanceMetric = {
  key: 'profit_factor',
  name: 'Profit factor',
  digits: 2,
  compute: (i) => profitFactor(i.tradePnl),
};
