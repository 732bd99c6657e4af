/**
 * Moving-block bootstrap confidence interval of a mean over clustered observations (Künsch 1989;
 * percentile interval, Efron & Tibshirani 1993 §13.3). Observations are grouped into clusters (UTC
 * days) in time order; a resample draws ⌈G / L⌉ runs of L consecutive clusters with replacement
 * (start uniform over the G − L + 1 possible runs), so dependence across assets on the same day and
 * across neighbouring days (overlapping forward windows) is kept inside each block. With L = 1 it is
 * the plain cluster bootstrap. Every draw comes from the seeded Rng (src/core/rng.ts).
 */
import type { Rng } from '../../core/rng.js';

export interface BootstrapOptions {
  /** Consecutive clusters per block, L ≥ 1. */
  readonly blockLength: number;
  /** Number of resamples B. */
  readonly draws: number;
  /** Two-sided coverage, e.g. 0.95. */
  readonly level: number;
  readonly rng: Rng;
}

export interface BootstrapCi {
  readonly lo: number;
  readonly hi: number;
  /** Bootstrap standard deviation of the resampled means. */
  readonly sd: number;
}

/** Sum and count per cluster, clusters ordered by their key (time order for day numbers). */
export function clusterTotals(xs: ArrayLike<number>, clusterOf: ArrayLike<number>): { sums: Float64Array; counts: Float64Array } {
  const byKey = new Map<number, [number, number]>();
  for (let i = 0; i < xs.length; i++) {
    const e = byKey.get(clusterOf[i]!);
    if (e) {
      e[0] += xs[i]!;
      e[1]++;
    } else byKey.set(clusterOf[i]!, [xs[i]!, 1]);
  }
  const keys = [...byKey.keys()].sort((a, b) => a - b);
  const sums = new Float64Array(keys.length);
  const counts = new Float64Array(keys.length);
  keys.forEach((k, j) => {
    const [s, c] = byKey.get(k)!;
    sums[j] = s;
    counts[j] = c;
  });
  return { sums, counts };
}

/** Percentile of sorted values by linear interpolation between order statistics (R type 7). */
export function quantileSorted(sorted: ArrayLike<number>, prob: number): number {
  const h = (sorted.length - 1) * prob;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

export function blockBootstrapMeanCi(xs: ArrayLike<number>, clusterOf: ArrayLike<number>, o: BootstrapOptions): BootstrapCi {
  const { sums, counts } = clusterTotals(xs, clusterOf);
  const g = sums.length;
  if (g < 2) return { lo: NaN, hi: NaN, sd: NaN };
  const len = Math.max(1, Math.min(o.blockLength, g));
  const starts = g - len + 1;
  const blocks = Math.ceil(g / len);
  const means = new Float64Array(o.draws);
  for (let b = 0; b < o.draws; b++) {
    let s = 0;
    let c = 0;
    for (let k = 0; k < blocks; k++) {
      const start = Math.floor(o.rng.uniform() * starts);
      for (let j = start; j < start + len; j++) {
        s += sums[j]!;
        c += counts[j]!;
      }
    }
    means[b] = s / c;
  }
  means.sort();
  let m = 0;
  for (const v of means) m += v;
  m /= o.draws;
  let ss = 0;
  for (const v of means) ss += (v - m) * (v - m);
  const tail = (1 - o.level) / 2;
  return { lo: quantileSorted(means, tail), hi: quantileSorted(means, 1 - tail), sd: Math.sqrt(ss / (o.draws - 1)) };
}
