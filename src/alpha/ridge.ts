/**
 * Ridge regression, pooled over the panel (Hoerl & Kennard 1970). On inputs X (rows × K, already
 * standardised) and labels y, with both centred on their training means:
 *   β = (XᵀX + λ·n·I)⁻¹ Xᵀy,   intercept = ȳ − x̄ᵀβ
 * λ is scaled by n so one grid serves any panel size. The solve is ml-matrix's Cholesky
 * decomposition (XᵀX + λnI is symmetric positive definite for λ > 0), from the centred moments of
 * moments.ts, so cross-validation solves every λ of a fold from one pass over its rows.
 */
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { UserError } from '../core/errors.js';
import { momentsOf, type Moments } from './moments.js';

export interface RidgeFit {
  readonly lambda: number;
  readonly intercept: number;
  readonly coefficients: readonly number[];
}

/** Ridge on the rows of X (rows × K, row-major) and labels y. */
export function fitRidge(x: Float64Array, y: Float64Array, rows: number, K: number, lambda: number): RidgeFit {
  if (rows <= K) throw new UserError(`${rows} training rows for ${K} signals: too few to fit`, 'fit');
  return solveRidge(momentsOf(x.subarray(0, rows * K), K, y), lambda);
}

/**
 * The ridge solve from centred moments (moments.ts): (G + λ·n·I)β = Xᵀy by ml-matrix's Cholesky,
 * intercept ȳ − x̄ᵀβ.
 */
export function solveRidge(m: Moments, lambda: number): RidgeFit {
  const { rows, K } = m;
  if (rows <= K) throw new UserError(`${rows} training rows for ${K} signals: too few to fit`, 'fit');
  if (!(lambda >= 0)) throw new UserError(`lambda must be ≥ 0, got ${lambda}`, '--lambdas');
  const gram = new Matrix(K, K);
  const xty = new Matrix(K, 1);
  for (let a = 0; a < K; a++) {
    xty.set(a, 0, m.xy[a]!);
    for (let b = 0; b < K; b++) gram.set(a, b, m.gram[a * K + b]!);
    gram.set(a, a, m.gram[a * K + a]! + lambda * rows);
  }
  const chol = new CholeskyDecomposition(gram);
  if (!chol.isPositiveDefinite()) throw new UserError('the signals are collinear: use a larger lambda or orthogonalise', 'fit');
  const beta = chol.solve(xty).getColumn(0);
  let intercept = m.yMean;
  for (let k = 0; k < K; k++) intercept -= m.xMean[k]! * beta[k]!;
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
