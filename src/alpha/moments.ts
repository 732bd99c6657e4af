/**
 * Centred second moments of a design's rows: everything the orthogonalisation (orth.ts) and the ridge
 * solve (ridge.ts) need, from two passes over the rows (means, then centred sums). Both are linear
 * in X, so the orthogonalised Gram matrix is AᵀGA with A = D⁻¹W (D the sds, W the orth matrix), and
 * a fold's fit never materialises a standardised or orthogonalised copy of its rows.
 */
export interface Moments {
  readonly rows: number;
  readonly K: number;
  readonly xMean: Float64Array;
  readonly yMean: number;
  /** Σ (x − x̄)(x − x̄)ᵀ, K×K row-major (full, symmetric). */
  readonly gram: Float64Array;
  /** Σ (x − x̄)(y − ȳ), length K (zeros when built without y). */
  readonly xy: Float64Array;
}

/**
 * Moments of the rows of X (rows × K, row-major) named by `pick` (ascending indices; all rows when
 * absent), with labels `y` (per row of X) or none.
 */
export function momentsOf(x: Float64Array, K: number, y: Float64Array | null, pick?: Int32Array): Moments {
  const total = x.length / K;
  const rows = pick ? pick.length : total;
  const row = pick ? (j: number): number => pick[j]! : (j: number): number => j;
  const xMean = new Float64Array(K);
  let yMean = 0;
  for (let j = 0; j < rows; j++) {
    const base = row(j) * K;
    for (let k = 0; k < K; k++) xMean[k]! += x[base + k]!;
    if (y) yMean += y[row(j)]!;
  }
  for (let k = 0; k < K; k++) xMean[k] = xMean[k]! / rows;
  yMean /= rows;
  const gram = new Float64Array(K * K);
  const xy = new Float64Array(K);
  const xc = new Float64Array(K);
  for (let j = 0; j < rows; j++) {
    const r = row(j);
    const base = r * K;
    for (let k = 0; k < K; k++) xc[k] = x[base + k]! - xMean[k]!;
    const yc = y ? y[r]! - yMean : 0;
    for (let a = 0; a < K; a++) {
      const xa = xc[a]!;
      xy[a]! += xa * yc;
      for (let b = a; b < K; b++) gram[a * K + b]! += xa * xc[b]!;
    }
  }
  for (let a = 0; a < K; a++) for (let b = 0; b < a; b++) gram[a * K + b] = gram[b * K + a]!;
  return { rows, K, xMean, yMean, gram, xy };
}

/**
 * The moments of Z = (X − x̄)·A for a K×K matrix A (row-major): Gram AᵀGA, cross-products Aᵀ(Xᵀy),
 * mean 0. With A = D⁻¹W these are the orthogonalised signals' moments.
 */
export function transformMoments(m: Moments, A: Float64Array): Moments {
  const K = m.K;
  const GA = new Float64Array(K * K);
  for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) { let s = 0; for (let k = 0; k < K; k++) s += m.gram[i * K + k]! * A[k * K + j]!; GA[i * K + j] = s; }
  const gram = new Float64Array(K * K);
  const xy = new Float64Array(K);
  for (let i = 0; i < K; i++) {
    let t = 0;
    for (let k = 0; k < K; k++) t += A[k * K + i]! * m.xy[k]!;
    xy[i] = t;
    // upper triangle, mirrored: the Cholesky solve wants an exactly symmetric matrix
    for (let j = i; j < K; j++) { let s = 0; for (let k = 0; k < K; k++) s += A[k * K + i]! * GA[k * K + j]!; gram[i * K + j] = s; gram[j * K + i] = s; }
  }
  return { rows: m.rows, K, xMean: new Float64Array(K), yMean: m.yMean, gram, xy };
}
