import { cagr } from './cagr.js';
import { inputMaxDrawdown } from './max-drawdown.js';
import { sharpe } from './sharpe.js';
import { winRate } from './win-rate.js';
import type { PerformanceMetric } from './types.js';

/**
 * Balanced Performance Score (seed 003 §8.4), the optimiser's objective:
 *
 *   BPS = 0.40·Sharpe + 0.30·CAGR + 0.20·WinRate − 0.10·MaxDrawdown
 *
 * with Sharpe annualised, CAGR, WinRate and MaxDrawdown as fractions (CAGR 12 % → 0.12,
 * max drawdown 20 % → 0.20, positive = worse). NaN when any component is NaN (for example a run
 * with no closed trades has no win rate), so such runs rank below every scored run.
 */
export function bps(sharpeValue: number, cagrValue: number, winRateValue: number, maxDrawdownValue: number): number {
  return 0.4 * sharpeValue + 0.3 * cagrValue + 0.2 * winRateValue - 0.1 * maxDrawdownValue;
}

export const bpsMetric: PerformanceMetric = {
  key: 'bps',
  name: 'BPS',
  digits: 3,
  compute: (i) => bps(sharpe(i.returns, i.periodsPerYear), cagr(i.returnEquity, i.returnTs), winRate(i.tradePnl), inputMaxDrawdown(i)),
};
