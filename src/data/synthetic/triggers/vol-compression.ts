/**
 * Volatility-compression breakout trigger on log prices.
 *
 *   channel at bar t: CH_t = max(log high_{t−W} … log high_{t−1}), CL_t = min(log low_{t−W} … log low_{t−1})
 *   width w_t = CH_t − CL_t
 *   rank_t = #{k = 1 … K : w_{t−k·step} < w_t} / K          (compression: rank_t ≤ pct)
 *   breakout: log close_t > CH_t (up, +1) or log close_t < CL_t (down, −1)
 *
 * A trigger fires at bar t on compression and breakout, unless an earlier trigger's horizon
 * (t₀ + 1 … t₀ + H) is still running (one event per horizon). Warm-up: t ≥ W + K·step.
 * Channels use monotonic deques: O(n) plus O(K) at each breakout bar.
 *
 * @returns signed events, ±(row + 1)
 */
export function volCompressionEvents(
  logHigh: Float64Array,
  logLow: Float64Array,
  logClose: Float64Array,
  p: { readonly channel_bars: number; readonly percentile: number; readonly history: number; readonly step_bars: number; readonly horizon_bars: number },
): number[] {
  const n = logClose.length;
  const W = p.channel_bars;
  const width = new Float64Array(n).fill(NaN);
  const chan = new Float64Array(n).fill(NaN);
  const chanLo = new Float64Array(n).fill(NaN);
  // Monotonic deques of row indices over the window [t − W, t − 1].
  const qMax = new Int32Array(n);
  const qMin = new Int32Array(n);
  let hMax = 0;
  let tMax = 0;
  let hMin = 0;
  let tMin = 0;
  for (let t = 0; t < n; t++) {
    if (t >= W) {
      while (qMax[hMax]! < t - W) hMax++;
      while (qMin[hMin]! < t - W) hMin++;
      chan[t] = logHigh[qMax[hMax]!]!;
      chanLo[t] = logLow[qMin[hMin]!]!;
      width[t] = chan[t]! - chanLo[t]!;
    }
    // add row t for the windows of later bars
    while (tMax > hMax && logHigh[qMax[tMax - 1]!]! <= logHigh[t]!) tMax--;
    qMax[tMax++] = t;
    while (tMin > hMin && logLow[qMin[tMin - 1]!]! >= logLow[t]!) tMin--;
    qMin[tMin++] = t;
  }
  const out: number[] = [];
  const K = p.history;
  const step = p.step_bars;
  let busyUntil = -1;
  for (let t = W + K * step; t < n; t++) {
    if (t <= busyUntil) continue;
    const c = logClose[t]!;
    const dir = c > chan[t]! ? 1 : c < chanLo[t]! ? -1 : 0;
    if (dir === 0) continue;
    const w = width[t]!;
    let below = 0;
    for (let k = 1; k <= K; k++) if (width[t - k * step]! < w) below++;
    if (below / K > p.percentile) continue;
    out.push(dir * (t + 1));
    busyUntil = t + p.horizon_bars;
  }
  return out;
}
