/**
 * Simple returns of an equity curve: `r[i-1] = E[i] / E[i-1] - 1` for i = 1..n-1 (length n - 1;
 * empty for n < 2). A non-positive or NaN previous value gives NaN. O(n), allocated once.
 */
export function simpleReturns(equity: Float64Array): Float64Array {
  const n = equity.length;
  const out = new Float64Array(n < 2 ? 0 : n - 1);
  for (let i = 1; i < n; i++) {
    const prev = equity[i - 1]!;
    out[i - 1] = prev > 0 ? equity[i]! / prev - 1 : NaN;
  }
  return out;
}
