/**
 * Ridge regression, pooled over the panel (Hoerl & Kennard 1970). On inputs X (rows × K, already
 * standardised) and labels y, with both centred on their training means:
 *   β = (XᵀX + λ·n·I)⁻¹ Xᵀy,   intercept = ȳ − x̄ᵀβ
 * λ is scaled by n so one grid serves any panel size. The solve is ml-matrix's Cholesky
 * decomposition (XᵀX + λnI is symmetric positive definite for λ > 0).
 */
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { UserError } from '../core/errors.js';

export interface RidgeFit {
  readonly lambda: number;
  readonly intercept: number;
  readonly coefficients: readonly number[];
}

export function fitRidge(x: Float64Array, y: Float64Array, rows: number, K: number, lambda: number): RidgeFit {
  if (rows <= K) throw new UserError(`${rows} training rows for ${K} signals: too few to fit`, 'fit');
  if (!(lambda >= 0)) throw new UserError(`lambda must be ≥ 0, got ${lambda}`, '--lambdas');
  const xMean = new Array<number>(K).fill(0);
  let yMean = 0;
  for (let r = 0; r < rows; r++) {
    yMean += y[r]!;
    for (let k = 0; k < K; k++) xMean[k]! += x[r * K + k]!;
  }
  yMean /= rows;
  for (let k = 0; k < K; k++) xMean[k] = xMean[k]! / rows;
  // Accumulate XᵀX and Xᵀy in plain arrays (per-element Matrix.get/set dominated the time), then hand
  // the K×K system to ml-matrix.
  const g = new Float64Array(K * K);
  const xy = new Float64Array(K);
  const xc = new Float64Array(K);
  for (let r = 0; r < rows; r++) {
    const base = r * K;
    for (let k = 0; k < K; k++) xc[k] = x[base + k]! - xMean[k]!;
    const yc = y[r]! - yMean;
    for (let a = 0; a < K; a++) {
      const xa = xc[a]!;
      xy[a]! += xa * yc;
      for (let b = a; b < K; b++) g[a * K + b]! += xa * xc[b]!;
    }
  }
  const gram = new Matrix(K, K);
  const xty = new Matrix(K, 1);
  for (let a = 0; a < K; a++) {
    xty.set(a, 0, xy[a]!);
    for (let b = a; b < K; b++) { gram.set(a, b, g[a * K + b]!); gram.set(b, a, g[a * K + b]!); }
    gram.set(a, a, g[a * K + a]! + lambda * rows);
  }
  const chol = new CholeskyDecomposition(gram);
  if (!chol.isPositiveDefinite()) throw new UserError('the signals are collinear: use a larger lambda or orthogonalise', 'fit');
  const beta = chol.solve(xty).getColumn(0);
  let intercept = yMean;
  for (let k = 0; k < K; k++) intercept -= xMean[k]! * beta[k]!;
  return { lambda, intercept, coefficients: beta };
}

export function predictRidge(fit: RidgeFit, x: Float64Array, rows: number): Float64Array {
  const K = fit.coefficients.length;
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = fit.intercept;
    for (let k = 0; k < K; k++) s += fit.coefficients[k]! * x[r * K + k]!;
    out[r] = s;
  }
  return out;
}
