/**
 * Equity short-term reversal trigger on published daily closes. With R_d = log(close_d / close_{d−1}):
 *
 *   |R_d| ≥ sigma · sd(R_{d−L} … R_{d−1})  (sample sd, two-pass)  → −sign(R_d): the next session drifts back
 *
 * Warm-up: d ≥ L + 1. Checked day by day as the closes are built (O(L) per day), so the planted
 * drift of earlier events is part of the data the rule sees.
 *
 * @returns +1 (after a large down day), −1 (after a large up day) or 0
 */
export function reversalSign(close: Float64Array, d: number, sigma: number, lookback: number): number {
  if (d < lookback + 1) return 0;
  let mean = 0;
  for (let j = d - lookback; j < d; j++) mean += Math.log(close[j]! / close[j - 1]!);
  mean /= lookback;
  let ss = 0;
  for (let j = d - lookback; j < d; j++) {
    const x = Math.log(close[j]! / close[j - 1]!) - mean;
    ss += x * x;
  }
  const sd = Math.sqrt(ss / (lookback - 1));
  if (!(sd > 0)) return 0;
  const r = Math.log(close[d]! / close[d - 1]!);
  return r <= -sigma * sd ? 1 : r >= sigma * sd ? -1 : 0;
}
