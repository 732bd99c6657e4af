/**
 * The training pool's shared work queue (docs/ml.md "Speed"): the training thread writes a batch of
 * tasks — chunks of nodes' histograms, chunks of nodes' partitions, runs of a tree's leaves whose
 * values are added to the scores, or ranges of rows' gradients — into a ring of shared task records and posts them; every thread,
 * the training thread included, then claims tasks one at a time (compare-and-swap of the next task's
 * number) until none is left. A worker with nothing to claim looks for a new batch a while, then
 * sleeps until the next post (Atomics.wait / notify). Which thread runs a task does not change what
 * it writes: a histogram chunk goes to its own partial histogram, a partition chunk to its own rows
 * and scratch, a run of leaves to its own rows' scores — so the model does not depend on who ran what.
 */
import { accumulateCompact, accumulateHistogram, clearHistogram, compactSums, histogramLength } from './histogram.js';
import { gradients, OBJECTIVES } from './objective.js';
import { partitionChunk } from './partition.js';
import { addLeafValues } from './tree.js';

/**
 * Control slots (Int32): POSTED counts posts (what a sleeping worker waits on); NEXT is the number
 * of the next task to claim and END one past the last posted (task numbers only grow: task g lives
 * in ring slot g mod ring); TICK counts finished tasks (what the training thread waits on); STOP ends
 * the workers; ACTIVE_COUNT (the shared active-feature list's length), OUTPUTS, OUTPUT and OBJECTIVE
 * (an index into objective.ts OBJECTIVES) are the batch's parameters.
 */
export const POSTED = 0, STOP = 1, ACTIVE_COUNT = 2, OUTPUTS = 3, OUTPUT = 4, OBJECTIVE = 5, NEXT = 16, END = 17, TICK = 32;
export const CONTROL_SLOTS = 48;

/**
 * Task record slots (Int32). HISTOGRAM: rows rowIndex[START .. END) into partial histogram PARTIAL
 * (in the compact layout where histogram.ts compactSums holds); COUNTS_KNOWN as in accumulateHistogram. PARTITION: rows START .. END split on FEATURE at BIN
 * (MISSING_LEFT), left rows packed at START, right rows to the scratch at START; the worker writes
 * LEFT_COUNT. SCORES: leaves START .. END of the shared leaf lists. GRADIENTS: rows START .. END's
 * gradients and hessians for output OUTPUT (objective.ts). DONE := the task's number when done.
 */
export const KIND = 0, START = 1, END_AT = 2, FEATURE = 3, PARTIAL = 3, BIN = 4, COUNTS_KNOWN = 4, MISSING_LEFT = 5, LEFT_COUNT = 6, DONE = 7;
export const TASK_SLOTS = 8;
export const HISTOGRAM = 0, PARTITION = 1, SCORES = 2, GRADIENTS = 3;

/** Loads of POSTED a worker makes before it sleeps (≈ 20–50 µs). */
const SPIN_LOADS = 20_000;

/** Every shared array a task reads or writes, as views in the thread that runs it. */
export interface TaskViews {
  readonly control: Int32Array; readonly tasks: Int32Array; readonly ring: number;
  readonly words: Uint32Array; readonly columns: Uint8Array; readonly rows: number; readonly features: number; readonly unitHessian: boolean;
  readonly gh: Float64Array; readonly rowIndex: Int32Array; readonly scratch: Int32Array; readonly active: Int32Array;
  readonly partials: readonly Float64Array[];
  readonly scores: Float64Array; readonly leafStart: Int32Array; readonly leafEnd: Int32Array; readonly leafValue: Float64Array;
  readonly y: Float64Array; readonly prob: Float64Array;
}

/** The queue's shared buffers, as posted to each worker (pool.ts makes them). */
export interface QueueBuffers {
  readonly control: SharedArrayBuffer; readonly tasks: SharedArrayBuffer;
  /** The row-major bins read as words, the feature-major bins (binning.ts), rows × 2 gradients and hessians. */
  readonly bins: SharedArrayBuffer; readonly columns: SharedArrayBuffer; readonly gh: SharedArrayBuffer;
  /** The row order, the partition's scratch (rows Int32 each), the active features (features Int32). */
  readonly rowIndex: SharedArrayBuffer; readonly scratch: SharedArrayBuffer; readonly active: SharedArrayBuffer;
  /** The partial histograms, one after another (histogramLength(features) numbers each). */
  readonly partials: SharedArrayBuffer;
  /** Raw scores and the current tree's leaf lists (tree.ts listLeaves). */
  readonly scores: SharedArrayBuffer; readonly leafStart: SharedArrayBuffer; readonly leafEnd: SharedArrayBuffer; readonly leafValue: SharedArrayBuffer;
  /** The labels and the softmax scratch (objective.ts gradients; rows × outputs, multiclass only). */
  readonly y: SharedArrayBuffer; readonly prob: SharedArrayBuffer;
  readonly rows: number; readonly features: number; readonly unitHessian: boolean;
}

