/**
 * Parallel histogram building and row partitioning on a piscina worker pool, for large tables
 * (docs/ml.md "Speed"). The bin matrix (both layouts), gradients, row index, the partition's scratch
 * and one partial histogram per thread live in SharedArrayBuffers; a node's rows are cut into one
 * chunk per thread; this thread does chunk 0 itself while `threads − 1` pool workers do the others
 * (hist-worker.ts), so training uses exactly `threads` threads (what XGBoost's nthread means). A
 * histogram's partials are summed here in chunk order; a split's chunks, each partitioned stably,
 * are gathered here into the one-thread order (partition.ts).
 * Each worker runs one long task for the whole training and is told of each node through a shared
 * control block (Atomics.wait / notify), not a message; a chunk whose worker has not claimed it by
 * the time this thread finishes chunk 0 is added by this thread (on a loaded machine the worker may
 * have no core). Workers load compiled JavaScript, so the pool needs `npm run build` (the serial
 * builder in tree.ts needs nothing).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { UserError } from '../../core/errors.js';
import { accumulateHistogram, addHistogram, clearHistogram, histogramLength, setKnownCounts, tableBinCounts } from './histogram.js';
import { addLeafValues, listLeaves, type HistogramBuilder } from './tree.js';
import { binMatrix, binRows, fitBinEdges, fitColumnEdges, rowWords, type BinEdges, type BinnedMatrix } from './binning.js';
import type { Piscina } from 'piscina';
import { ACTIVE_COUNT, CLAIMED, CONTROL_SLOTS, COUNTS_KNOWN, DONE, END, FEATURE, HISTOGRAM, KIND, LEFT_COUNT, MISSING_LEFT, OUTPUT, OUTPUTS, PARTITION, SCORES, SEQ, SPLIT_BIN, START, STOP, type BinningTask, type HistServeTask } from './hist-worker.js';
import { gatherChunks, partitionChunk } from './partition.js';

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

/**
 * Shared copies of the training arrays (`words`: the row-major bins, `columns` the feature-major
 * ones, binning.ts); train.ts writes gradients and row order into these views.
 */
export interface SharedTrainingArrays {
  readonly words: Uint32Array; readonly columns: Uint8Array; readonly gh: Float64Array; readonly rowIndex: Int32Array; readonly scratch: Int32Array;
  /** Raw scores, rows × outputs. */
  readonly scores: Float64Array;
}

export function sharedArrays(binned: BinnedMatrix, outputs: number): SharedTrainingArrays {
  // Bins made on the pool (binOnPool) are shared already.
  const isShared = binned.words.buffer instanceof SharedArrayBuffer && binned.columns.buffer instanceof SharedArrayBuffer;
  const words = isShared ? binned.words : shared((b) => new Uint32Array(b), binned.words.byteLength);
  if (!isShared) words.set(binned.words);
  const columns = isShared ? binned.columns : new Uint8Array(new SharedArrayBuffer(binned.columns.byteLength));
  if (!isShared) columns.set(binned.columns);
  const rows = binned.rows;
  return { words, columns, gh: shared((b) => new Float64Array(b), rows * 2 * 8), rowIndex: shared((b) => new Int32Array(b), rows * 4), scratch: shared((b) => new Int32Array(b), rows * 4),
    scores: shared((b) => new Float64Array(b), rows * outputs * 8),
  };
}

/** Claim a chunk for this thread (see hist-worker.ts): true when the worker had not taken it. */
const claimHere = (control: Int32Array, seq: number): boolean => Atomics.compareExchange(control, CLAIMED, seq - 1, seq) === seq - 1;

/** Wait (blocking this thread: a chunk takes milliseconds) until the worker has finished chunk `seq`. */
function awaitDone(control: Int32Array, seq: number): void {
  for (let done = Atomics.load(control, DONE); done !== seq; done = Atomics.load(control, DONE)) Atomics.wait(control, DONE, done);
}

/** A pool of `threads` − 1 histogram workers (hist-worker.ts) for one training. */
export async function openTrainingPool(threads: number): Promise<Piscina> {
  const { Piscina } = await import('piscina');
  return new Piscina({ filename: histWorkerFile(), minThreads: threads - 1, maxThreads: threads - 1 });
}

/** The range of `part` when `count` items are cut into `parts` nearly equal ranges. */
const share = (count: number, parts: number, part: number): [number, number] => [Math.floor((part * count) / parts), Math.floor(((part + 1) * count) / parts)];

/**
 * fitBinEdges and binMatrix (binning.ts) into shared arrays. When the table `x` is itself in a
 * SharedArrayBuffer, on this thread and the pool's workers: the cut points of each thread's range of
 * columns, then the bins of each thread's range of rows (≈ 2.5 s of CPU for 1M × 30 on one thread).
 * Every column's edges and every cell's bin come from the same code on the same values as on one
 * thread, so the result is the same to the bit (test/ml/pool.test.ts). A table in ordinary memory
 * is binned on this thread: copying it to shared memory costs about what the workers would save
 * (240 MB for 1M × 30: ≈ 1 s of CPU, mostly the kernel zeroing fresh pages, measured here).
 */
