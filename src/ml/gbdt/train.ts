/**
 * Gradient boosting with histogram trees (Friedman 2001; Chen & Guestrin 2016; Ke et al. 2017),
 * written here over typed arrays. Why hand-written: no maintained LightGBM or XGBoost binding
 * installs from the npm registry without compiling or downloading (the `lightgbm` package builds
 * with cmake, onnxruntime-node downloads a binary at install time, ml-xgboost is unmaintained), and
 * the research shell must install from npm alone. docs/ml.md describes the algorithm and options.
 *
 * Each round: gradients and hessians of the loss at the current scores (objective.ts) → seeded row
 * and column draws → one tree per output (tree.ts), leaf values shrunk by the learning rate →
 * scores updated → train and validation losses recorded. With a validation table and
 * `earlyStoppingRounds` > 0, training stops after that many rounds without a strictly lower
 * validation loss and the model keeps the best round's trees (round 0 = the constant model).
 */
import { UserError, throwIfAborted } from '../../core/errors.js';
import { createRng } from '../../core/rng.js';
import type { Piscina } from 'piscina';
import { binMatrix, fitBinEdges, MAX_VALUE_BINS, type BinEdges, type BinnedMatrix } from './binning.js';
import { binOnPool, openTrainingPool, poolHistogramBuilder, sharedArrays } from './pool.js';
import { DEFAULT_GBDT_PARAMS, sealModel, type GbdtModelFile, type GbdtParams } from './model.js';
import { baseScores, checkLabels, gradients, meanLoss, outputsPerRow } from './objective.js';
import { growTree, leafOfBinned, serialHistogramBuilder, TreeWorkspace, type HistogramBuilder, type Tree } from './tree.js';

/** Rows below which training stays in one thread whatever `threads` says. */
const POOL_MIN_ROWS = 100_000;

export interface Table {
  /** Row-major rows × features; NaN = missing. */
  readonly x: Float64Array;
  readonly rows: number;
  readonly features: number;
  readonly y: Float64Array;
}

export interface CurvePoint { readonly round: number; readonly train: number; readonly valid: number }

export interface TrainResult {
  readonly model: GbdtModelFile;
  /** Loss per round; round 0 is the constant model. */
  readonly curve: readonly CurvePoint[];
  readonly bestRound: number;
  readonly stoppedEarly: boolean;
  /** Validation raw scores of the kept model (empty without validation). */
  readonly validScores: Float64Array;
  /** Missing (NaN) training cells per feature: routed by each split's learned default direction. */
  readonly missing: Float64Array;
}

export interface TrainHooks {
  onRound?(p: CurvePoint, rounds: number): void;
  signal?: AbortSignal;
}

export function checkParams(p: GbdtParams): void {
  const bad = (what: string, where: string): never => { throw new UserError(what, where); };
  if (!(Number.isInteger(p.rounds) && p.rounds >= 1)) bad(`rounds must be a whole number ≥ 1, got ${p.rounds}`, '--rounds');
  if (!(p.learningRate > 0 && p.learningRate <= 1)) bad(`learning rate must be in (0, 1], got ${p.learningRate}`, '--learning-rate');
  if (!(Number.isInteger(p.maxDepth) && p.maxDepth >= 0 && p.maxDepth <= 30)) bad(`depth must be 0..30 (0: no cap), got ${p.maxDepth}`, '--depth');
  if (!(Number.isInteger(p.maxLeaves) && p.maxLeaves >= 0)) bad(`leaves must be a whole number ≥ 0 (0: no cap), got ${p.maxLeaves}`, '--leaves');
  if (p.maxDepth === 0 && p.maxLeaves === 0) bad('with no depth cap, set --leaves (e.g. 31)', '--depth');
  if (!(p.lambda >= 0)) bad(`lambda must be ≥ 0, got ${p.lambda}`, '--lambda');
  if (!(p.gamma >= 0)) bad(`gamma must be ≥ 0, got ${p.gamma}`, '--gamma');
  if (!(p.subsample > 0 && p.subsample <= 1)) bad(`subsample must be in (0, 1], got ${p.subsample}`, '--subsample');
  if (!(p.colsample > 0 && p.colsample <= 1)) bad(`colsample must be in (0, 1], got ${p.colsample}`, '--colsample');
  if (!(p.minSamplesLeaf >= 1)) bad(`min samples per leaf must be ≥ 1, got ${p.minSamplesLeaf}`, '--min-leaf');
  if (!(p.minChildWeight >= 0)) bad(`min child weight must be ≥ 0, got ${p.minChildWeight}`, '--min-child-weight');
  if (!(p.maxBin >= 2 && p.maxBin <= MAX_VALUE_BINS)) bad(`max bins must be 2..${MAX_VALUE_BINS}, got ${p.maxBin}`, '--max-bin');
}

