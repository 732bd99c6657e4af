/**
 * p-values of a t statistic from Student's t distribution (@stdlib's regularised incomplete beta
 * CDF). 'greater' tests mean > 0 (the hypothesis' own direction), 'two-sided' |mean| > 0.
 */
import studentT from '@stdlib/stats-base-dists-t';

const tCdf = (x: number, df: number): number => studentT.cdf(x, df);

export type Side = 'greater' | 'less' | 'two-sided';

export function tPValue(t: number, df: number, side: Side = 'greater'): number {
  if (Number.isNaN(t) || !(df > 0)) return NaN;
  if (side === 'greater') return 1 - tCdf(t, df);
  if (side === 'less') return tCdf(t, df);
  return 2 * tCdf(-Math.abs(t), df);
}
