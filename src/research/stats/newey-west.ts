/**
 * Newey–West (1987) heteroskedasticity- and autocorrelation-consistent standard error of the mean
 * of a series in time order, with Bartlett weights:
 *
 *   γ_l = (1/n) Σ_{t=l+1}^{n} (x_t − x̄)(x_{t−l} − x̄)
 *   V = (γ_0 + 2 Σ_{l=1}^{L} (1 − l/(L + 1)) γ_l) / n,   SE = √V
 *
 * Default lag L = ⌊4 (n/100)^{2/9}⌋ (Newey & West 1994's rule of thumb), or the overlap length of
 * forward returns (H − 1) when the caller knows it.
 */
export function neweyWestLag(n: number): number {
  return Math.floor(4 * Math.pow(n / 100, 2 / 9));
}

export function neweyWestMeanSe(xs: ArrayLike<number>, lags = neweyWestLag(xs.length)): number {
  const n = xs.length;
  if (n < 2) return NaN;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += xs[i]!;
  mean /= n;
  const gamma = (l: number): number => {
    let s = 0;
    for (let t = l; t < n; t++) s += (xs[t]! - mean) * (xs[t - l]! - mean);
    return s / n;
  };
  let v = gamma(0);
  const maxLag = Math.min(lags, n - 1);
  for (let l = 1; l <= maxLag; l++) v += 2 * (1 - l / (maxLag + 1)) * gamma(l);
  return Math.sqrt(Math.max(v, 0) / n);
}
