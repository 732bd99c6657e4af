/**
 * Parallel histogram building on a piscina worker pool, for large tables (docs/ml.md "Speed"). The
 * bin matrix, gradients, row index and one partial histogram per thread live in SharedArrayBuffers;
 * a node's rows are cut into one chunk per thread; this thread fills chunk 0 itself while
 * `threads − 1` pool workers fill the others (hist-worker.ts), so training uses exactly `threads`
 * threads (what XGBoost's nthread means), and the partials are summed here. Workers load compiled JavaScript, so the pool
 * needs `npm run build` (the serial builder in tree.ts needs nothing).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { UserError } from '../../core/errors.js';
import { accumulateHistogram, addHistogram, clearHistogram, histogramLength, setKnownCounts, tableBinCounts } from './histogram.js';
import type { HistogramBuilder } from './tree.js';
import { rowWords, type BinnedMatrix } from './binning.js';

/** Rows per node below which a node's histogram is built in this thread (messages would cost more). */
const PARALLEL_MIN_ROWS = 4_096;

/** A compiled worker of this folder (dist/src/ml/gbdt/NAME.js); one line saying to build when it is missing. */
export function compiledWorkerFile(name: string, what: string): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const file = here.includes('/dist/') ? resolve(here, `${name}.js`) : resolve(here, `../../../dist/src/ml/gbdt/${name}.js`);
  if (!existsSync(file)) throw new UserError(`the ${what} worker is not built (${file}): run npm run build, or use one thread`, '--threads');
  return file;
}

export const histWorkerFile = (): string => compiledWorkerFile('hist-worker', 'histogram');

const shared = <T extends Float64Array | Int32Array | Uint32Array>(make: (b: SharedArrayBuffer) => T, bytes: number): T => make(new SharedArrayBuffer(bytes));

/** Shared copies of the training arrays (`words`: the row-major bins, binning.ts); train.ts writes gradients and row order into these views. */
export interface SharedTrainingArrays { readonly words: Uint32Array; readonly gh: Float64Array; readonly rowIndex: Int32Array }

export function sharedArrays(binned: BinnedMatrix): SharedTrainingArrays {
  const words = shared((b) => new Uint32Array(b), binned.words.byteLength);
  words.set(binned.words);
  return { words, gh: shared((b) => new Float64Array(b), binned.rows * 2 * 8), rowIndex: shared((b) => new Int32Array(b), binned.rows * 4) };
}

export async function poolHistogramBuilder(arrays: SharedTrainingArrays, features: number, threads: number, unitHessian = false): Promise<HistogramBuilder & { close(): Promise<void> }> {
  const { Piscina } = await import('piscina');
  const workers = threads - 1;
  const pool = new Piscina({ filename: histWorkerFile(), minThreads: workers, maxThreads: workers });
  const len = histogramLength(features);
  const partials = Array.from({ length: workers }, () => new SharedArrayBuffer(len * 8));
  const partialViews = partials.map((b) => new Float64Array(b));
  const active = new SharedArrayBuffer(features * 4);
  const activeView = new Int32Array(active);
  const tasks: Promise<unknown>[] = [];
  const tableRows = arrays.words.length / rowWords(features);
  let counts: Float64Array | null = null;
  return {
    async build(rowIndex, start, end, act, activeCount, hist) {
      const rows = end - start;
      // Every row of the table (unit hessians): Σg only, counts from the table (histogram.ts).
      const whole = unitHessian && rows === tableRows;
      const chunks = rows < PARALLEL_MIN_ROWS ? 1 : threads;
      const chunkEnd = (c: number): number => start + Math.floor(((c + 1) * rows) / chunks);
      if (chunks > 1) activeView.set(act.subarray(0, activeCount));
      tasks.length = 0;
      for (let c = 1; c < chunks; c++) {
        tasks.push(pool.run({ bins: arrays.words.buffer, gh: arrays.gh.buffer, rowIndex: rowIndex.buffer, active, partial: partials[c - 1]!, features, start: chunkEnd(c - 1), end: chunkEnd(c), activeCount, unitHessian, countsKnown: whole }));
      }
      clearHistogram(hist, act, activeCount);
      accumulateHistogram(arrays.words, features, arrays.gh, rowIndex, start, chunkEnd(0), act, activeCount, hist, unitHessian, whole);
      if (chunks > 1) {
        await Promise.all(tasks);
        for (let c = 1; c < chunks; c++) addHistogram(hist, partialViews[c - 1]!, act, activeCount);
      }
      if (whole) setKnownCounts(hist, counts ??= tableBinCounts(arrays.words, features), act, activeCount);
    },
    close: () => pool.destroy(),
  };
}
