/**
 * Liquidation-exhaustion trigger. With m_t = mean of the previous L bars' long liquidations
 * (likewise for shorts):
 *
 *   liquidations_long_t ≥ ratio · m^long_t  → +1 (forced selling exhausted: bounce)
 *   else liquidations_short_t ≥ ratio · m^short_t → −1 (forced buying exhausted: fade)
 *
 * Warm-up t ≥ L; one event per horizon (a trigger at t₀ blocks t₀ + 1 … t₀ + H).
 * Running window sums: O(n).
 *
 * @returns signed events, ±(row + 1)
 */
export function liquidationSpikeEvents(
  liqLong: Float64Array,
  liqShort: Float64Array,
  p: { readonly ratio: number; readonly lookback_bars: number; readonly horizon_bars: number },
): number[] {
  const n = liqLong.length;
  const L = p.lookback_bars;
  const out: number[] = [];
  let sumL = 0;
  let sumS = 0;
  let busyUntil = -1;
  for (let t = 0; t < n; t++) {
    if (t >= L && t > busyUntil) {
      if (liqLong[t]! >= (p.ratio * sumL) / L) {
        out.push(t + 1);
        busyUntil = t + p.horizon_bars;
      } else if (liqShort[t]! >= (p.ratio * sumS) / L) {
        out.push(-(t + 1));
        busyUntil = t + p.horizon_bars;
      }
    }
    sumL += liqLong[t]!;
    sumS += liqShort[t]!;
    if (t >= L) {
      sumL -= liqLong[t - L]!;
      sumS -= liqShort[t - L]!;
    }
  }
  return out;
}
