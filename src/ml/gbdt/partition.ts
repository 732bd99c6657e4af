/**
 * Splitting a node's rows (docs/ml.md "Growth"): the node owns rowIndex[start .. end) in ascending
 * order; after its split the left child's rows come first and the right child's after, each in
 * ascending order (a stable partition), so the children own contiguous ranges in turn. Large nodes
 * are cut into chunks partitioned on different threads (pool.ts) and gathered; the order is the
 * one-thread order, so the model does not depend on the thread count.
 */
import { MISSING_BIN } from './binning.js';

/**
 * Stable partition of the chunk rowIndex[start .. end) on one feature's bins (`columns[base + row]`:
 * the feature-major bin matrix, base = feature · rows): the rows going left are packed at the front
 * of the chunk, in order; the rows going right are written in order to scratch[scratchAt ..).
 * Returns the number of left rows. Missing values follow `missingLeft`. (A branch-free version — each
 * row written to both lists, only one cursor moving — measured 40 % slower: the cursors then depend
 * on every column load, where the branch lets the processor run ahead.)
 */
export function partitionChunk(
  columns: Uint8Array, base: number, rowIndex: Int32Array, start: number, end: number,
  splitBin: number, missingLeft: boolean, scratch: Int32Array, scratchAt: number,
): number {
  let l = start, r = scratchAt;
  for (let i = start; i < end; i++) {
    const row = rowIndex[i]!;
    const b = columns[base + row]!;
    if (b === MISSING_BIN ? missingLeft : b <= splitBin) rowIndex[l++] = row; else scratch[r++] = row;
  }
  return l - start;
}

/**
 * Put chunks partitioned by partitionChunk (chunk c = rowIndex[bounds[c] .. bounds[c + 1]), its left
 * rows at its front, its right rows in scratch from bounds[c]) into one partitioned range: every
 * chunk's left rows in chunk order, then every chunk's right rows. Returns the first right position.
 */
export function gatherChunks(rowIndex: Int32Array, scratch: Int32Array, bounds: Int32Array, leftCounts: Int32Array, chunks: number): number {
  let at = bounds[0]! + leftCounts[0]!;
  for (let c = 1; c < chunks; c++) { rowIndex.copyWithin(at, bounds[c]!, bounds[c]! + leftCounts[c]!); at += leftCounts[c]!; }
  const mid = at;
  for (let c = 0; c < chunks; c++) {
    const from = bounds[c]!, rights = bounds[c + 1]! - from - leftCounts[c]!;
    rowIndex.set(scratch.subarray(from, from + rights), at);
    at += rights;
  }
  return mid;
}
