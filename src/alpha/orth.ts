/**
 * Orthogonalisation of standardised signals (docs/alpha.md "Orthogonalisation"). The spec is a
 * K×K matrix W applied after standardisation: o = ((x − mean) / sd) · W.
 *  - `residual`: Gram–Schmidt in the declared order. Each signal is the residual of its regression on
 *    the ones before it, rescaled to unit variance, so it is uncorrelated with every predecessor.
 *  - `lowdin`: symmetric orthogonalisation W = C^(−1/2), C the signals' correlation matrix (Löwdin
 *    1950): the orthonormal set closest to the originals in least squares, treating no signal first.
 * Both are fitted on the training rows only and saved with the model.
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { UserError } from '../core/errors.js';

export type OrthMethod = 'none' | 'residual' | 'lowdin';

export interface OrthSpec {
  readonly method: OrthMethod;
  readonly names: readonly string[];
  readonly mean: readonly number[];
  readonly sd: readonly number[];
  /** W, row-major K×K. */
  readonly matrix: readonly number[];
}

/** Column means and population sds of a rows × K matrix. */
function moments(x: Float64Array, rows: number, K: number): { mean: number[]; sd: number[] } {
  const mean = new Array<number>(K).fill(0);
  const sd = new Array<number>(K).fill(0);
  for (let r = 0; r < rows; r++) for (let k = 0; k < K; k++) mean[k]! += x[r * K + k]!;
  for (let k = 0; k < K; k++) mean[k] = mean[k]! / rows;
  for (let r = 0; r < rows; r++) for (let k = 0; k < K; k++) sd[k]! += (x[r * K + k]! - mean[k]!) ** 2;
  for (let k = 0; k < K; k++) {
    sd[k] = Math.sqrt(sd[k]! / rows);
    if (!(sd[k]! > 0)) throw new UserError(`signal has no variation in the training rows`, `signal #${k + 1}`);
  }
  return { mean, sd };
}

/** Standardise then multiply by W (rows × K → rows × K). */
export function applyOrth(spec: OrthSpec, x: Float64Array, rows: number): Float64Array {
  const K = spec.names.length;
  const out = new Float64Array(rows * K);
  const z = new Float64Array(K);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < K; k++) z[k] = (x[r * K + k]! - spec.mean[k]!) / spec.sd[k]!;
    for (let j = 0; j < K; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += z[k]! * spec.matrix[k * K + j]!;
      out[r * K + j] = s;
    }
  }
  return out;
}

export function fitOrth(method: OrthMethod, names: readonly string[], x: Float64Array, rows: number): OrthSpec {
  const K = names.length;
  const { mean, sd } = moments(x, rows, K);
  const identity = Matrix.eye(K).to1DArray();
  const base: OrthSpec = { method, names, mean, sd, matrix: identity };
  if (method === 'none' || K === 1) return base;
  const z = applyOrth(base, x, rows);
  const acc = new Float64Array(K * K);
  for (let r = 0; r < rows; r++) for (let a = 0; a < K; a++) { const za = z[r * K + a]!; for (let b = a; b < K; b++) acc[a * K + b]! += za * z[r * K + b]!; }
  const cov = new Matrix(K, K);
  for (let a = 0; a < K; a++) for (let b = a; b < K; b++) { cov.set(a, b, acc[a * K + b]! / rows); cov.set(b, a, acc[a * K + b]! / rows); }
  const W = method === 'lowdin' ? inverseSquareRoot(cov) : gramSchmidt(cov);
  return { ...base, matrix: W.to1DArray() };
}

/** C^(−1/2) by the eigen-decomposition of a symmetric positive-definite C. */
function inverseSquareRoot(cov: Matrix): Matrix {
  const eig = new EigenvalueDecomposition(cov, { assumeSymmetric: true });
  const values = eig.realEigenvalues;
  if (Math.min(...values) <= 1e-12) throw new UserError('signals are collinear in the training rows: Löwdin needs a full-rank correlation matrix', '--orth lowdin');
  const V = eig.eigenvectorMatrix;
  const D = Matrix.diag(values.map((v) => 1 / Math.sqrt(v)));
  return V.mmul(D).mmul(V.transpose());
}

/**
 * Gram–Schmidt on the covariance (no second pass over the rows): column k of W makes signal k's
 * residual on its predecessors, scaled to unit variance. With o = z·W, Cov(o) = Wᵀ C W.
 */
function gramSchmidt(cov: Matrix): Matrix {
  const K = cov.rows;
  const W = new Matrix(K, K);
  const inner = (a: number[], b: number[]): number => {
    let s = 0;
    for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) s += a[i]! * cov.get(i, j) * b[j]!;
    return s;
  };
  const done: number[][] = [];
  for (let k = 0; k < K; k++) {
    const v = new Array<number>(K).fill(0);
    v[k] = 1;
    for (const u of done) {
      const c = inner(v, u); // u has unit variance
      for (let i = 0; i < K; i++) v[i] = v[i]! - c * u[i]!;
    }
    const varV = inner(v, v);
    if (!(varV > 1e-12)) throw new UserError(`signal '${k + 1}' is a combination of the ones before it`, '--orth residual');
    const s = Math.sqrt(varV);
    const u = v.map((e) => e / s);
    done.push(u);
    for (let i = 0; i < K; i++) W.set(i, k, u[i]!);
  }
  return W;
}
