import type { PerformanceInput, PerformanceMetric } from './types.js';

/**
 * Maximum drawdown: `max_i (1 - E[i] / max(E[0..i]))`, a positive fraction (0.2 = the account fell
 * 20 % from a peak); 0 for a never-falling curve. NaN for an empty curve, a non-positive first
 * value or any NaN point. O(n).
 */
export function maxDrawdown(equity: Float64Array): number {
  const n = equity.length;
  if (n === 0 || !(equity[0]! > 0)) return NaN;
  let peak = equity[0]!;
  let worst = 0;
  for (let i = 0; i < n; i++) {
    const e = equity[i]!;
    if (Number.isNaN(e)) return NaN;
    if (e > peak) peak = e;
    const dd = 1 - e / peak;
    if (dd > worst) worst = dd;
  }
  return worst;
}

/**
 * `maxDrawdown(i.equity)` once per performance input: the max-drawdown, Calmar and BPS metrics all
 * read it, and it is a pass over every step (a 1M-step NAV in a sweep's trial).
 */
export function inputMaxDrawdown(i: PerformanceInput): number {
  if (i.steps) return i.steps.maxDrawdown;
  let v = drawdowns.get(i);
  if (v === undefined) drawdowns.set(i, (v = maxDrawdown(i.equity)));
  return v;
}
const drawdowns = new WeakMap<PerformanceInput, number>();

export const maxDrawdownMetric: PerformanceMetric = {
  key: 'max_drawdown',
  name: 'Max drawdown',
  unit: '%',
  digits: 2,
  compute: (i) => inputMaxDrawdown(i),
};