export async function binOnPool(pool: Piscina, threads: number, x: Float64Array, rows: number, features: number, maxBin: number): Promise<{ edges: BinEdges; binned: BinnedMatrix }> {
  if (!(x.buffer instanceof SharedArrayBuffer)) {
    const serial = fitBinEdges(x, rows, features, maxBin);
    return { edges: serial, binned: binMatrix(serial, x, rows, features, true) };
  }
  const workers = threads - 1;
  // Wait until the workers have started, so each task below is handed over as it is posted (while
  // this thread does its own share) instead of when this thread next yields.
  await Promise.all(Array.from({ length: workers }, () => pool.run({ kind: 'ready' } satisfies BinningTask)));
  /** Part w + 1 of a task on each worker while this thread does part 0. */
  const together = async <T>(task: (part: number) => BinningTask, mine: () => void): Promise<T[]> => {
    const tasks = Array.from({ length: workers }, (_, w) => pool.run(task(w + 1)) as Promise<T>);
    try { mine(); } catch (e) { await Promise.allSettled(tasks); throw e; }
    return Promise.all(tasks);
  };
  const upper: Float64Array[] = [];
  const theirs = await together<Float64Array[]>((part) => ({ kind: 'edges', x, rows, features, maxBin, first: share(features, threads, part)[0], last: share(features, threads, part)[1] }),
    () => upper.push(...fitColumnEdges(x, rows, features, maxBin, ...share(features, threads, 0))));
  for (const edges of theirs) upper.push(...edges);
  const edges: BinEdges = { upper };
  const stride = 4 * rowWords(features);
  const bins = new Uint8Array(new SharedArrayBuffer(rows * stride)), columns = new Uint8Array(new SharedArrayBuffer(rows * features));
  const missing = new Float64Array(features);
  const counts = await together<Float64Array>((part) => ({ kind: 'bins', x, rows, features, upper, from: share(rows, threads, part)[0], to: share(rows, threads, part)[1], bins: bins.buffer as SharedArrayBuffer, columns: columns.buffer as SharedArrayBuffer }),
    () => binRows(edges, x, rows, features, ...share(rows, threads, 0), bins, columns, missing));
  for (const c of counts) c.forEach((n, f) => { missing[f]! += n; });
  return { edges, binned: { rows, features, stride, bins, words: new Uint32Array(bins.buffer), columns, missing } };
}

