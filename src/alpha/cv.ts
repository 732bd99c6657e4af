/**
 * Lambda selection by purged, embargoed blocked cross-validation (folds.ts): for each λ of the grid
 * every fold fits the orthogonalisation and the ridge on its training rows and predicts its test
 * rows, giving out-of-fold (OOF) scores for every row. The chosen λ maximises the mean OOF IC per
 * bar (ties: the larger λ). Orthogonalisation and standardisation never see the test rows.
 */
import { throwIfAborted } from '../core/errors.js';
import { selectRows, type Design } from './design.js';
import type { Fold } from './folds.js';
import { icPerBar, rankIcPerBar, summariseIc } from './ic.js';
import { applyOrth, fitOrth, type OrthMethod } from './orth.js';
import { fitRidge, predictRidge } from './ridge.js';

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
  // One fold at a time, every λ inside it: only one fold's training copy (and its orthogonalised
  // copy) is alive at once, so memory is about two training matrices, not two per fold.
  const oofs = lambdas.map(() => new Float64Array(design.rows).fill(NaN));
  let step = 0;
  for (const fold of folds) {
    throwIfAborted(signal);
    const train = selectRows(design, fold.train);
    const test = selectRows(design, fold.test);
    const spec = fitOrth(orth, design.names, train.x, train.rows);
    const trainX = applyOrth(spec, train.x, train.rows);
    const testX = applyOrth(spec, test.x, test.rows);
    lambdas.forEach((lambda, k) => {
      throwIfAborted(signal);
      const pred = predictRidge(fitRidge(trainX, train.y, train.rows, K, lambda), testX, test.rows);
      const oof = oofs[k]!;
      fold.test.forEach((r, j) => { oof[r] = pred[j]!; });
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
