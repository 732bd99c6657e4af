import { checkPeriod, outputArray } from './check.js';

/**
 * Rolling percentile rank of the current value within its window (the window includes t), with
 * ties sharing their average rank: `pr[t] = (#{x_i < x[t]} + (#{x_i = x[t]} + 1) / 2) / p`, a
 * fraction in (0, 1]. This equals pandas `x.rolling(p).rank(pct=True)` (method 'average').
 *
 * - Warm-up: NaN for t < p-1. NaN policy: NaN while a non-finite input is in the window.
 * - Algorithm: values are mapped once to their rank among all finite values of the series (a
 *   sort; it encodes order only, so no future value can change an output), then a Fenwick tree of
 *   counts answers "how many window values are below / equal" in O(log n). Total O(n log n)
 *   (an exact rolling rank cannot be O(n) in general); three arrays allocated once, none per bar.
 * - Constant window → (0 + (p+1)/2) / p, e.g. 0.55 for p = 10.
 *
 * Reference: pandas `Rolling.rank` (pct=True, method='average').
 * @param period window length (integer ≥ 1)
 */
export function rollingPercentileRank(x: Float64Array, period: number, out?: Float64Array): Float64Array {
  checkPeriod('percentile rank', period);
  const n = x.length;
  const y = outputArray('percentile rank', n, out);
  // distinct sorted finite values
  let m = 0;
  const sorted = new Float64Array(n);
  for (let t = 0; t < n; t++) if (Number.isFinite(x[t]!)) sorted[m++] = x[t]!;
  const uniq = sorted.subarray(0, m).sort();
  let u = 0;
  for (let i = 0; i < m; i++) if (i === 0 || uniq[i] !== uniq[u - 1]) uniq[u++] = uniq[i]!;
  // 1-based rank of each finite value (0 for non-finite)
  const rank = new Int32Array(n);
  for (let t = 0; t < n; t++) {
    const v = x[t]!;
    if (!Number.isFinite(v)) continue;
    let lo = 0;
    let hi = u - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (uniq[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    rank[t] = lo + 1;
  }
  const tree = new Int32Array(u + 1);
  let run = 0;
  for (let t = 0; t < n; t++) {
    const r = rank[t]!;
    if (r === 0) {
      // empty the tree: remove the values still in it
      const inTree = run < period ? run : period;
      for (let j = t - inTree; j < t; j++) for (let i = rank[j]!; i <= u; i += i & -i) tree[i]!--;
      run = 0;
      y[t] = NaN;
      continue;
    }
    run++;
    for (let i = r; i <= u; i += i & -i) tree[i]!++;
    if (run > period) for (let i = rank[t - period]!; i <= u; i += i & -i) tree[i]!--;
    if (run < period) {
      y[t] = NaN;
      continue;
    }
    let less = 0;
    for (let i = r - 1; i > 0; i -= i & -i) less += tree[i]!;
    let leq = 0;
    for (let i = r; i > 0; i -= i & -i) leq += tree[i]!;
    y[t] = (less + (leq - less + 1) / 2) / period;
  }
  return y;
}
