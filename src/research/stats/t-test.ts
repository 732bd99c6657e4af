/**
 * One-sample t statistic of a mean against zero (Student 1908): t = x̄ / (s / √n) with the sample
 * standard deviation s (n − 1 in the denominator) and n − 1 degrees of freedom. The p-value comes
 * from p-value.ts; a standard error from another estimator (clustered, Newey–West) can be passed in.
 */
export interface MeanTest {
  readonly n: number;
  readonly mean: number;
  /** Sample standard deviation (n − 1). */
  readonly sd: number;
  /** Standard error used for t: s / √n unless another estimator's was given. */
  readonly se: number;
  readonly t: number;
  readonly df: number;
}

/** Mean and sample standard deviation in one pass (Welford), NaN-free input expected. */
export function meanAndSd(xs: ArrayLike<number>): { mean: number; sd: number } {
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < xs.length; i++) {
    const d = xs[i]! - mean;
    mean += d / (i + 1);
    m2 += d * (xs[i]! - mean);
  }
  return { mean: xs.length ? mean : NaN, sd: xs.length > 1 ? Math.sqrt(m2 / (xs.length - 1)) : NaN };
}

/** t test of mean = 0; `se` overrides s/√n (e.g. a day-clustered standard error), `df` its degrees of freedom. */
export function meanTTest(xs: ArrayLike<number>, se?: number, df?: number): MeanTest {
  const n = xs.length;
  const { mean, sd } = meanAndSd(xs);
  const useSe = se ?? sd / Math.sqrt(n);
  return { n, mean, sd, se: useSe, t: mean / useSe, df: df ?? n - 1 };
}
