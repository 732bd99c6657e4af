/**
 * Lambda selection by purged, embargoed blocked cross-validation (folds.ts): for each λ of the grid
 * every fold fits the orthogonalisation and the ridge on its training rows and predicts its test
 * rows, giving out-of-fold (OOF) scores for every row. The chosen λ maximises the mean OOF IC per
 * bar (ties: the larger λ). Orthogonalisation and standardisation never see the test rows.
 */
import { throwIfAborted } from '../core/errors.js';
import type { Design } from './design.js';
import type { Fold } from './folds.js';
import { icPerBar, rankIcPerBar, summariseIc } from './ic.js';
import { orthFromMoments, orthLinearMap, type OrthMethod } from './orth.js';
import { solveRidge } from './ridge.js';
import { momentsOf, transformMoments } from './moments.js';

export interface CvPoint {
  readonly lambda: number;
  readonly icMean: number;
  readonly icT: number;
  readonly rankIcMean: number;
  /** Mean squared error of the OOF predictions (the selection criterion). */
  readonly mse: number;
}

export interface CvResult {
  readonly curve: readonly CvPoint[];
  readonly best: number;
  /** OOF scores of the chosen λ, one per design row (NaN for rows in no test block). */
  readonly oof: Float64Array;
}

/** Spread design rows back into a T×N matrix (NaN elsewhere). */
export function toMatrix(d: Design, values: Float64Array, T: number, n: number): Float64Array {
  const out = new Float64Array(T * n).fill(NaN);
  for (let r = 0; r < d.rows; r++) out[d.bar[r]! * n + d.symbol[r]!] = values[r]!;
  return out;
}

export function crossValidate(
  design: Design, folds: readonly Fold[], lambdas: readonly number[], orth: OrthMethod, T: number, n: number, horizon: number,
  onStep?: (done: number, total: number) => void, signal?: AbortSignal,
): CvResult {
  const K = design.names.length;
  // One fold at a time, every λ inside it, each from the fold's moments: no fold copies its rows.
  const oofs = lambdas.map(() => new Float64Array(design.rows).fill(NaN));
  let step = 0;
  for (const fold of folds) {
    throwIfAborted(signal);
    // The fold's fit from its training rows' moments (no copy of the rows); the prediction maps raw
    // signals straight to scores: s = intercept + (x − mean)·A·β, A = D⁻¹W.
    const moments = momentsOf(design.x, K, design.y, fold.train);
    const spec = orthFromMoments(orth, design.names, moments);
    const A = orthLinearMap(spec);
    const orthMoments = transformMoments(moments, A);
    lambdas.forEach((lambda, k) => {
      throwIfAborted(signal);
      const fit = solveRidge(orthMoments, lambda);
      const weights = new Float64Array(K);
      for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) weights[i]! += A[i * K + j]! * fit.coefficients[j]!;
      let offset = fit.intercept;
      for (let i = 0; i < K; i++) offset -= weights[i]! * spec.mean[i]!;
      const oof = oofs[k]!;
      for (const r of fold.test) {
        let s = offset;
        for (let i = 0; i < K; i++) s += weights[i]! * design.x[r * K + i]!;
        oof[r] = s;
      }
      onStep?.(++step, lambdas.length * folds.length);
    });
  }
  const label = toMatrix(design, design.y, T, n);
  const curve: CvPoint[] = lambdas.map((lambda, k) => {
    const oof = oofs[k]!;
    const score = toMatrix(design, oof, T, n);
    const ic = summariseIc(icPerBar(score, label, n), horizon - 1);
    const rank = summariseIc(rankIcPerBar(score, label, n), horizon - 1);
    let se = 0, m = 0;
    for (let r = 0; r < design.rows; r++) if (Number.isFinite(oof[r]!)) { se += (oof[r]! - design.y[r]!) ** 2; m++; }
    return { lambda, icMean: ic.mean, icT: ic.t, rankIcMean: rank.mean, mse: m ? se / m : NaN };
  });
  let best = 0;
  for (let k = 1; k < curve.length; k++) if (!(curve[k]!.mse > curve[best]!.mse)) best = k;
  return { curve, best, oof: oofs[best]! };
}
