import type { PerformanceMetric } from './types.js';

/** Average trade: mean net P&L per closed trade in account currency. NaN with no trades. O(n). */
export function averageTrade(tradePnl: Float64Array): number {
  const n = tradePnl.length;
  if (n === 0) return NaN;
  let s = 0;
  for (let i = 0; i < n; i++) s += tradePnl[i]!;
  return s / n;
}

export const averageTradeMetric: PerformanceMetric = {
  key: 'average_trade',
  name: 'Average trade',
  digits: 2,
  compute: (i) => averageTrade(i.tradePnl),
};
