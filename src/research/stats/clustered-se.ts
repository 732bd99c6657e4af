/**
 * Cluster-robust standard error of a mean (Liang & Zeger 1986; the CR1 small-sample factor of
 * Stata's `regress, vce(cluster)` for a regression on a constant):
 *
 *   V = G/(G − 1) · Σ_g (Σ_{i∈g} (x_i − x̄))² / n²,   SE = √V,   df = G − 1
 *
 * Events of several assets on the same UTC day share the common factor, so they are one cluster.
 */
export interface ClusteredSe {
  readonly se: number;
  /** Number of clusters G. */
  readonly clusters: number;
  /** Degrees of freedom for the t reference distribution: G − 1. */
  readonly df: number;
}

export function clusteredMeanSe(xs: ArrayLike<number>, clusterOf: ArrayLike<number>): ClusteredSe {
  const n = xs.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += xs[i]!;
  mean /= n;
  const sums = new Map<number, number>();
  for (let i = 0; i < n; i++) sums.set(clusterOf[i]!, (sums.get(clusterOf[i]!) ?? 0) + xs[i]! - mean);
  const g = sums.size;
  if (g < 2) return { se: NaN, clusters: g, df: 0 };
  let ss = 0;
  for (const s of sums.values()) ss += s * s;
  return { se: Math.sqrt(((g / (g - 1)) * ss) / (n * n)), clusters: g, df: g - 1 };
}
