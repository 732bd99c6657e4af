/**
 * The training's worker pool (docs/ml.md "Speed"): cut points and bins of a shared table on every
 * thread (binOnPool), then histograms, row partitions and score updates through a shared work queue
 * (task-queue.ts). The bin matrix (both layouts), gradients, row index, the partition's scratch, the
 * scores and the partial histograms live in SharedArrayBuffers. Each worker runs one long task for
 * the whole training, claiming tasks from the queue alongside this thread, so training uses exactly
 * `threads` threads (what XGBoost's nthread means) and a worker with no core free (a loaded
 * machine) leaves its tasks to this one. Workers load compiled JavaScript, so the pool needs
 * `npm run build` (the serial builder in tree.ts needs nothing).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { UserError } from '../../core/errors.js';
import { addHistogram, compactSums, copyHistogram, histogramLength, setKnownCounts, sumCompact, tableBinCounts } from './histogram.js';
import { listLeaves, MAX_BATCH_NODES, type HistogramBuilder } from './tree.js';
import { binMatrix, binRows, fitBinEdges, fitColumnEdges, rowWords, type BinEdges, type BinnedMatrix } from './binning.js';
import type { Piscina } from 'piscina';
import type { BinningTask, HistServeTask } from './hist-worker.js';
import { gatherChunks } from './partition.js';
import { OBJECTIVES } from './objective.js';
import {
  ACTIVE_COUNT, BIN, claimTask, GRADIENTS, OBJECTIVE, CONTROL_SLOTS, COUNTS_KNOWN, END, END_AT, FEATURE, HISTOGRAM, DONE, isDone, KIND, LEFT_COUNT, MISSING_LEFT, OUTPUT, OUTPUTS,
  PARTIAL, PARTITION, POSTED, runTask, SCORES, START, STOP, TASK_SLOTS, taskViews, TICK, type QueueBuffers,
} from './task-queue.js';

/** Rows per node below which a node's histogram, or its partition, is one task (not one chunk per thread). */
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
  /** A copy of the labels, and the softmax scratch (rows × outputs with `softmax`, else empty). */
  readonly y: Float64Array; readonly prob: Float64Array;
}

export function sharedArrays(binned: BinnedMatrix, outputs: number, y: Float64Array, softmax: boolean): SharedTrainingArrays {
  // Bins made on the pool (binOnPool) are shared already.
  const isShared = binned.words.buffer instanceof SharedArrayBuffer && binned.columns.buffer instanceof SharedArrayBuffer;
  const words = isShared ? binned.words : shared((b) => new Uint32Array(b), binned.words.byteLength);
  if (!isShared) words.set(binned.words);
  const columns = isShared ? binned.columns : new Uint8Array(new SharedArrayBuffer(binned.columns.byteLength));
  if (!isShared) columns.set(binned.columns);
  const rows = binned.rows;
  return { words, columns, gh: shared((b) => new Float64Array(b), rows * 2 * 8), rowIndex: shared((b) => new Int32Array(b), rows * 4), scratch: shared((b) => new Int32Array(b), rows * 4),
    scores: shared((b) => new Float64Array(b), rows * outputs * 8),
    y: copyShared(y), prob: shared((b) => new Float64Array(b), softmax ? rows * outputs * 8 : 0),
  };
}

