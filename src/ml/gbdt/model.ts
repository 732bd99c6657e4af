/**
 * A fitted boosted-tree model: the file format (JSON with a digest of its content, like the
 * AlphaBundle's), prediction from raw feature values, and loading with an integrity check.
 * Thresholds and leaf values are plain JSON numbers, which JavaScript prints in their shortest
 * round-trip form, so a saved and loaded model predicts bit for bit the same (test/ml/gbdt.test.ts).
 */
import { mkdirSync, readFileSync, writeFileSync, renameSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { digestOf } from '../../core/canonical.js';
import { UserError } from '../../core/errors.js';
import { outputsPerRow, transform, type ObjectiveName } from './objective.js';
import type { Growth, Tree } from './tree.js';
import { addForestScores, flattenTrees, type FlatForest } from './forest.js';

export interface GbdtParams {
  readonly objective: ObjectiveName;
  readonly rounds: number;
  readonly learningRate: number;
  readonly growth: Growth;
  /** 0: no depth cap (leaf-wise then relies on maxLeaves). */
  readonly maxDepth: number;
  /** 0: no cap. */
  readonly maxLeaves: number;
  readonly lambda: number;
  readonly gamma: number;
  readonly minSamplesLeaf: number;
  readonly minChildWeight: number;
  /** Fraction of rows drawn (Bernoulli, seeded) for each tree. */
  readonly subsample: number;
  /** Fraction of features drawn (seeded) for each tree. */
  readonly colsample: number;
  readonly maxBin: number;
  /** Stop after this many rounds without a better validation loss (0: off). */
  readonly earlyStoppingRounds: number;
  readonly seed: number;
  /** Histogram threads (1: this thread; more: the worker pool, for large tables). */
  readonly threads: number;
}

export const DEFAULT_GBDT_PARAMS: GbdtParams = {
  objective: 'regression', rounds: 100, learningRate: 0.1, growth: 'depthwise', maxDepth: 6, maxLeaves: 0,
  lambda: 1, gamma: 0, minSamplesLeaf: 1, minChildWeight: 1, subsample: 1, colsample: 1, maxBin: 255,
  earlyStoppingRounds: 20, seed: 0, threads: 1,
};

export interface GbdtModelFile {
  readonly format: 'edgelab-gbdt';
  readonly version: 1;
  readonly name: string;
  readonly objective: ObjectiveName;
  readonly numClass: number;
  readonly featureNames: readonly string[];
  readonly baseScore: readonly number[];
  /** Trees round-major: round r's tree for output k at r · outputs + k. */
  readonly trees: readonly Tree[];
  readonly params: Omit<GbdtParams, 'threads'>;
  /** Rounds kept (the best validation round under early stopping). */
  readonly rounds: number;
  readonly digest: string;
}

export function sealModel(body: Omit<GbdtModelFile, 'digest'>): GbdtModelFile {
  return { ...body, digest: digestOf(body) };
}

export function modelIntact(m: GbdtModelFile): boolean {
  const { digest, ...body } = m;
  return digestOf(body) === digest;
}

/** Flattened trees per model object (a model file is immutable once sealed). */
const forests = new WeakMap<GbdtModelFile, FlatForest>();

export function forestOf(model: GbdtModelFile): FlatForest {
  let forest = forests.get(model);
  if (!forest) {
    forest = flattenTrees(model.trees, model.featureNames.length, outputsPerRow(model.objective, model.numClass));
    forests.set(model, forest);
  }
  return forest;
}

/** Raw scores (outputs per row) for a row-major matrix x of raw feature values (NaN: missing). */
export function predictRaw(model: GbdtModelFile, x: Float64Array, rows: number): Float64Array {
  const F = model.featureNames.length;
  if (x.length !== rows * F) throw new UserError(`expected ${rows} × ${F} feature values, got ${x.length}`, 'predict');
  const k = outputsPerRow(model.objective, model.numClass);
  const out = new Float64Array(rows * k);
  for (let r = 0; r < rows; r++) for (let c = 0; c < k; c++) out[r * k + c] = model.baseScore[c]!;
  addForestScores(forestOf(model), x, rows, out);
  return out;
}

/** Predictions: values (regression), P(y = 1) (binary) or numClass probabilities per row. */
export function predict(model: GbdtModelFile, x: Float64Array, rows: number): Float64Array {
  const k = outputsPerRow(model.objective, model.numClass);
  return transform(model.objective, predictRaw(model, x, rows), k);
}

export const modelPath = (dataRoot: string, name: string): string => join(dataRoot, 'models', `${name}.gbdt.json`);

export function saveModel(dataRoot: string, model: GbdtModelFile): string {
  const path = modelPath(dataRoot, model.name);
  mkdirSync(join(dataRoot, 'models'), { recursive: true });
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(model)}\n`);
  renameSync(tmp, path);
  return path;
}

export function parseModel(text: string, where: string): GbdtModelFile {
  let m: GbdtModelFile;
  try { m = JSON.parse(text) as GbdtModelFile; } catch (err) { throw new UserError(`not a JSON model file (${(err as Error).message})`, where); }
  if (m?.format !== 'edgelab-gbdt') throw new UserError('not a boosted-tree model file (format edgelab-gbdt)', where);
  if (!modelIntact(m)) throw new UserError('the model file does not match its digest (edited or truncated): refit it', where);
  return m;
}

export function loadModel(dataRoot: string, name: string): GbdtModelFile {
  const path = modelPath(dataRoot, name);
  if (!existsSync(path)) throw new UserError(`no boosted-tree model '${name}' (fit --model gbdt --out ${name})`, 'model');
  return parseModel(readFileSync(path, 'utf8'), path);
}