/** `leafCapacity`: the most leaves a tree can have (the shared leaf lists' length). close() ends the workers' tasks; the pool's opener destroys it. */
export function poolHistogramBuilder(pool: Piscina, arrays: SharedTrainingArrays, features: number, threads: number, unitHessian: boolean, leafCapacity: number): HistogramBuilder & { close(): Promise<void> } {
  const workers = threads - 1;
  const len = histogramLength(features);
  const partials = Array.from({ length: workers }, () => new SharedArrayBuffer(len * 8));
  const partialViews = partials.map((b) => new Float64Array(b));
  const active = new SharedArrayBuffer(features * 4);
  const activeView = new Int32Array(active);
  const control = new SharedArrayBuffer(workers * CONTROL_SLOTS * 4);
  const controls = Array.from({ length: workers }, (_, w) => new Int32Array(control, w * CONTROL_SLOTS * 4, CONTROL_SLOTS));
  const leafStart = shared((b) => new Int32Array(b), leafCapacity * 4), leafEnd = shared((b) => new Int32Array(b), leafCapacity * 4);
  const leafValue = shared((b) => new Float64Array(b), leafCapacity * 8);
  // One long task per worker, serving every node of the training (hist-worker.ts).
  const tableRows = arrays.words.length / rowWords(features);
  const serving = controls.map((_, w) => pool.run({
    bins: arrays.words.buffer as SharedArrayBuffer, gh: arrays.gh.buffer as SharedArrayBuffer, rowIndex: arrays.rowIndex.buffer as SharedArrayBuffer, active, partial: partials[w]!, control, block: w, features, unitHessian,
    columns: arrays.columns.buffer as SharedArrayBuffer, scratch: arrays.scratch.buffer as SharedArrayBuffer, rows: tableRows,
    scores: arrays.scores.buffer as SharedArrayBuffer, leafStart: leafStart.buffer as SharedArrayBuffer, leafEnd: leafEnd.buffer as SharedArrayBuffer, leafValue: leafValue.buffer as SharedArrayBuffer,
  } satisfies HistServeTask));
  let counts: Float64Array | null = null;
  let seq = 0;
  const bounds = new Int32Array(threads + 1), leftCounts = new Int32Array(threads);
  /** Post the job whose fields are already written to each worker: chunk c (c ≥ 1) of the node's rows to worker c − 1. */
  const post = (chunks: number): void => {
    seq++;
    for (let c = 1; c < chunks; c++) {
      const ctl = controls[c - 1]!;
      ctl[START] = bounds[c]!; ctl[END] = bounds[c + 1]!;
      Atomics.store(ctl, SEQ, seq);
      Atomics.notify(ctl, SEQ);
    }
  };
  const cut = (start: number, end: number): number => {
    const chunks = end - start < PARALLEL_MIN_ROWS ? 1 : threads;
    for (let c = 0; c <= chunks; c++) bounds[c] = start + Math.floor((c * (end - start)) / chunks);
    return chunks;
  };
  return {
    addLeafValues(rowIndex, tree, leaves, scores, outputs, output) {
      if (rowIndex.buffer !== arrays.rowIndex.buffer || scores.buffer !== arrays.scores.buffer) throw new Error('the pool adds leaf values over the shared row index and scores only');
      listLeaves(tree, leaves, leafStart, leafEnd, leafValue);
      // Chunks of whole leaves, cut where the rows before reach c / threads of the tree's rows.
      let rows = 0;
      for (const leaf of leaves) rows += leaf.end - leaf.start;
      const chunks = rows < PARALLEL_MIN_ROWS ? 1 : threads;
      bounds[0] = 0;
      for (let c = 1, j = 0, before = 0; c <= chunks; c++) {
        const target = c === chunks ? rows + 1 : Math.floor((c * rows) / chunks);
        while (j < leaves.length && before < target) { before += leafEnd[j]! - leafStart[j]!; j++; }
        bounds[c] = j;
      }
      if (chunks > 1) {
        for (const ctl of controls) { ctl[KIND] = SCORES; ctl[OUTPUTS] = outputs; ctl[OUTPUT] = output; }
        post(chunks);
      }
      addLeafValues(rowIndex, leafStart, leafEnd, leafValue, bounds[0]!, bounds[1]!, scores, outputs, output);
      for (let c = 1; c < chunks; c++) {
        const ctl = controls[c - 1]!;
        if (claimHere(ctl, seq)) addLeafValues(rowIndex, leafStart, leafEnd, leafValue, bounds[c]!, bounds[c + 1]!, scores, outputs, output);
        else awaitDone(ctl, seq);
      }
    },
    partition(feature, rowIndex, start, end, splitBin, missingLeft) {
      const chunks = cut(start, end), base = feature * tableRows;
      if (chunks > 1) {
        for (const ctl of controls) { ctl[KIND] = PARTITION; ctl[FEATURE] = feature; ctl[SPLIT_BIN] = splitBin; ctl[MISSING_LEFT] = missingLeft ? 1 : 0; }
        post(chunks);
      }
      leftCounts[0] = partitionChunk(arrays.columns, base, rowIndex, start, bounds[1]!, splitBin, missingLeft, arrays.scratch, start);
      // A chunk its worker has not started yet is partitioned here instead (the same result whoever does it).
      for (let c = 1; c < chunks; c++) {
        const ctl = controls[c - 1]!;
        if (claimHere(ctl, seq)) leftCounts[c] = partitionChunk(arrays.columns, base, rowIndex, bounds[c]!, bounds[c + 1]!, splitBin, missingLeft, arrays.scratch, bounds[c]!);
        else { awaitDone(ctl, seq); leftCounts[c] = ctl[LEFT_COUNT]!; }
      }
      return gatherChunks(rowIndex, arrays.scratch, bounds, leftCounts, chunks);
    },
    build(rowIndex, start, end, act, activeCount, hist) {
      if (rowIndex.buffer !== arrays.rowIndex.buffer) throw new Error('the pool builds histograms of the shared row index only');
      // Every row of the table (unit hessians): Σg only, counts from the table (histogram.ts).
      const whole = unitHessian && end - start === tableRows;
      const chunks = cut(start, end);
      if (chunks > 1) {
        activeView.set(act.subarray(0, activeCount));
        for (const ctl of controls) { ctl[KIND] = HISTOGRAM; ctl[ACTIVE_COUNT] = activeCount; ctl[COUNTS_KNOWN] = whole ? 1 : 0; }
        post(chunks);
      }
      clearHistogram(hist, act, activeCount);
      accumulateHistogram(arrays.words, features, arrays.gh, rowIndex, start, bounds[1]!, act, activeCount, hist, unitHessian, whole);
      // A chunk its worker has not started yet (no core free for it) is added here instead, into
      // the same partial: the same sums in the same order whoever adds it.
      for (let c = 1; c < chunks; c++) {
        const ctl = controls[c - 1]!, partial = partialViews[c - 1]!;
        if (claimHere(ctl, seq)) {
          clearHistogram(partial, act, activeCount);
          accumulateHistogram(arrays.words, features, arrays.gh, rowIndex, bounds[c]!, bounds[c + 1]!, act, activeCount, partial, unitHessian, whole);
        } else {
          awaitDone(ctl, seq);
        }
        addHistogram(hist, partial, act, activeCount);
      }
      if (whole) setKnownCounts(hist, counts ??= tableBinCounts(arrays.words, features), act, activeCount);
    },
    async close() {
      for (const ctl of controls) { Atomics.store(ctl, STOP, 1); Atomics.add(ctl, SEQ, 1); Atomics.notify(ctl, SEQ); }
      await Promise.all(serving);
    },
  };
}
