/**
 * Gradient histograms, the hot loop of histogram boosting: for the rows of one node, sum the
 * gradient, the hessian and the row count into (feature, bin) slots. Layout: one Float64Array of
 * features × BIN_SLOTS × 4 numbers, slot (f, b) at ((f · 256) + b) · 4 holding [Σg, Σh, count, unused]:
 * a 32-byte slot never straddles a 64-byte cache line and its offset is a shift (three numbers per
 * slot measured 1.5× slower per update on 1M × 30).
 *
 * Nothing here allocates: callers pass preallocated histograms and scratch (tree.ts keeps a pool and
 * reuses it for every node of every tree). The subtraction trick (Ke et al. 2017, LightGBM §2) builds
 * only the smaller child's histogram and gets the larger one as parent − smaller.
 */
import { BIN_SLOTS } from './binning.js';

export const SLOT_WIDTH = 4;

export const histogramLength = (features: number): number => features * BIN_SLOTS * SLOT_WIDTH;

/**
 * Add rows rowIndex[start .. end) into `hist` (which must be zero on the active features' slots).
 * gh holds (g, h) interleaved per row; bins is row-major with `features` bytes per row.
 */
export function accumulateHistogram(
  bins: Uint8Array, features: number, gh: Float64Array, rowIndex: Int32Array, start: number, end: number,
  active: Int32Array, activeCount: number, hist: Float64Array,
): void {
  if (activeCount === features) {
    for (let i = start; i < end; i++) {
      const row = rowIndex[i]!;
      const g = gh[2 * row]!, h = gh[2 * row + 1]!;
      const base = row * features;
      for (let f = 0; f < features; f++) {
        const k = ((f << 8) | bins[base + f]!) << 2;
        hist[k]! += g; hist[k + 1]! += h; hist[k + 2]! += 1;
      }
    }
    return;
  }
  for (let i = start; i < end; i++) {
    const row = rowIndex[i]!;
    const g = gh[2 * row]!, h = gh[2 * row + 1]!;
    const base = row * features;
    for (let a = 0; a < activeCount; a++) {
      const f = active[a]!;
      const k = ((f << 8) | bins[base + f]!) << 2;
      hist[k]! += g; hist[k + 1]! += h; hist[k + 2]! += 1;
    }
  }
}

/** Zero the slots of the active features. */
export function clearHistogram(hist: Float64Array, active: Int32Array, activeCount: number): void {
  const width = BIN_SLOTS * SLOT_WIDTH;
  for (let a = 0; a < activeCount; a++) hist.fill(0, active[a]! * width, (active[a]! + 1) * width);
}

/** out = parent − child on the active features' slots (out may alias parent). */
export function subtractHistogram(parent: Float64Array, child: Float64Array, out: Float64Array, active: Int32Array, activeCount: number): void {
  const width = BIN_SLOTS * SLOT_WIDTH;
  for (let a = 0; a < activeCount; a++) {
    const from = active[a]! * width, to = from + width;
    for (let k = from; k < to; k++) out[k] = parent[k]! - child[k]!;
  }
}

/** target += source over the active features' slots (reducing per-thread partial histograms). */
export function addHistogram(target: Float64Array, source: Float64Array, active: Int32Array, activeCount: number): void {
  const width = BIN_SLOTS * SLOT_WIDTH;
  for (let a = 0; a < activeCount; a++) {
    const from = active[a]! * width, to = from + width;
    for (let k = from; k < to; k++) target[k]! += source[k]!;
  }
}
