/**
 * Sample moments of a Float64Array, two-pass (mean first, then central sums) for stability
 * (simple-statistics `sample_variance.js`; Welford would do as well). NaN elements propagate.
 *
 * - `mean`: Σx / n; NaN when n = 0.
 * - `variance`: sample variance Σ(x - m)² / (n - 1); NaN when n < 2.
 * - `skewness`: population (biased) skewness m3 / m2^{3/2}, as Bailey & López de Prado use it;
 *   NaN when n < 3 or m2 = 0.
 * - `kurtosis`: population (non-excess) kurtosis m4 / m2² (3 for a normal distribution);
 *   NaN when n < 4 or m2 = 0.
 * where mk = Σ(x - m)^k / n. A constant series gives variance exactly 0 (the mean is then the value
 * itself, so no rounding residue is left).
 */
export interface Moments {
  readonly n: number;
  readonly mean: number;
  readonly variance: number;
  readonly skewness: number;
  readonly kurtosis: number;
}

export function moments(x: Float64Array): Moments {
  const n = x.length;
  if (n === 0) return { n, mean: NaN, variance: NaN, skewness: NaN, kurtosis: NaN };
  let sum = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    sum += v;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  // A constant series has exactly zero spread (the rounded mean would otherwise leave ~1e-18).
  const mean = lo === hi ? lo : sum / n;
  let s2 = 0;
  let s3 = 0;
  let s4 = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i]! - mean;
    const d2 = d * d;
    s2 += d2;
    s3 += d2 * d;
    s4 += d2 * d2;
  }
  const variance = n < 2 ? NaN : s2 / (n - 1);
  const m2 = s2 / n;
  const skewness = n < 3 || m2 === 0 ? NaN : s3 / n / Math.pow(m2, 1.5);
  const kurtosis = n < 4 || m2 === 0 ? NaN : s4 / n / (m2 * m2);
  return { n, mean, variance, skewness, kurtosis };
}
