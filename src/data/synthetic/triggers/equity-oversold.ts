/**
 * Equity oversold-reversal trigger on published daily closes. With R_d = log(close_d / close_{d−1}):
 *
 *   R_d ≤ −sigma · sd(R_{d−L} … R_{d−1})  (sample sd, two-pass)  → +1: the next session drifts up
 *
 * Warm-up: d ≥ L + 1. Checked day by day as the closes are built (O(L) per day), so the planted
 * drift of earlier events is part of the data the rule sees.
 */
export function isOversoldDay(close: Float64Array, d: number, sigma: number, lookback: number): boolean {
  if (d < lookback + 1) return false;
  let mean = 0;
  for (let j = d - lookback; j < d; j++) mean += Math.log(close[j]! / close[j - 1]!);
  mean /= lookback;
  let ss = 0;
  for (let j = d - lookback; j < d; j++) {
    const x = Math.log(close[j]! / close[j - 1]!) - mean;
    ss += x * x;
  }
  const sd = Math.sqrt(ss / (lookback - 1));
  return sd > 0 && Math.log(close[d]! / close[d - 1]!) <= -sigma * sd;
}
