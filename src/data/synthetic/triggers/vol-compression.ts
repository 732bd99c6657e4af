/**
 * Volatility-compression breakout trigger, evaluated online bar by bar on the published prices
 * (so a planted drift that moves later bars is seen by later checks, exactly as a researcher sees
 * the data).
 *
 *   channel at bar t: CH_t = max(high_{t−W} … high_{t−1}), CL_t = min(low_{t−W} … low_{t−1})
 *   width w_t = log(CH_t / CL_t)   (ranked through the ratio CH/CL: log is monotone, so no logs)
 *   rank_t = #{k = 1 … K : w_{t−k·step} < w_t} / K          (compression: rank_t ≤ pct)
 *   breakout: close_t > CH_t (up, +1) or close_t < CL_t (down, −1)
 *
 * A trigger fires at bar t on compression and breakout, unless an earlier trigger's horizon
 * (t₀ + 1 … t₀ + H) is still running (one event per horizon). Warm-up: t ≥ W + K·step.
 * Channels use monotonic deques: O(n) overall plus O(K) at each breakout bar; all buffers are
 * allocated once in `createCompressionDetector`.
 */
export interface CompressionParams {
  readonly channel_bars: number;
  readonly percentile: number;
  readonly history: number;
  readonly step_bars: number;
  readonly horizon_bars: number;
}

export interface CompressionDetector {
  /**
   * Feed bar t (t = 0, 1, 2 … in order) with its published high, low and close; returns the
   * trigger direction at t (+1, −1) or 0.
   */
  observe(t: number, high: number, low: number, close: number): number;
}

export function createCompressionDetector(n: number, p: CompressionParams): CompressionDetector {
  const W = p.channel_bars;
  const K = p.history;
  const step = p.step_bars;
  const hi = new Float64Array(n);
  const lo = new Float64Array(n);
  const width = new Float64Array(n).fill(NaN);
  const qMax = new Int32Array(n);
  const qMin = new Int32Array(n);
  let hMax = 0;
  let tMax = 0;
  let hMin = 0;
  let tMin = 0;
  let busyUntil = -1;
  return {
    observe(t, high, low, close) {
      let dir = 0;
      if (t >= W) {
        while (qMax[hMax]! < t - W) hMax++;
        while (qMin[hMin]! < t - W) hMin++;
        const ch = hi[qMax[hMax]!]!;
        const cl = lo[qMin[hMin]!]!;
        const w = ch / cl;
        width[t] = w;
        if (t >= W + K * step && t > busyUntil) {
          const b = close > ch ? 1 : close < cl ? -1 : 0;
          if (b !== 0) {
            let below = 0;
            for (let k = 1; k <= K; k++) if (width[t - k * step]! < w) below++;
            if (below / K <= p.percentile) {
              dir = b;
              busyUntil = t + p.horizon_bars;
            }
          }
        }
      }
      hi[t] = high;
      lo[t] = low;
      while (tMax > hMax && hi[qMax[tMax - 1]!]! <= high) tMax--;
      qMax[tMax++] = t;
      while (tMin > hMin && lo[qMin[tMin - 1]!]! >= low) tMin--;
      qMin[tMin++] = t;
      return dir;
    },
  };
}
