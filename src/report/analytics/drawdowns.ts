/**
 * Drawdown episodes of an equity curve: from a running peak to the first step back at or above it.
 * Each has its start (the peak's time), trough, recovery (null while still under water), depth
 * (1 − trough / peak) and duration (start → recovery, or → the last step when not recovered, in days).
 */
export interface DrawdownEpisode {
  readonly start: number;
  readonly trough: number;
  readonly recovery: number | null;
  readonly depth: number;
  readonly days: number;
}

const DAY_MS = 86_400_000;

/** Every episode, in time order; `base` is the peak before the first step (the initial capital). */
export function drawdownEpisodes(ts: Float64Array, nav: Float64Array, base: number): DrawdownEpisode[] {
  const out: DrawdownEpisode[] = [];
  let peak = base;
  let peakTs = ts.length ? ts[0]! : 0;
  let low = Infinity;
  let lowTs = 0;
  let under = false;
  for (let i = 0; i < nav.length; i++) {
    const v = nav[i]!;
    if (v >= peak) {
      if (under) out.push({ start: peakTs, trough: lowTs, recovery: ts[i]!, depth: 1 - low / peak, days: (ts[i]! - peakTs) / DAY_MS });
      under = false;
      peak = v;
      peakTs = ts[i]!;
      low = Infinity;
    } else {
      under = true;
      if (v < low) {
        low = v;
        lowTs = ts[i]!;
      }
    }
  }
  if (under) out.push({ start: peakTs, trough: lowTs, recovery: null, depth: 1 - low / peak, days: (ts[ts.length - 1]! - peakTs) / DAY_MS });
  return out;
}

/** The `k` deepest episodes, deepest first (ties: earlier first). */
export function topDrawdowns(episodes: readonly DrawdownEpisode[], k = 5): DrawdownEpisode[] {
  return [...episodes].sort((a, b) => b.depth - a.depth || a.start - b.start).slice(0, k);
}
