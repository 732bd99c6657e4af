import type { PerformanceMetric } from './types.js';

/**
 * Exposure (time in market): the fraction of observations at which the book held any position,
 * i.e. gross exposure > 0 (as backtesting.py's "Exposure Time"). NaN for an empty series; NaN
 * entries count as flat. O(n). The average gross leverage is shown separately in the risk status.
 */
export function exposure(grossExposure: Float64Array): number {
  const n = grossExposure.length;
  if (n === 0) return NaN;
  let held = 0;
  for (let i = 0; i < n; i++) if (grossExposure[i]! > 0) held++;
  return held / n;
}

export const exposureMetric: PerformanceMetric = {
  key: 'exposure',
  name: 'Exposure',
  unit: '%',
  digits: 1,
  // the same fraction from a count of held observations, when the caller counted them
  compute: (i) => {
    if (i.heldSteps === undefined) return exposure(i.grossExposure);
    const steps = i.steps?.count ?? i.equity.length;
    return steps === 0 ? NaN : i.heldSteps / steps;
  },
};
