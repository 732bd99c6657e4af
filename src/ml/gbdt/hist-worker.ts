/**
 * Histogram worker (a piscina thread) serving one training: it waits on a shared control block
 * (pool.ts) for the next job — a node's histogram, the split of a node's rows, or a tree's leaf
 * values added to the scores — claims its chunk of the rows unless the training thread already took
 * it, does the chunk (adds it into its own partial histogram, partitions it: partition.ts, or adds
 * its leaves' values) and signals it is done. Every array is a
 * view of a SharedArrayBuffer set up by pool.ts, so a job costs no message and no allocation.
 * Before that, the same workers fit cut points for a range of columns and bin a range of rows
 * (BinningTask: binning.ts fitColumnEdges, binRows), one piscina task each.
 */
import { binRows, fitColumnEdges } from './binning.js';
import { accumulateHistogram, clearHistogram } from './histogram.js';
import { partitionChunk } from './partition.js';
import { addLeafValues } from './tree.js';

/**
 * Control block slots (Int32, one block per worker); pool.ts writes a job's fields, then SEQ. KIND
 * is HISTOGRAM (ACTIVE_COUNT, COUNTS_KNOWN), PARTITION (FEATURE, SPLIT_BIN, MISSING_LEFT; the
 * worker writes LEFT_COUNT) or SCORES (a tree's leaf values added to the scores of their rows:
 * leaves START .. END of the shared leaf lists, OUTPUTS, OUTPUT).
 */
export const SEQ = 0, CLAIMED = 1, DONE = 2, START = 3, END = 4, ACTIVE_COUNT = 5, COUNTS_KNOWN = 6, STOP = 7;
export const KIND = 8, FEATURE = 9, SPLIT_BIN = 10, MISSING_LEFT = 11, LEFT_COUNT = 12, OUTPUTS = 13, OUTPUT = 14;
export const CONTROL_SLOTS = 16;
export const HISTOGRAM = 0, PARTITION = 1, SCORES = 2;

/** Loads of SEQ a worker makes before it sleeps (≈ 20–50 µs). */
const SPIN_LOADS = 20_000;

export interface HistServeTask {
  readonly bins: SharedArrayBuffer; readonly gh: SharedArrayBuffer; readonly rowIndex: SharedArrayBuffer;
  readonly active: SharedArrayBuffer; readonly partial: SharedArrayBuffer; readonly control: SharedArrayBuffer;
  /** The feature-major bin matrix (features × rows bytes) and the partition's scratch (rows Int32). */
  readonly columns: SharedArrayBuffer; readonly scratch: SharedArrayBuffer; readonly rows: number;
  /** Raw scores and the current tree's leaf lists (tree.ts listLeaves). */
  readonly scores: SharedArrayBuffer; readonly leafStart: SharedArrayBuffer; readonly leafEnd: SharedArrayBuffer; readonly leafValue: SharedArrayBuffer;
  /** This worker's control block: Int32 slots [block · CONTROL_SLOTS, (block + 1) · CONTROL_SLOTS). */
  readonly block: number;
  readonly features: number; readonly unitHessian: boolean;
}

/**
 * Binning work for a worker (pool.ts binOnPool): `x` is the table (rows × features doubles), a view of
 * a SharedArrayBuffer (posted as a view, so its offset into the buffer comes along).
 */
export type BinningTask =
  | { readonly kind: 'ready' }
  | { readonly kind: 'edges'; readonly x: Float64Array; readonly rows: number; readonly features: number; readonly maxBin: number; readonly first: number; readonly last: number }
  | {
    readonly kind: 'bins'; readonly x: Float64Array; readonly rows: number; readonly features: number; readonly upper: Float64Array[];
    readonly from: number; readonly to: number; readonly bins: SharedArrayBuffer; readonly columns: SharedArrayBuffer;
  };

/** A piscina task: binning work, or serving the training's nodes (serve). */
export default function run(t: BinningTask | HistServeTask): number | Float64Array | Float64Array[] {
  if (!('kind' in t)) return serve(t);
  if (t.kind === 'ready') return 0;
  const x = t.x;
  if (t.kind === 'edges') return fitColumnEdges(x, t.rows, t.features, t.maxBin, t.first, t.last);
  const missing = new Float64Array(t.features);
  binRows({ upper: t.upper }, x, t.rows, t.features, t.from, t.to, new Uint8Array(t.bins), new Uint8Array(t.columns), missing);
  return missing;
}

/**
 * A node is claimed by compare-and-swap of CLAIMED from seq − 1 to seq, by this worker or by the
 * training thread, so exactly one of them adds the chunk; a worker that wakes late for an old node
 * fails the swap and waits again. Returns the number of chunks this worker did.
 */
function serve(t: HistServeTask): number {
  const control = new Int32Array(t.control, t.block * CONTROL_SLOTS * 4, CONTROL_SLOTS);
  const words = new Uint32Array(t.bins), gh = new Float64Array(t.gh), rowIndex = new Int32Array(t.rowIndex);
  const active = new Int32Array(t.active), hist = new Float64Array(t.partial);
  const columns = new Uint8Array(t.columns), scratch = new Int32Array(t.scratch);
  const scores = new Float64Array(t.scores), leafStart = new Int32Array(t.leafStart), leafEnd = new Int32Array(t.leafEnd), leafValue = new Float64Array(t.leafValue);
  let seen = Atomics.load(control, SEQ), chunks = 0;
  for (;;) {
    // STOP before waiting: a task that starts after close() (piscina may start it late) would
    // otherwise wait for a SEQ change that already happened.
    if (Atomics.load(control, STOP) === 1) return chunks;
    // The next job usually follows within tens of microseconds (a split's partition, then the smaller
    // child's histogram): look for it a while before sleeping, so it starts without a wake-up.
    for (let spin = 0; spin < SPIN_LOADS && Atomics.load(control, SEQ) === seen; spin++);
    Atomics.wait(control, SEQ, seen);
    seen = Atomics.load(control, SEQ);
    if (Atomics.load(control, STOP) === 1) return chunks;
    if (Atomics.compareExchange(control, CLAIMED, seen - 1, seen) !== seen - 1) continue;
    const start = control[START]!, end = control[END]!;
    if (control[KIND] === SCORES) {
      addLeafValues(rowIndex, leafStart, leafEnd, leafValue, start, end, scores, control[OUTPUTS]!, control[OUTPUT]!);
    } else if (control[KIND] === PARTITION) {
      control[LEFT_COUNT] = partitionChunk(columns, control[FEATURE]! * t.rows, rowIndex, start, end, control[SPLIT_BIN]!, control[MISSING_LEFT] === 1, scratch, start);
    } else {
      const activeCount = control[ACTIVE_COUNT]!;
      clearHistogram(hist, active, activeCount);
      accumulateHistogram(words, t.features, gh, rowIndex, start, end, active, activeCount, hist, t.unitHessian, control[COUNTS_KNOWN] === 1);
    }
    chunks++;
    Atomics.store(control, DONE, seen);
    Atomics.notify(control, DONE);
  }
}
