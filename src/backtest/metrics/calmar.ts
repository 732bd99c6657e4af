import { cagr } from './cagr.js';
import { inputMaxDrawdown } from './max-drawdown.js';
import type { PerformanceMetric } from './types.js';

/**
 * Calmar ratio: CAGR / max drawdown over the whole run (Young 1991 used 36 months; we use the run).
 * NaN when either part is NaN or the drawdown is 0 (a never-falling curve has no finite Calmar).
 */
export function calmar(cagrValue: number, maxDrawdownValue: number): number {
  if (Number.isNaN(cagrValue) || !(maxDrawdownValue > 0)) return NaN;
  return cagrValue / maxDrawdownValue;
}

export const calmarMetric: PerformanceMetric = {
  key: 'calmar',
  name: 'Calmar',
  digits: 2,
  compute: (i) => calmar(cagr(i.returnEquity, i.returnTs), inputMaxDrawdown(i)),
};
