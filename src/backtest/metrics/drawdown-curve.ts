/**
 * Drawdown curve: `dd[i] = 1 - E[i] / max(E[0..i])`, a fraction ≥ 0 (0.12 = 12 % below the
 * running peak). The running peak only uses points at or before i. O(n), output allocated once
 * (or passed in for reuse). A NaN equity point gives NaN at that point and is skipped for the peak.
 * A non-positive peak (an account that never had value) gives NaN.
 */
export function drawdownCurve(equity: Float64Array, out?: Float64Array): Float64Array {
  const n = equity.length;
  const dd = out && out.length >= n ? out : new Float64Array(n);
  let peak = -Infinity;
  for (let i = 0; i < n; i++) {
    const e = equity[i]!;
    if (e > peak) peak = e;
    dd[i] = Number.isNaN(e) || !(peak > 0) ? NaN : 1 - e / peak;
  }
  return dd;
}
