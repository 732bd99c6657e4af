/**
 * Boosting objectives (Friedman 2001; Chen & Guestrin 2016, "XGBoost", §2.2): for each row the
 * first and second derivatives (gradient g, hessian h) of the loss with respect to the raw score,
 * the loss itself (what the learning curve and early stopping read), the starting score and the
 * transform from raw score to prediction. See docs/ml.md "Objectives".
 *
 *  - regression: squared error ½(f − y)²; g = f − y, h = 1; loss reported as the mean squared error.
 *  - binary: logistic log-loss; p = σ(f), g = p − y, h = p(1 − p); loss = −mean[y ln p + (1−y) ln(1−p)].
 *  - multiclass (K classes, labels 0..K−1): softmax p_k = e^{f_k} / Σ_j e^{f_j};
 *    g_k = p_k − [y = k], h_k = p_k(1 − p_k) (the diagonal of the Hessian); loss = −mean ln p_y.
 * Hessians are floored at 1e-16 so a leaf of saturated rows keeps a finite value with λ = 0.
 */
import { UserError } from '../../core/errors.js';

export type ObjectiveName = 'regression' | 'binary' | 'multiclass';
export const OBJECTIVES: readonly ObjectiveName[] = ['regression', 'binary', 'multiclass'];

const HESSIAN_FLOOR = 1e-16;
const PROB_FLOOR = 1e-15;

export function parseObjective(name: string): ObjectiveName {
  if ((OBJECTIVES as readonly string[]).includes(name)) return name as ObjectiveName;
  throw new UserError(`unknown objective '${name}' (objectives: ${OBJECTIVES.join(', ')})`, '--objective');
}

/** Number of raw scores per row: K for multiclass, else 1. */
export const outputsPerRow = (objective: ObjectiveName, numClass: number): number => (objective === 'multiclass' ? numClass : 1);

/**
 * Check the labels for an objective; returns the number of classes (1 for regression).
 * NaN labels, a constant label and labels outside the objective's set are refused in one line.
 */
export function checkLabels(objective: ObjectiveName, y: Float64Array, where = 'label', allowConstant = false): number {
  if (y.length === 0) throw new UserError('no rows', where);
  let min = Infinity, max = -Infinity;
  for (let r = 0; r < y.length; r++) {
    const v = y[r]!;
    if (!Number.isFinite(v)) throw new UserError(`row ${r}: label is ${v} (labels must be finite; drop the row or fill it)`, where);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min === max && !allowConstant) throw new UserError(`the label is constant (every row is ${min}): there is nothing to learn`, where);
  if (objective === 'binary') {
    for (let r = 0; r < y.length; r++) if (y[r] !== 0 && y[r] !== 1) throw new UserError(`row ${r}: label ${y[r]} is not 0 or 1 (objective binary)`, where);
    return 2;
  }
  if (objective === 'multiclass') {
    for (let r = 0; r < y.length; r++) if (!Number.isInteger(y[r]!) || y[r]! < 0) throw new UserError(`row ${r}: label ${y[r]} is not a class index 0, 1, 2, … (objective multiclass)`, where);
    return max + 1;
  }
  return 1;
}

/** Starting raw score(s): the constant model's optimum (mean; log-odds; log class frequencies). */
export function baseScores(objective: ObjectiveName, y: Float64Array, numClass: number): number[] {
  const n = y.length;
  if (objective === 'regression') { let s = 0; for (let r = 0; r < n; r++) s += y[r]!; return [s / n]; }
  if (objective === 'binary') {
    let s = 0;
    for (let r = 0; r < n; r++) s += y[r]!;
    const p = Math.min(1 - PROB_FLOOR, Math.max(PROB_FLOOR, s / n));
    return [Math.log(p / (1 - p))];
  }
  const count = new Float64Array(numClass);
  for (let r = 0; r < n; r++) count[y[r]!]!++;
  return Array.from(count, (c) => Math.log(Math.max(c, 1) / n));
}

export const sigmoid = (f: number): number => 1 / (1 + Math.exp(-f));

/** Softmax of scores[from .. from+k) into out[from .. from+k) (max-shifted for stability). */
export function softmaxInto(scores: Float64Array, from: number, k: number, out: Float64Array): void {
  let max = -Infinity;
  for (let c = 0; c < k; c++) max = Math.max(max, scores[from + c]!);
  let sum = 0;
  for (let c = 0; c < k; c++) { const e = Math.exp(scores[from + c]! - max); out[from + c] = e; sum += e; }
  for (let c = 0; c < k; c++) out[from + c]! /= sum;
}

/**
 * Gradients and hessians for output `cls` into gh: g of row r at r, h at rows + r (histogram.ts), for
 * rows from .. to (every row by default; each row's values depend on that row alone).
 * `scores` holds `k` raw scores per row (row-major); `prob` is scratch of the same size (multiclass).
 */
export function gradients(
  objective: ObjectiveName, y: Float64Array, scores: Float64Array, k: number, cls: number, gh: Float64Array, prob: Float64Array,
  from = 0, to = y.length,
): void {
  const n = y.length;
  if (objective === 'regression') {
    for (let r = from; r < to; r++) { gh[r] = scores[r]! - y[r]!; gh[n + r] = 1; }
  } else if (objective === 'binary') {
    for (let r = from; r < to; r++) {
      const p = sigmoid(scores[r]!);
      gh[r] = p - y[r]!;
      gh[n + r] = Math.max(p * (1 - p), HESSIAN_FLOOR);
    }
  } else {
    if (cls === 0) for (let r = from; r < to; r++) softmaxInto(scores, r * k, k, prob);
    for (let r = from; r < to; r++) {
      const p = prob[r * k + cls]!;
      gh[r] = p - (y[r] === cls ? 1 : 0);
      gh[n + r] = Math.max(p * (1 - p), HESSIAN_FLOOR);
    }
  }
}

/** Mean loss of raw scores against labels (MSE, log-loss, multi-class log-loss). */
export function meanLoss(objective: ObjectiveName, y: Float64Array, scores: Float64Array, k: number): number {
  const n = y.length;
  if (n === 0) return NaN;
  let s = 0;
  if (objective === 'regression') {
    for (let r = 0; r < n; r++) s += (scores[r]! - y[r]!) ** 2;
  } else if (objective === 'binary') {
    for (let r = 0; r < n; r++) {
      const p = Math.min(1 - PROB_FLOOR, Math.max(PROB_FLOOR, sigmoid(scores[r]!)));
      s -= y[r] === 1 ? Math.log(p) : Math.log(1 - p);
    }
  } else {
    for (let r = 0; r < n; r++) {
      let max = -Infinity;
      for (let c = 0; c < k; c++) max = Math.max(max, scores[r * k + c]!);
      let sum = 0;
      for (let c = 0; c < k; c++) sum += Math.exp(scores[r * k + c]! - max);
      s -= scores[r * k + y[r]!]! - max - Math.log(sum);
    }
  }
  return s / n;
}

/** Raw scores → predictions: identity, P(y = 1), or class probabilities (k per row). */
export function transform(objective: ObjectiveName, scores: Float64Array, k: number): Float64Array {
  const out = new Float64Array(scores.length);
  if (objective === 'regression') out.set(scores);
  else if (objective === 'binary') for (let r = 0; r < scores.length; r++) out[r] = sigmoid(scores[r]!);
  else for (let r = 0; r < scores.length / k; r++) softmaxInto(scores, r * k, k, out);
  return out;
}
