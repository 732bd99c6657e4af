import normal from '@stdlib/stats-base-dists-normal';
import { moments } from './moments.js';
import type { PerformanceMetric } from './types.js';

/**
 * Probabilistic Sharpe ratio (Bailey & López de Prado 2012, "The Sharpe Ratio Efficient Frontier",
 * J. of Risk 15(2), eq. 11): the probability that the true Sharpe ratio exceeds a benchmark SR*,
 *
 *   PSR(SR*) = Φ( (SR - SR*) · sqrt(T - 1) / sqrt(1 - γ3·SR + (γ4 - 1)/4 · SR²) )
 *
 * where SR = mean / sd of the per-bar returns (NOT annualised: the paper works in the sampling
 * frequency), T the number of returns, γ3 the skewness and γ4 the (non-excess) kurtosis of the
 * returns (γ4 = 3 for normal returns), Φ the standard normal CDF (@stdlib).
 *
 * @param benchmarkPerBar SR* in per-bar units. @default 0
 * @returns a probability in [0, 1]; NaN for fewer than 4 returns, zero standard deviation, NaN
 *   input, or a non-positive variance term (possible only for extreme skew/kurtosis).
 */
export function psr(returns: Float64Array, benchmarkPerBar = 0): number {
  const m = moments(returns);
  const sd = Math.sqrt(m.variance);
  if (m.n < 4 || !(sd > 0) || Number.isNaN(m.skewness) || Number.isNaN(m.kurtosis)) return NaN;
  const sr = m.mean / sd;
  const varTerm = 1 - m.skewness * sr + ((m.kurtosis - 1) / 4) * sr * sr;
  if (!(varTerm > 0)) return NaN;
  const z = ((sr - benchmarkPerBar) * Math.sqrt(m.n - 1)) / Math.sqrt(varTerm);
  return normal.cdf(z, 0, 1);
}

export const psrMetric: PerformanceMetric = {
  key: 'psr',
  name: 'PSR',
  digits: 3,
  compute: (i) => psr(i.returns),
};