export async function trainGbdt(name: string, featureNames: readonly string[], train: Table, valid: Table | null, params: Partial<GbdtParams>, hooks: TrainHooks = {}): Promise<TrainResult> {
  const p: GbdtParams = { ...DEFAULT_GBDT_PARAMS, ...params };
  checkParams(p);
  const F = train.features;
  if (featureNames.length !== F) throw new UserError(`${featureNames.length} feature names for ${F} features`, 'features');
  if (train.rows < 2) throw new UserError(`${train.rows} training rows: need at least 2`, 'fit');
  const numClass = checkLabels(p.objective, train.y, 'training label');
  if (valid) {
    if (valid.features !== F) throw new UserError(`validation has ${valid.features} features, training ${F}`, 'validation');
    if (valid.rows === 0) throw new UserError('the validation table has no rows', 'validation');
    checkLabels(p.objective, valid.y, 'validation label', true);
    if (p.objective === 'multiclass') for (const v of valid.y) if (v >= numClass) throw new UserError(`validation label ${v} is a class the training rows never have (0..${numClass - 1})`, 'validation label');
  }
  // Large tables with threads > 1: cut points, bins, histograms, partitions and score updates on a
  // worker pool (pool.ts), destroyed below whatever happens.
  const pool = p.threads > 1 && train.rows >= POOL_MIN_ROWS ? await openTrainingPool(p.threads) : null;
  try {
    const { edges, binned } = pool ? await binOnPool(pool, p.threads, train.x, train.rows, F, p.maxBin) : binSerially(train, p.maxBin);
    return await boost(name, featureNames, train, valid, p, numClass, edges, binned, pool, hooks);
  } finally {
    await pool?.destroy();
  }
}

function binSerially(train: Table, maxBin: number): { edges: BinEdges; binned: BinnedMatrix } {
  const edges = fitBinEdges(train.x, train.rows, train.features, maxBin);
  return { edges, binned: binMatrix(edges, train.x, train.rows, train.features) };
}