function copyShared(a: Float64Array): Float64Array {
  const out = new Float64Array(new SharedArrayBuffer(a.byteLength));
  out.set(a);
  return out;
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

/** Rows per partition task (a node's rows are cut into tasks of about this many; 3 ns a row: ≈ 100 µs). */
const PARTITION_TASK_ROWS = 32_768;
/** Rows per score-update task (whole leaves, at least this many rows each but the last), and per gradient task. */
const SCORE_TASK_ROWS = 65_536;

/**
 * `leafCapacity`: the most leaves a tree can have (the shared leaf lists' length). close() ends the
 * workers' tasks; the pool's opener destroys it.
 *
 * Each builder call posts one batch of tasks to the queue (task-queue.ts) and runs tasks here too
 * until none is left, finishing the batch's nodes in order as their tasks complete (while the
 * workers go on with later nodes' tasks): a partition's chunks are gathered (partition.ts), a
 * histogram's partials summed in chunk order (compact ones straight into the node's histogram). A
 * histogram is cut into one chunk per thread (or one chunk below PARALLEL_MIN_ROWS rows), so its sums
 * are those of the node-at-a-time pool; a partition into chunks of PARTITION_TASK_ROWS, whose gather
 * gives the one-thread order whatever the cut.
 */
export function poolHistogramBuilder(pool: Piscina, arrays: SharedTrainingArrays, features: number, threads: number, unitHessian: boolean, leafCapacity: number): HistogramBuilder & { close(): Promise<void> } {
  const len = histogramLength(features);
  const tableRows = arrays.words.length / rowWords(features);
  // The most tasks one batch can have: a partition of MAX_BATCH_NODES nodes (≤ n / PARTITION_TASK_ROWS + 1 + threads chunks each).
  const ring = Math.ceil(tableRows / PARTITION_TASK_ROWS) + (MAX_BATCH_NODES + 1) * (threads + 1) + 2;
  const buffers: QueueBuffers = {
    control: new SharedArrayBuffer(CONTROL_SLOTS * 4), tasks: new SharedArrayBuffer(ring * TASK_SLOTS * 4),
    bins: arrays.words.buffer as SharedArrayBuffer, columns: arrays.columns.buffer as SharedArrayBuffer, gh: arrays.gh.buffer as SharedArrayBuffer,
    rowIndex: arrays.rowIndex.buffer as SharedArrayBuffer, scratch: arrays.scratch.buffer as SharedArrayBuffer, active: new SharedArrayBuffer(features * 4),
    partials: new SharedArrayBuffer(MAX_BATCH_NODES * threads * len * 8),
    scores: arrays.scores.buffer as SharedArrayBuffer, leafStart: new SharedArrayBuffer(leafCapacity * 4), leafEnd: new SharedArrayBuffer(leafCapacity * 4), leafValue: new SharedArrayBuffer(leafCapacity * 8),
    y: arrays.y.buffer as SharedArrayBuffer, prob: arrays.prob.buffer as SharedArrayBuffer, rows: tableRows, features, unitHessian,
  };
  const q = taskViews(buffers);
  const { control, tasks } = q;
  // No task is done yet (a record's DONE holds the number of the task last done in it; task 0 included).
  for (let t = DONE; t < tasks.length; t += TASK_SLOTS) tasks[t] = -1;
  // One long task per worker, serving the queue for the whole training (hist-worker.ts).
  const serving = Array.from({ length: threads - 1 }, () => pool.run(buffers satisfies HistServeTask));
  let counts: Float64Array | null = null;
  let written = 0;
  /** Write the record of task number `written` (the fields after END_AT by slot: FEATURE or PARTIAL, BIN or COUNTS_KNOWN, MISSING_LEFT). */
  const write = (kind: number, start: number, end: number, a = 0, b = 0, c = 0): void => {
    const t = (written++ % ring) * TASK_SLOTS;
    tasks[t + KIND] = kind; tasks[t + START] = start; tasks[t + END_AT] = end; tasks[t + FEATURE] = a; tasks[t + BIN] = b; tasks[t + MISSING_LEFT] = c;
  };
  const record = (g: number): number => (g % ring) * TASK_SLOTS;
  /**
   * Post the tasks written since `first` and run them with the workers; `groupEnds[k]` is one past
   * the last task of group k (a node), and `finish(k)` is called for k = 0, 1, … as soon as group k's
   * tasks are all done.
   */
  const runBatch = (first: number, groupEnds: readonly number[], finish: (k: number) => void): void => {
    if (groupEnds.length === 0) return;
    post();
    drive(first, groupEnds, finish);
  };
  /** Make the tasks written so far claimable and wake the workers. */
  const post = (): void => {
    Atomics.store(control, END, written);
    Atomics.add(control, POSTED, 1);
    Atomics.notify(control, POSTED);
  };
  /** Run posted tasks here until groups (see runBatch) are all finished. */
  const drive = (first: number, groupEnds: readonly number[], finish: (k: number) => void): void => {
    let k = 0, doneTo = first;
    while (k < groupEnds.length) {
      const g = claimTask(control);
      if (g >= 0) runTask(q, g);
      for (;;) {
        while (doneTo < written && isDone(q, doneTo)) doneTo++;
        if (k === groupEnds.length || doneTo < groupEnds[k]!) break;
        finish(k++);
      }
      if (g < 0 && k < groupEnds.length) waitForTask(doneTo);
    }
  };
  /** Block until task g is done (a worker has it; it takes at most milliseconds). */
  const waitForTask = (g: number): void => {
    for (let tick = Atomics.load(control, TICK); !isDone(q, g); tick = Atomics.load(control, TICK)) Atomics.wait(control, TICK, tick);
  };
  const bounds = new Int32Array(ring + 1), leftCounts = new Int32Array(ring);
  const parts: Float64Array[] = [];
  return {
    gradients(objective, outputs, output, meanwhile) {
      control[OBJECTIVE] = OBJECTIVES.indexOf(objective); control[OUTPUTS] = outputs; control[OUTPUT] = output;
      const first = written;
      for (let from = 0; from < tableRows; from += SCORE_TASK_ROWS) write(GRADIENTS, from, Math.min(tableRows, from + SCORE_TASK_ROWS));
      post();
      meanwhile();
      drive(first, [written], () => {});
    },
    addLeafValues(rowIndex, tree, leaves, scores, outputs, output) {
      if (rowIndex.buffer !== arrays.rowIndex.buffer || scores.buffer !== arrays.scores.buffer) throw new Error('the pool adds leaf values over the shared row index and scores only');
      listLeaves(tree, leaves, q.leafStart, q.leafEnd, q.leafValue);
      control[OUTPUTS] = outputs; control[OUTPUT] = output;
      const first = written;
      for (let j = 0, from = 0, rows = 0; j < leaves.length; j++) {
        rows += q.leafEnd[j]! - q.leafStart[j]!;
        if (rows >= SCORE_TASK_ROWS || j === leaves.length - 1) { write(SCORES, from, j + 1); from = j + 1; rows = 0; }
      }
      runBatch(first, [written], () => {});
    },
    partition(rowIndex, splits, mids) {
      if (rowIndex.buffer !== arrays.rowIndex.buffer) throw new Error('the pool partitions the shared row index only');
      const first = written, groupEnds: number[] = [];
      for (const s of splits) {
        const n = s.end - s.start, chunks = n < PARALLEL_MIN_ROWS ? 1 : Math.max(threads, Math.ceil(n / PARTITION_TASK_ROWS));
        for (let c = 0; c < chunks; c++) write(PARTITION, s.start + Math.floor((c * n) / chunks), s.start + Math.floor(((c + 1) * n) / chunks), s.feature, s.bin, s.missingLeft ? 1 : 0);
        groupEnds.push(written);
      }
      runBatch(first, groupEnds, (k) => {
        const from = k === 0 ? first : groupEnds[k - 1]!, chunks = groupEnds[k]! - from;
        for (let c = 0; c < chunks; c++) {
          const t = record(from + c);
          bounds[c] = tasks[t + START]!; bounds[c + 1] = tasks[t + END_AT]!; leftCounts[c] = tasks[t + LEFT_COUNT]!;
        }
        mids[k] = gatherChunks(rowIndex, arrays.scratch, bounds, leftCounts, chunks);
      });
    },
    build(rowIndex, ranges, act, activeCount, hists, ready) {
      if (rowIndex.buffer !== arrays.rowIndex.buffer) throw new Error('the pool builds histograms of the shared row index only');
      if (ranges.length > MAX_BATCH_NODES) throw new Error(`at most ${MAX_BATCH_NODES} histograms a batch`);
      q.active.set(act.subarray(0, activeCount));
      control[ACTIVE_COUNT] = activeCount;
      // Partials in the compact layout are added up straight into the node's histogram (histogram.ts sumCompact).
      const compact = compactSums(unitHessian, activeCount, features);
      const first = written, groupEnds: number[] = [];
      let partial = 0;
      for (const { start, end } of ranges) {
        // Every row of the table (unit hessians): Σg only, counts from the table (histogram.ts).
        const n = end - start, chunks = n < PARALLEL_MIN_ROWS ? 1 : threads, whole = unitHessian && n === tableRows ? 1 : 0;
        for (let c = 0; c < chunks; c++) write(HISTOGRAM, start + Math.floor((c * n) / chunks), start + Math.floor(((c + 1) * n) / chunks), partial++, whole);
        groupEnds.push(written);
      }
      runBatch(first, groupEnds, (k) => {
        const from = k === 0 ? first : groupEnds[k - 1]!, hist = hists[k]!;
        const chunks = groupEnds[k]! - from, countsKnown = tasks[record(from) + COUNTS_KNOWN] === 1;
        for (let c = 0; c < chunks; c++) parts[c] = q.partials[tasks[record(from + c) + PARTIAL]!]!;
        if (compact) {
          sumCompact(hist, parts, chunks, features, countsKnown);
        } else {
          copyHistogram(hist, parts[0]!, act, activeCount);
          for (let c = 1; c < chunks; c++) addHistogram(hist, parts[c]!, act, activeCount);
        }
        if (countsKnown) setKnownCounts(hist, counts ??= tableBinCounts(arrays.words, features), act, activeCount);
        ready(k);
      });
    },
    async close() {
      Atomics.store(control, STOP, 1);
      Atomics.add(control, POSTED, 1);
      Atomics.notify(control, POSTED);
      await Promise.all(serving);
    },
  };
}