export function taskViews(b: QueueBuffers): TaskViews {
  const len = histogramLength(b.features);
  const tasks = new Int32Array(b.tasks);
  return {
    control: new Int32Array(b.control), tasks, ring: tasks.length / TASK_SLOTS,
    words: new Uint32Array(b.bins), columns: new Uint8Array(b.columns), rows: b.rows, features: b.features, unitHessian: b.unitHessian,
    gh: new Float64Array(b.gh), rowIndex: new Int32Array(b.rowIndex), scratch: new Int32Array(b.scratch), active: new Int32Array(b.active),
    partials: Array.from({ length: b.partials.byteLength / (len * 8) }, (_, i) => new Float64Array(b.partials, i * len * 8, len)),
    scores: new Float64Array(b.scores), leafStart: new Int32Array(b.leafStart), leafEnd: new Int32Array(b.leafEnd), leafValue: new Float64Array(b.leafValue),
    y: new Float64Array(b.y), prob: new Float64Array(b.prob),
  };
}

/** Claim the next posted task: its number, or −1 when every posted task is taken. */
export function claimTask(control: Int32Array): number {
  for (;;) {
    const g = Atomics.load(control, NEXT);
    if (g >= Atomics.load(control, END)) return -1;
    if (Atomics.compareExchange(control, NEXT, g, g + 1) === g) return g;
  }
}

/** Run task g, mark it done and wake a thread waiting for it. */
export function runTask(q: TaskViews, g: number): void {
  const tasks = q.tasks, t = (g % q.ring) * TASK_SLOTS;
  const kind = tasks[t + KIND]!, start = tasks[t + START]!, end = tasks[t + END_AT]!;
  if (kind === HISTOGRAM) {
    const hist = q.partials[tasks[t + PARTIAL]!]!, activeCount = q.control[ACTIVE_COUNT]!, countsKnown = tasks[t + COUNTS_KNOWN] === 1;
    // The compact sums stay compact in the partial (the training thread adds the parts up: pool.ts).
    if (compactSums(q.unitHessian, activeCount, q.features)) {
      accumulateCompact(q.words, q.features, q.gh, q.rowIndex, start, end, countsKnown, hist);
    } else {
      clearHistogram(hist, q.active, activeCount);
      accumulateHistogram(q.words, q.features, q.gh, q.rowIndex, start, end, q.active, activeCount, hist, q.unitHessian, countsKnown);
    }
  } else if (kind === PARTITION) {
    tasks[t + LEFT_COUNT] = partitionChunk(q.columns, tasks[t + FEATURE]! * q.rows, q.rowIndex, start, end, tasks[t + BIN]!, tasks[t + MISSING_LEFT] === 1, q.scratch, start);
  } else if (kind === SCORES) {
    addLeafValues(q.rowIndex, q.leafStart, q.leafEnd, q.leafValue, start, end, q.scores, q.control[OUTPUTS]!, q.control[OUTPUT]!);
  } else {
    gradients(OBJECTIVES[q.control[OBJECTIVE]!]!, q.y, q.scores, q.control[OUTPUTS]!, q.control[OUTPUT]!, q.gh, q.prob, start, end);
  }
  Atomics.store(tasks, t + DONE, g);
  Atomics.add(q.control, TICK, 1);
  Atomics.notify(q.control, TICK);
}

/** Whether task g is done. */
export const isDone = (q: TaskViews, g: number): boolean => Atomics.load(q.tasks, (g % q.ring) * TASK_SLOTS + DONE) === g;

/**
 * A worker's loop: claim and run tasks while there are any; then look for a new post a while, then
 * sleep until one. POSTED is read before claiming, so a post made after the last failed claim changes
 * it and the wait returns at once. Returns the number of tasks this worker ran.
 */
export function serveTasks(q: TaskViews): number {
  let ran = 0;
  for (;;) {
    const posted = Atomics.load(q.control, POSTED);
    if (Atomics.load(q.control, STOP) === 1) return ran;
    for (let g = claimTask(q.control); g >= 0; g = claimTask(q.control)) { runTask(q, g); ran++; }
    for (let spin = 0; spin < SPIN_LOADS && Atomics.load(q.control, POSTED) === posted; spin++);
    Atomics.wait(q.control, POSTED, posted);
  }
}