/** The boosting rounds on the binned training table (trainGbdt has checked the inputs). */
async function boost(
  name: string, featureNames: readonly string[], train: Table, valid: Table | null, p: GbdtParams, numClass: number,
  edges: BinEdges, binned: BinnedMatrix, pool: Piscina | null, hooks: TrainHooks,
): Promise<TrainResult> {
  const F = train.features;
  const k = outputsPerRow(p.objective, numClass);
  const valueBins = Int32Array.from(edges.upper, (u) => u.length);
  const validBinned = valid ? binMatrix(edges, valid.x, valid.rows, F) : null;
  const base = baseScores(p.objective, train.y, numClass);
  const prob = new Float64Array(p.objective === 'multiclass' ? train.rows * k : 0);
  const validScores = new Float64Array(valid ? valid.rows * k : 0);
  for (let r = 0; valid && r < valid.rows; r++) for (let c = 0; c < k; c++) validScores[r * k + c] = base[c]!;
  const bestValid = new Float64Array(validScores);
  // On the pool, gradients, row order and scores live in shared memory.
  const sharedBuffers = pool ? sharedArrays(binned, k, train.y, p.objective === 'multiclass') : null;
  const scores = sharedBuffers?.scores ?? new Float64Array(train.rows * k);
  const gh = sharedBuffers?.gh ?? new Float64Array(2 * train.rows);
  const rowIndex = sharedBuffers?.rowIndex ?? new Int32Array(train.rows);
  for (let r = 0; r < train.rows; r++) for (let c = 0; c < k; c++) scores[r * k + c] = base[c]!;
  const active = new Int32Array(F);
  const featureOrder = Int32Array.from({ length: F }, (_, f) => f);
  const ws = new TreeWorkspace(F);
  // Squared error's hessian is 1 on every row (objective.ts), so histograms take Σh from the count.
  const unitHessian = p.objective === 'regression';
  const builder: HistogramBuilder & { close?(): Promise<void> } = pool && sharedBuffers ? poolHistogramBuilder(pool, sharedBuffers, F, p.threads, unitHessian, leafCapacity(p, train.rows)) : serialHistogramBuilder(binned.words, binned.columns, F, gh, unitHessian);
  const rng = createRng(p.seed, 'gbdt');
  const trees: Tree[] = [];
  const loss = (): CurvePoint => ({ round: trees.length / k, train: meanLoss(p.objective, train.y, scores, k), valid: valid ? meanLoss(p.objective, valid.y, validScores, k) : NaN });
  const curve: CurvePoint[] = [loss()];
  let bestRound = 0, stoppedEarly = false;
  /** Output c's gradients at the current scores into gh, `meanwhile` run on this thread (see HistogramBuilder). */
  const computeGradients = (c: number, meanwhile: () => void = () => {}): void => {
    if (builder.gradients) { builder.gradients(p.objective, k, c, meanwhile); return; }
    gradients(p.objective, train.y, scores, k, c, gh, prob);
    meanwhile();
  };
  // gh already holds output 0's gradients at the current scores (made beside the last round's loss).
  let gradientsReady = false;
  try {
    for (let round = 1; round <= p.rounds; round++) {
      throwIfAborted(hooks.signal);
      const rowCount = drawRows(rowIndex, train.rows, p.subsample, rng);
      const activeCount = drawFeatures(featureOrder, active, F, p.colsample, rng);
      for (let c = 0; c < k; c++) {
        if (c > 0 || !gradientsReady) computeGradients(c);
        const { tree, leaves } = await growTree(valueBins, edges.upper, gh, rowIndex, rowCount, active, activeCount, p, ws, builder);
        trees.push(tree);
        if (rowCount === train.rows) {
          builder.addLeafValues(rowIndex, tree, leaves, scores, k, c);
        } else {
          for (let r = 0; r < train.rows; r++) scores[r * k + c]! += tree.value[leafOfBinned(tree, binned.bins, r * binned.stride)]!;
        }
        if (validBinned) for (let r = 0; r < validBinned.rows; r++) validScores[r * k + c]! += tree.value[leafOfBinned(tree, validBinned.bins, r * validBinned.stride)]!;
      }
      // On the pool, the next round's first gradients are made by the workers while this thread sums
      // the loss (both only read the scores; wasted if training stops here).
      gradientsReady = builder.gradients !== undefined && round < p.rounds;
      const made: { point?: CurvePoint } = {};
      if (gradientsReady) computeGradients(0, () => { made.point = loss(); }); else made.point = loss();
      const point = made.point!;
      curve.push(point);
      hooks.onRound?.(point, p.rounds);
      if (!valid || p.earlyStoppingRounds === 0) { bestRound = round; continue; }
      if (point.valid < curve[bestRound]!.valid) { bestRound = round; bestValid.set(validScores); }
      else if (round - bestRound >= p.earlyStoppingRounds) { stoppedEarly = true; break; }
    }
  } finally {
    await builder.close?.();
  }
  const { threads: _threads, ...saved } = p;
  void _threads;
  const model = sealModel({
    format: 'edgelab-gbdt', version: 1, name, objective: p.objective, numClass: p.objective === 'multiclass' ? numClass : p.objective === 'binary' ? 2 : 1,
    featureNames: [...featureNames], baseScore: base, trees: trees.slice(0, bestRound * k), params: saved, rounds: bestRound,
  });
  return { model, curve, bestRound, stoppedEarly, missing: binned.missing, validScores: valid && p.earlyStoppingRounds > 0 ? bestValid : validScores };
}

/** The most leaves a tree can have: the leaf cap, 2^depth, and the row count, whichever is least. */
const leafCapacity = (p: GbdtParams, rows: number): number => Math.min(rows, p.maxLeaves > 0 ? p.maxLeaves : rows, p.maxDepth > 0 ? 2 ** p.maxDepth : rows);

/** Bernoulli(subsample) row draw into rowIndex (ascending); all rows when subsample = 1. */
function drawRows(rowIndex: Int32Array, rows: number, subsample: number, rng: ReturnType<typeof createRng>): number {
  let m = 0;
  if (subsample >= 1) { for (let r = 0; r < rows; r++) rowIndex[r] = r; return rows; }
  for (let r = 0; r < rows; r++) if (rng.uniform() < subsample) rowIndex[m++] = r;
  if (m === 0) rowIndex[m++] = rng.int(0, rows - 1);
  return m;
}

/** max(1, round(colsample · F)) features by a partial Fisher–Yates shuffle, sorted ascending. */
function drawFeatures(order: Int32Array, active: Int32Array, F: number, colsample: number, rng: ReturnType<typeof createRng>): number {
  const m = Math.max(1, Math.round(colsample * F));
  if (m >= F) { for (let f = 0; f < F; f++) active[f] = f; return F; }
  for (let f = 0; f < F; f++) order[f] = f;
  for (let i = 0; i < m; i++) {
    const j = rng.int(i, F - 1);
    const t = order[i]!; order[i] = order[j]!; order[j] = t;
  }
  active.set(order.subarray(0, m));
  active.subarray(0, m).sort();
  return m;
}
