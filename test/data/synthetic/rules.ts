/**
 * The planted edges' trigger rules re-implemented for the tests, naively and from the published
 * columns only (no generator internals): O(n·window) loops, two-pass moments, no deques.
 * Each returns signed events ±(row + 1) like the truth.
 */

/** Funding z-score rule on a SYMBOL:funding dataset; returns rows of the 15m bars (settlement bar = ts − 15 min). */
export function fundingRule(fundingTs: Float64Array, rate: Float64Array, barTs0: number, z: number, lookback: number): number[] {
  const out: number[] = [];
  for (let k = lookback; k < rate.length; k++) {
    const w = Array.from(rate.subarray(k - lookback, k));
    const mean = w.reduce((a, b) => a + b, 0) / lookback;
    const sd = Math.sqrt(w.reduce((a, b) => a + (b - mean) * (b - mean), 0) / (lookback - 1));
    if (!(sd > 0)) continue;
    const zz = (rate[k]! - mean) / sd;
    const row = (fundingTs[k]! - 900_000 - barTs0) / 900_000;
    if (zz >= z) out.push(-(row + 1));
    else if (zz <= -z) out.push(row + 1);
  }
  return out;
}

/**
 * Compression breakout on published high/low/close, one event per horizon. Widths are compared as
 * max/min ratios (the rule's log width is a monotone function of the ratio).
 */
export function compressionRule(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  p: { channel_bars: number; percentile: number; history: number; step_bars: number; horizon_bars: number },
): number[] {
  const n = close.length;
  const W = p.channel_bars;
  const chHi = new Float64Array(n).fill(NaN);
  const chLo = new Float64Array(n).fill(NaN);
  for (let t = W; t < n; t++) {
    let hi = -Infinity;
    let lo = Infinity;
    for (let j = t - W; j < t; j++) {
      hi = Math.max(hi, high[j]!);
      lo = Math.min(lo, low[j]!);
    }
    chHi[t] = hi;
    chLo[t] = lo;
  }
  const out: number[] = [];
  let busy = -1;
  for (let t = W + p.history * p.step_bars; t < n; t++) {
    if (t <= busy) continue;
    const c = close[t]!;
    const dir = c > chHi[t]! ? 1 : c < chLo[t]! ? -1 : 0;
    if (dir === 0) continue;
    const w = chHi[t]! / chLo[t]!;
    let below = 0;
    for (let k = 1; k <= p.history; k++) if (chHi[t - k * p.step_bars]! / chLo[t - k * p.step_bars]! < w) below++;
    if (below / p.history > p.percentile) continue;
    out.push(dir * (t + 1));
    busy = t + p.horizon_bars;
  }
  return out;
}

/** Liquidation spike rule (prefix sums for the trailing means), one event per horizon. */
export function liquidationRule(
  long: Float64Array,
  short: Float64Array,
  p: { ratio: number; lookback_bars: number; horizon_bars: number },
): number[] {
  const n = long.length;
  const L = p.lookback_bars;
  const pl = new Float64Array(n + 1);
  const ps = new Float64Array(n + 1);
  for (let j = 0; j < n; j++) {
    pl[j + 1] = pl[j]! + long[j]!;
    ps[j + 1] = ps[j]! + short[j]!;
  }
  const out: number[] = [];
  let busy = -1;
  for (let t = L; t < n; t++) {
    if (t <= busy) continue;
    const sl = pl[t]! - pl[t - L]!;
    const ss = ps[t]! - ps[t - L]!;
    if (long[t]! >= (p.ratio * sl) / L) out.push(t + 1);
    else if (short[t]! >= (p.ratio * ss) / L) out.push(-(t + 1));
    else continue;
    busy = t + p.horizon_bars;
  }
  return out;
}

/** Short-term reversal rule on published daily closes: a large down day → +, a large up day → −. */
export function reversalRule(close: Float64Array, sigma: number, lookback: number): number[] {
  const r = Array.from({ length: close.length }, (_, d) => (d === 0 ? NaN : Math.log(close[d]! / close[d - 1]!)));
  const out: number[] = [];
  for (let d = lookback + 1; d < close.length; d++) {
    const w = r.slice(d - lookback, d);
    const mean = w.reduce((a, b) => a + b, 0) / lookback;
    const sd = Math.sqrt(w.reduce((a, b) => a + (b - mean) * (b - mean), 0) / (lookback - 1));
    if (!(sd > 0)) continue;
    if (r[d]! <= -sigma * sd) out.push(d + 1);
    else if (r[d]! >= sigma * sd) out.push(-(d + 1));
  }
  return out;
}
