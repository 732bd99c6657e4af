/**
 * Prediction on several threads (docs/ml.md "Speed"): the rows are cut into one range per thread;
 * this thread scores the first range and `threads − 1` piscina workers (predict-worker.ts) score
 * the others, reading the flattened forest, the features and writing the scores through
 * SharedArrayBuffers. Every row is scored on its own in tree order, so the result is bit for bit
 * predictRaw's whatever the thread count (test/ml/forest.test.ts). Workers load compiled
 * JavaScript (`npm run build`); one thread needs nothing.
 */
import { UserError } from '../../core/errors.js';
import { outputsPerRow } from './objective.js';
import { forestOf, type GbdtModelFile } from './model.js';
import { addForestScores, type FlatForest } from './forest.js';
import { compiledWorkerFile } from './pool.js';
import type { PredictTask } from './predict-worker.js';

/** Rows per thread below which the workers are not worth their messages. */
const MIN_ROWS_PER_THREAD = 4_096;

type SharedForest = Omit<PredictTask, 'x' | 'out' | 'rows' | 'fromRow' | 'toRow'>;

function toShared<T extends Int32Array | Float64Array | Uint8Array>(a: T): SharedArrayBuffer {
  const buffer = new SharedArrayBuffer(Math.max(a.byteLength, 8));
  new Uint8Array(buffer).set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return buffer;
}

function shareForest(f: FlatForest): SharedForest {
  return {
    features: f.features, outputs: f.outputs, trees: f.trees,
    depth: toShared(f.depth), splitOffset: toShared(f.splitOffset), leafOffset: toShared(f.leafOffset),
    column: toShared(f.column), threshold: toShared(f.threshold), missingRight: toShared(f.missingRight), leafValue: toShared(f.leafValue),
    deep: [...f.deep.entries()],
  };
}

export interface PredictPool {
  /** Raw scores, as predictRaw. */
  predictRaw(model: GbdtModelFile, x: Float64Array, rows: number): Promise<Float64Array>;
  close(): Promise<void>;
}

export async function openPredictPool(threads: number): Promise<PredictPool> {
  if (!(Number.isInteger(threads) && threads >= 1)) throw new UserError(`threads must be a whole number ≥ 1, got ${threads}`, '--threads');
  const { Piscina } = await import('piscina');
  const pool = threads > 1 ? new Piscina({ filename: compiledWorkerFile('predict-worker', 'prediction'), minThreads: threads - 1, maxThreads: threads - 1 }) : null;
  const shared = new WeakMap<FlatForest, SharedForest>();
  return {
    async predictRaw(model, x, rows) {
      const F = model.featureNames.length;
      if (x.length !== rows * F) throw new UserError(`expected ${rows} × ${F} feature values, got ${x.length}`, 'predict');
      const k = outputsPerRow(model.objective, model.numClass);
      const forest = forestOf(model);
      const chunks = pool ? Math.max(1, Math.min(threads, Math.floor(rows / MIN_ROWS_PER_THREAD))) : 1;
      const outBuffer = new SharedArrayBuffer(chunks > 1 ? rows * k * 8 : 0);
      const out = chunks > 1 ? new Float64Array(outBuffer) : new Float64Array(rows * k);
      for (let r = 0; r < rows; r++) for (let c = 0; c < k; c++) out[r * k + c] = model.baseScore[c]!;
      if (chunks === 1) { addForestScores(forest, x, rows, out); return out; }
      let sf = shared.get(forest);
      if (!sf) { sf = shareForest(forest); shared.set(forest, sf); }
      const xBuffer = new SharedArrayBuffer(x.byteLength);
      const xShared = new Float64Array(xBuffer);
      xShared.set(x);
      const edge = (c: number): number => Math.floor((c * rows) / chunks);
      const tasks: Promise<unknown>[] = [];
      for (let c = 1; c < chunks; c++) tasks.push(pool!.run({ ...sf, x: xBuffer, out: outBuffer, rows, fromRow: edge(c), toRow: edge(c + 1) } satisfies PredictTask));
      addForestScores(forest, xShared, rows, out, 0, edge(1));
      await Promise.all(tasks);
      return Float64Array.from(out);
    },
    close: async () => { await pool?.destroy(); },
  };
}
