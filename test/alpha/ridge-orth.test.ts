/**
 * Must-show 1: ridge coefficients against an independent closed form (SVD of the centred design:
 * β = V·diag(s / (s² + λn))·Uᵀ·y), and orthogonalised signals uncorrelated in-sample — residual:
 * each with its predecessors (and equal to an independent QR residual); Löwdin: all pairs, and the
 * orthonormal set closest to the standardised signals (Löwdin 1950).
 */
import { describe, expect, it } from 'vitest';
import { Matrix, QrDecomposition, SingularValueDecomposition } from 'ml-matrix';
import { createRng } from '../../src/core/rng.js';
import { fitRidge } from '../../src/alpha/ridge.js';
import { applyOrth, fitOrth } from '../../src/alpha/orth.js';
import { buildDesign } from '../../src/alpha/design.js';
import { buildSignals } from '../../src/alpha/signals.js';
import { universeMembership } from '../../src/alpha/universe.js';
import { demeanAcross, forwardReturns } from '../../src/alpha/labels.js';
import { plantedUniverse, allMembers } from './helpers.js';

const SIGNALS = ['tsmom', 'xsmom', 'meanrev', 'carry', 'orderflow'];

/** The planted universe's design (real, correlated signals) and its labels. */
function plantedDesign() {
  const { panel } = plantedUniverse({ seed: 11, symbols: 20, years: 0.25 });
  const member = universeMembership(panel, allMembers);
  const signals = buildSignals(panel, SIGNALS, member);
  const y = demeanAcross(forwardReturns(panel, { horizon: 4, volScaled: false, volWindow: 168 }), panel.symbols.length, member);
  return buildDesign(signals, SIGNALS, panel.symbols.length, member, y);
}

/** Column j of a rows × K row-major matrix. */
const col = (x: Float64Array, K: number, j: number): number[] => Array.from({ length: x.length / K }, (_, r) => x[r * K + j]!);
function corr(a: number[], b: number[]): number {
  const n = a.length;
  const ma = a.reduce((s, v) => s + v, 0) / n, mb = b.reduce((s, v) => s + v, 0) / n;
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < n; i++) { ab += (a[i]! - ma) * (b[i]! - mb); aa += (a[i]! - ma) ** 2; bb += (b[i]! - mb) ** 2; }
  return ab / Math.sqrt(aa * bb);
}

/** Ridge by the SVD of the centred design: independent of the code's normal equations + Cholesky. */
function ridgeBySvd(x: Float64Array, y: Float64Array, rows: number, K: number, lambda: number): { beta: number[]; intercept: number } {
  const X = new Matrix(rows, K);
  const xm = new Array<number>(K).fill(0);
  const ym = Array.from(y).reduce((s, v) => s + v, 0) / rows;
  for (let j = 0; j < K; j++) xm[j] = col(x, K, j).reduce((s, v) => s + v, 0) / rows;
  for (let r = 0; r < rows; r++) for (let j = 0; j < K; j++) X.set(r, j, x[r * K + j]! - xm[j]!);
  const yc = Matrix.columnVector(Array.from(y, (v) => v - ym));
  const svd = new SingularValueDecomposition(X, { autoTranspose: true });
  const s = svd.diagonal;
  const uty = svd.leftSingularVectors.transpose().mmul(yc);
  const scaled = Matrix.columnVector(s.map((sv, k) => (sv / (sv * sv + lambda * rows)) * uty.get(k, 0)));
  const beta = svd.rightSingularVectors.mmul(scaled).getColumn(0);
  return { beta, intercept: ym - beta.reduce((acc, b, j) => acc + b * xm[j]!, 0) };
}

describe('ridge', () => {
  const d = plantedDesign();
  const K = SIGNALS.length;
  const none = fitOrth('none', SIGNALS, d.x, d.rows);
  const z = applyOrth(none, d.x, d.rows); // standardised inputs

  it('standardisation gives mean 0 and population sd 1 per column', () => {
    for (let j = 0; j < K; j++) {
      const c = col(z, K, j);
      const m = c.reduce((s, v) => s + v, 0) / c.length;
      expect(Math.abs(m)).toBeLessThan(1e-12);
      expect(Math.sqrt(c.reduce((s, v) => s + (v - m) ** 2, 0) / c.length)).toBeCloseTo(1, 12);
    }
  });

  for (const lambda of [0, 1e-3, 0.1, 10]) {
    it(`coefficients equal the SVD closed form to 1e-8 (λ = ${lambda}, ${d.rows} rows)`, () => {
      const fit = fitRidge(z, d.y, d.rows, K, lambda);
      const ref = ridgeBySvd(z, d.y, d.rows, K, lambda);
      for (let j = 0; j < K; j++) expect(Math.abs(fit.coefficients[j]! - ref.beta[j]!)).toBeLessThan(1e-8);
      expect(Math.abs(fit.intercept - ref.intercept)).toBeLessThan(1e-8);
    });
  }

  it('shrinks: the coefficient norm falls as λ grows, towards 0', () => {
    const norm = (l: number): number => Math.hypot(...fitRidge(z, d.y, d.rows, K, l).coefficients);
    expect(norm(0.01)).toBeLessThan(norm(0));
    expect(norm(1)).toBeLessThan(norm(0.01));
    expect(norm(1e6)).toBeLessThan(1e-6 * norm(0));
  });

  it('a hand-worked 2-signal case: X = [[1,0],[0,1],[-1,0],[0,-1]], y = [2,1,-2,-1], λ = 0.25 → β = 4/(2+1)·[1, ½]', () => {
    // XᵀX = 2I, Xᵀy = [4, 2]; (2 + 0.25·4)·β = [4, 2] → β = [4/3, 2/3]
    const fit = fitRidge(Float64Array.from([1, 0, 0, 1, -1, 0, 0, -1]), Float64Array.from([2, 1, -2, -1]), 4, 2, 0.25);
    expect(fit.coefficients[0]).toBeCloseTo(4 / 3, 12);
    expect(fit.coefficients[1]).toBeCloseTo(2 / 3, 12);
    expect(fit.intercept).toBeCloseTo(0, 12);
  });
});

