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
import { momentsOf, type Moments } from './moments.js';

export type OrthMethod = 'none' | 'residual' | 'lowdin';

export interface OrthSpec {
  readonly method: OrthMethod;
  readonly names: readonly string[];
  readonly mean: readonly number[];
  readonly sd: readonly number[];
  /** W, row-major K×K. */
  readonly matrix: readonly number[];
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
  return orthFromMoments(method, names, momentsOf(x.subarray(0, rows * names.length), names.length, null));
}

/**
 * The orthogonalisation from the training rows' centred moments: sd_k = √(G_kk / n) (population) and
 * the correlation matrix C_ab = G_ab / (n·sd_a·sd_b) of the standardised signals.
 */
export function orthFromMoments(method: OrthMethod, names: readonly string[], m: Moments): OrthSpec {
  const K = names.length;
  const mean = Array.from(m.xMean);
  const sd = mean.map((_, k) => Math.sqrt(m.gram[k * K + k]! / m.rows));
  sd.forEach((v, k) => { if (!(v > 0)) throw new UserError(`signal has no variation in the training rows`, `signal #${k + 1}`); });
  const base: OrthSpec = { method, names, mean, sd, matrix: Matrix.eye(K).to1DArray() };
  if (method === 'none' || K === 1) return base;
  const cov = new Matrix(K, K);
  for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) cov.set(a, b, m.gram[a * K + b]! / (m.rows * sd[a]! * sd[b]!));
  const W = method === 'lowdin' ? inverseSquareRoot(cov) : gramSchmidt(cov);
  return { ...base, matrix: W.to1DArray() };
}

/** A = D⁻¹W (row-major K×K): the orthogonalised signals are (x − mean)·A. */
export function orthLinearMap(spec: OrthSpec): Float64Array {
  const K = spec.names.length;
  return Float64Array.from({ length: K * K }, (_, i) => spec.matrix[i]! / spec.sd[Math.floor(i / K)]!);
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
