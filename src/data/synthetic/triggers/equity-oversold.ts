/**
 * Equity oversold-reversal trigger on daily log closes. With R_d = log close_d − log close_{d−1}:
 *
 *   R_d ≤ −sigma · sd(R_{d−L} … R_{d−1})  (sample sd)  → +1: the next session drifts up
 *
 * Warm-up: d ≥ L + 1. Two-pass moments, O(n·L).
 *
 * @returns signed events, +(day row + 1)
 */
export function equityOversoldEvents(logClose: Float64Array, sigma: number, lookback: number): number[] {
  const out: number[] = [];
  for (let d = lookback + 1; d < logClose.length; d++) {
    let mean = 0;
    for (let j = d - lookback; j < d; j++) mean += logClose[j]! - logClose[j - 1]!;
    mean /= lookback;
    let ss = 0;
    for (let j = d - lookback; j < d; j++) {
      const x = logClose[j]! - logClose[j - 1]! - mean;
      ss += x * x;
    }
    const sd = Math.sqrt(ss / (lookback - 1));
    if (sd > 0 && logClose[d]! - logClose[d - 1]! <= -sigma * sd) out.push(d + 1);
  }
  return out;
}