describe('orthogonalisation', () => {
  const d = plantedDesign();
  const K = SIGNALS.length;

  it('the planted signals are correlated before (so the test can fail)', () => {
    let maxAbs = 0;
    for (let a = 0; a < K; a++) for (let b = a + 1; b < K; b++) maxAbs = Math.max(maxAbs, Math.abs(corr(col(d.x, K, a), col(d.x, K, b))));
    expect(maxAbs).toBeGreaterThan(0.1);
  });

  it('residual: each signal uncorrelated with its predecessors, unit variance, and equal to the QR residual on them', () => {
    const o = applyOrth(fitOrth('residual', SIGNALS, d.x, d.rows), d.x, d.rows);
    const z = applyOrth(fitOrth('none', SIGNALS, d.x, d.rows), d.x, d.rows);
    for (let k = 1; k < K; k++) for (let j = 0; j < k; j++) expect(Math.abs(corr(col(o, K, k), col(o, K, j)))).toBeLessThan(1e-10);
    for (let k = 0; k < K; k++) {
      // independent: least-squares residual of z_k on [1, z_0..z_{k−1}] by Householder QR
      const A = new Matrix(d.rows, k + 1);
      for (let r = 0; r < d.rows; r++) { A.set(r, 0, 1); for (let j = 0; j < k; j++) A.set(r, j + 1, z[r * K + j]!); }
      const target = Matrix.columnVector(col(z, K, k));
      const coef = new QrDecomposition(A).solve(target);
      const resid = target.sub(A.mmul(coef)).getColumn(0);
      const sd = Math.sqrt(resid.reduce((s, v) => s + v * v, 0) / d.rows);
      const mine = col(o, K, k);
      for (let r = 0; r < d.rows; r += 7) expect(Math.abs(mine[r]! - resid[r]! / sd)).toBeLessThan(1e-9);
    }
  });

  it('Löwdin: every pair uncorrelated, W symmetric, and the closest orthonormal set to the standardised signals', () => {
    const spec = fitOrth('lowdin', SIGNALS, d.x, d.rows);
    const o = applyOrth(spec, d.x, d.rows);
    for (let a = 0; a < K; a++) for (let b = a + 1; b < K; b++) expect(Math.abs(corr(col(o, K, a), col(o, K, b)))).toBeLessThan(1e-10);
    for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) expect(spec.matrix[a * K + b]).toBeCloseTo(spec.matrix[b * K + a]!, 12);
    const z = applyOrth(fitOrth('none', SIGNALS, d.x, d.rows), d.x, d.rows);
    const distance = (x: Float64Array): number => { let s = 0; for (let i = 0; i < x.length; i++) s += (x[i]! - z[i]!) ** 2; return s; };
    const best = distance(o);
    // Every other orthonormal set is o·Q for an orthogonal Q; Gram–Schmidt is one of them.
    expect(best).toBeLessThan(distance(applyOrth(fitOrth('residual', SIGNALS, d.x, d.rows), d.x, d.rows)));
    const rng = createRng(3, 'test/orth');
    for (let trial = 0; trial < 5; trial++) {
      const Q = new QrDecomposition(Matrix.from1DArray(K, K, Array.from({ length: K * K }, () => rng.normal()))).orthogonalMatrix;
      const rotated = new Float64Array(o.length);
      for (let r = 0; r < d.rows; r++) for (let j = 0; j < K; j++) { let s = 0; for (let k = 0; k < K; k++) s += o[r * K + k]! * Q.get(k, j); rotated[r * K + j] = s; }
      expect(best).toBeLessThan(distance(rotated));
    }
  });

  it('the OrthSpec is fitted on the rows given only (a fold never sees its test rows)', () => {
    const half = Math.floor(d.rows / 2);
    const a = fitOrth('lowdin', SIGNALS, d.x.subarray(0, half * K), half);
    const b = fitOrth('lowdin', SIGNALS, d.x, d.rows);
    expect(a.mean).not.toEqual(b.mean);
    expect(a.matrix).not.toEqual(b.matrix);
  });
});
