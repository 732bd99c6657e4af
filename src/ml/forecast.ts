/**
 * Out-of-fold state forecasts (docs/ml.md "State forecasts"): P(down), P(flat), P(up) per row from
 * boosted trees trained on purged, embargoed walk-forward folds. The bars are cut into `folds`
 * blocks (src/alpha/folds.ts); block f is predicted by a model trained only on rows whose label
 * window (t, t + h] ends before the block starts, with a further `embargo` bars left out:
 * t ≤ testFrom − h − embargo. Inside that training span the last `validFraction` of bars (again
 * purged by h) is the early-stopping fold. Block 0 has no past and stays unpredicted (NaN).
 * Only these out-of-fold probabilities are used downstream (meta-model, export).
 */
import { UserError, throwIfAborted } from '../core/errors.js';
import { purgedFolds } from '../alpha/folds.js';
import { trainGbdt, type CurvePoint } from './gbdt/train.js';
import { predict } from './gbdt/model.js';
import type { GbdtParams } from './gbdt/model.js';

export interface WalkForwardSpec {
  readonly folds: number;
  /** Label horizon in bars (the purge). */
  readonly horizon: number;
  /** Extra bars left out between training labels and the test block. */
  readonly embargo: number;
  /** Share of the training bars used for early stopping. @default 0.2 */
  readonly validFraction: number;
}

export interface OofDesign {
  readonly rows: number;
  readonly features: number;
  readonly x: Float64Array;
  readonly y: Float64Array;
  /** Bar index per row, ascending. */
  readonly bar: Int32Array;
}

export interface OofResult {
  /** numClass probabilities per row (multiclass), else one prediction per row; NaN for rows in no predicted block. */
  readonly prob: Float64Array;
  readonly numClass: number;
  /** Test block per row (−1: not predicted). */
  readonly fold: Int32Array;
  /** Each fold's learning curve (train vs validation loss per round). */
  readonly curves: readonly (readonly CurvePoint[])[];
}

const MIN_TRAIN_ROWS = 50;

/** Rows with bar in [from, to] (rows are bar-ascending). */
function rowsIn(bar: Int32Array, from: number, to: number): Int32Array {
  const out: number[] = [];
  for (let r = 0; r < bar.length; r++) if (bar[r]! >= from && bar[r]! <= to) out.push(r);
  return Int32Array.from(out);
}

function subset(d: OofDesign, rows: Int32Array): { x: Float64Array; y: Float64Array; rows: number; features: number } {
  const F = d.features;
  const x = new Float64Array(rows.length * F), y = new Float64Array(rows.length);
  rows.forEach((r, j) => { x.set(d.x.subarray(r * F, r * F + F), j * F); y[j] = d.y[r]!; });
  return { x, y, rows: rows.length, features: F };
}

export async function walkForwardOof(
  d: OofDesign, featureNames: readonly string[], spec: WalkForwardSpec, params: Partial<GbdtParams> & { objective: GbdtParams['objective'] },
  progress?: (done: number, total: number) => void, signal?: AbortSignal,
): Promise<OofResult> {
  const folds = purgedFolds(d.bar, { folds: spec.folds, horizon: spec.horizon, embargo: spec.embargo });
  const numClass = params.objective === 'multiclass' ? d.y.reduce((m, v) => Math.max(m, v), 0) + 1 : 1;
  const prob = new Float64Array(d.rows * numClass).fill(NaN);
  const fold = new Int32Array(d.rows).fill(-1);
  const curves: CurvePoint[][] = [];
  let firstBar = Infinity;
  for (const b of d.bar) firstBar = Math.min(firstBar, b);
  for (const f of folds) {
    throwIfAborted(signal);
    progress?.(f.index, folds.length);
    const lastTrainBar = f.testFrom - spec.horizon - spec.embargo;
    const span = lastTrainBar - firstBar + 1;
    const validFrom = lastTrainBar - Math.floor(span * spec.validFraction) + 1;
    const fitRows = rowsIn(d.bar, -Infinity, validFrom - 1 - spec.horizon);
    const validRows = rowsIn(d.bar, validFrom, lastTrainBar);
    if (fitRows.length < MIN_TRAIN_ROWS || validRows.length === 0) continue;
    const train = subset(d, fitRows);
    if (new Set(train.y).size < 2) continue; // a constant label in this span: nothing to learn yet
    const valid = subset(d, validRows);
    const { model, curve } = await trainGbdt(`fold${f.index}`, featureNames, train, valid, params, { signal });
    curves.push([...curve]);
    const test = subset(d, f.test);
    const p = predict(model, test.x, test.rows);
    const k = model.objective === 'multiclass' ? model.numClass : 1;
    f.test.forEach((r, j) => {
      fold[r] = f.index;
      for (let c = 0; c < numClass; c++) prob[r * numClass + c] = c < k ? p[j * k + c]! : 0;
    });
  }
  progress?.(folds.length, folds.length);
  if (!curves.length) throw new UserError(`no fold had ${MIN_TRAIN_ROWS} training rows before it: use fewer --folds or more data`, 'fit');
  return { prob, numClass, fold, curves };
}

/** Accuracy and mean log-loss of OOF class probabilities over predicted rows. */
export function oofScores(prob: Float64Array, numClass: number, y: Float64Array): { rows: number; accuracy: number; logLoss: number } {
  let n = 0, hit = 0, loss = 0;
  for (let r = 0; r < y.length; r++) {
    if (!Number.isFinite(prob[r * numClass]!)) continue;
    let best = 0;
    for (let c = 1; c < numClass; c++) if (prob[r * numClass + c]! > prob[r * numClass + best]!) best = c;
    n++; if (best === y[r]) hit++;
    loss -= Math.log(Math.max(1e-15, prob[r * numClass + y[r]!]!));
  }
  return { rows: n, accuracy: n ? hit / n : NaN, logLoss: n ? loss / n : NaN };
}

/** Reliability table: predicted probability of class `cls` in `bins` equal-width bins vs the observed frequency. */
export function reliability(prob: Float64Array, numClass: number, y: Float64Array, cls: number, bins = 10): { from: number; to: number; rows: number; predicted: number; observed: number }[] {
  const count = new Float64Array(bins), sumP = new Float64Array(bins), hits = new Float64Array(bins);
  for (let r = 0; r < y.length; r++) {
    const p = prob[r * numClass + cls]!;
    if (!Number.isFinite(p)) continue;
    const b = Math.min(bins - 1, Math.floor(p * bins));
    count[b]!++; sumP[b]! += p; if (y[r] === cls) hits[b]!++;
  }
  const out = [];
  for (let b = 0; b < bins; b++) if (count[b]! > 0) out.push({ from: b / bins, to: (b + 1) / bins, rows: count[b]!, predicted: sumP[b]! / count[b]!, observed: hits[b]! / count[b]! });
  return out;
}
