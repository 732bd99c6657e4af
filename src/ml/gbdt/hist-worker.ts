/**
 * Worker of the training pool (a piscina thread). For one training it runs one long task: it serves
 * the shared work queue (task-queue.ts) — chunks of nodes' histograms and partitions and runs of
 * leaves whose values are added to the scores, claimed from the same queue as the training thread —
 * until the training ends. Every array is a view of a SharedArrayBuffer set up by pool.ts, so a task
 * costs no message and no allocation. Before that, the same workers fit cut points for a range of
 * columns and bin a range of rows (BinningTask: binning.ts fitColumnEdges, binRows), one piscina task each.
 */
import { binRows, fitColumnEdges } from './binning.js';
import { serveTasks, taskViews, type QueueBuffers } from './task-queue.js';

/** The serving task: the training's shared buffers (task-queue.ts). */
export type HistServeTask = QueueBuffers;

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

/** Serve the training's work queue until it stops; returns the number of tasks this worker ran. */
const serve = (t: HistServeTask): number => serveTasks(taskViews(t));
