import { checkSameLength, outputArray } from './check.js';
import { rollingPercentileRank } from './percentile-rank.js';

/**
 * Range percentile: where this bar's relative range `(high - low) / close` ranks among the last p
 * bars' relative ranges (this bar included), as a fraction in (0, 1] with ties at their average
 * rank (see `rollingPercentileRank`). Low values flag compression, high values expansion, as in
 * the range-percentile context of volatility-compression research.
 *
 * - Warm-up: NaN for t < p-1. NaN policy: NaN while a non-finite range is in the window.
 * - O(n log n) (the percentile rank); one temporary array.
 * @param period window length (integer ≥ 1). Default 100.
 */
export function rangePercentile(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  period: number,
  out?: Float64Array,
): Float64Array {
  const n = checkSameLength('rangepct', high, low, close);
  const y = outputArray('rangepct', n, out);
  const rel = new Float64Array(n);
  for (let t = 0; t < n; t++) rel[t] = (high[t]! - low[t]!) / close[t]!;
  return rollingPercentileRank(rel, period, y);
}
