/**
 * Growing one regression tree on gradient histograms (docs/ml.md "Growth"). Rows live in one index
 * array that is partitioned in place as nodes split (a node owns rowIndex[start .. end)), so no
 * per-node arrays are created. Two growth orders share one loop over candidate nodes:
 *  - depth-wise (XGBoost): expand candidates in the order they were made (level by level);
 *  - leaf-wise (LightGBM): always expand the candidate with the largest gain.
 * Both stop at `maxLeaves` leaves (0: no cap), at `maxDepth` (0: no cap) and when no split has gain > 0.
 * Histograms: only the smaller child's is built; the larger child's is parent − smaller, written
 * over the parent's buffer. Buffers come from a pool that is reused for every tree.
 */
import { MISSING_BIN, rowWords } from './binning.js';
import { accumulateHistogram, clearHistogram, histogramLength, setKnownCounts, SLOT_WIDTH, subtractHistogram, tableBinCounts } from './histogram.js';
import type { ObjectiveName } from './objective.js';
import { partitionChunk } from './partition.js';
import { findBestSplit, leafWeight, newSplitChoice, type SplitChoice, type SplitRules } from './split.js';

export type Growth = 'depthwise' | 'leafwise';

/** A fitted tree as parallel arrays; node 0 is the root, feature −1 marks a leaf. */
export interface Tree {
  readonly feature: number[];
  /** Rows with x ≤ threshold go left (the upper edge of the split bin). */
  readonly threshold: number[];
  readonly bin: number[];
  /** 1 when missing values go left. */
  readonly missingLeft: number[];
  readonly left: number[];
  readonly right: number[];
  /** Leaf value (shrinkage applied); 0 on inner nodes. */
  readonly value: number[];
  /** Split gain on inner nodes (0 on leaves): the gain importance. */
  readonly gain: number[];
  /** Hessian sum of the node's training rows. */
  readonly cover: number[];
}

/** A range of rows, rowIndex[start .. end). */
export interface RowRange { readonly start: number; readonly end: number }

/** A node's split for HistogramBuilder.partition: its rows rowIndex[start .. end), bin ≤ `bin` go left. */
export interface NodeSplit extends RowRange { readonly feature: number; readonly bin: number; readonly missingLeft: boolean }

/**
 * Builds histograms of row ranges and splits nodes' rows (partition.ts: stable, left rows first),
 * several nodes at a time (a depth-wise level: growTree); the worker pool provides a parallel one
 * (pool.ts) that keeps every thread on the batch's work until it is done.
 */
export interface HistogramBuilder {
  /**
   * The histogram of each range into hists[i]; `ready(i)` is called for i = 0, 1, … in order as soon
   * as hists[i] is complete (a parallel builder may still be building later ones meanwhile).
   */
  build(rowIndex: Int32Array, ranges: readonly RowRange[], active: Int32Array, activeCount: number, hists: readonly Float64Array[], ready: (i: number) => void): void;
  /** Split each node's rows; mids[i] := the first right position of splits[i]. */
  partition(rowIndex: Int32Array, splits: readonly NodeSplit[], mids: number[]): void;
  /** scores[row · outputs + output] += the value of the row's leaf, for every row of the tree's leaves (rows of rowIndex). */
  addLeafValues(rowIndex: Int32Array, tree: Tree, leaves: readonly LeafRange[], scores: Float64Array, outputs: number, output: number): void;
  /**
   * Where the builder has its own gradients (the pool: objective.ts gradients of every row of its
   * shared scores into its shared gh, on every thread): output `output`'s, calling `meanwhile` on this
   * thread while the others start.
   */
  gradients?(objective: ObjectiveName, outputs: number, output: number, meanwhile: () => void): void;
}

/**
 * Leaves leafStart/leafEnd/leafValue[from .. to): each of their rows rowIndex[start .. end) gets the
 * leaf's value added to its score (one addition per row, so any cut of the leaves among threads
 * gives the same scores).
 */
export function addLeafValues(
  rowIndex: Int32Array, leafStart: Int32Array, leafEnd: Int32Array, leafValue: Float64Array, from: number, to: number,
  scores: Float64Array, outputs: number, output: number,
): void {
  for (let j = from; j < to; j++) {
    const v = leafValue[j]!, end = leafEnd[j]!;
    for (let i = leafStart[j]!; i < end; i++) scores[rowIndex[i]! * outputs + output]! += v;
  }
}

/** The leaves' row ranges and values into leafStart/leafEnd/leafValue[0 .. leaves.length). */
export function listLeaves(tree: Tree, leaves: readonly LeafRange[], leafStart: Int32Array, leafEnd: Int32Array, leafValue: Float64Array): void {
  for (let j = 0; j < leaves.length; j++) { const leaf = leaves[j]!; leafStart[j] = leaf.start; leafEnd[j] = leaf.end; leafValue[j] = tree.value[leaf.node]!; }
}

/**
 * `unitHessian`: every hessian is exactly 1 (squared error); see accumulateHistogram. A node holding
 * every row of the table then takes its counts from tableBinCounts, computed once. `columns`: the
 * feature-major bin matrix (binning.ts).
 */
export function serialHistogramBuilder(words: Uint32Array, columns: Uint8Array, features: number, gh: Float64Array, unitHessian: boolean): HistogramBuilder {
  const tableRows = words.length / rowWords(features);
  const scratch = new Int32Array(tableRows);
  let leafStart = new Int32Array(0), leafEnd = new Int32Array(0), leafValue = new Float64Array(0);
  let counts: Float64Array | null = null;
  return {
    addLeafValues(rowIndex, tree, leaves, scores, outputs, output) {
      if (leafStart.length < leaves.length) { leafStart = new Int32Array(leaves.length); leafEnd = new Int32Array(leaves.length); leafValue = new Float64Array(leaves.length); }
      listLeaves(tree, leaves, leafStart, leafEnd, leafValue);
      addLeafValues(rowIndex, leafStart, leafEnd, leafValue, 0, leaves.length, scores, outputs, output);
    },
    partition(rowIndex, splits, mids) {
      splits.forEach((s, i) => {
        const left = partitionChunk(columns, s.feature * tableRows, rowIndex, s.start, s.end, s.bin, s.missingLeft, scratch, 0);
        rowIndex.set(scratch.subarray(0, s.end - s.start - left), s.start + left);
        mids[i] = s.start + left;
      });
    },
    build(rowIndex, ranges, active, activeCount, hists, ready) {
      ranges.forEach(({ start, end }, i) => {
        const hist = hists[i]!;
        clearHistogram(hist, active, activeCount);
        const whole = unitHessian && end - start === tableRows;
        accumulateHistogram(words, features, gh, rowIndex, start, end, active, activeCount, hist, unitHessian, whole);
        if (whole) setKnownCounts(hist, counts ??= tableBinCounts(words, features), active, activeCount);
        ready(i);
      });
    },
  };
}

export interface GrowOptions extends SplitRules {
  readonly growth: Growth;
  readonly maxDepth: number;
  readonly maxLeaves: number;
  readonly learningRate: number;
}

/** Histogram buffers reused by every tree of one training. */
export class TreeWorkspace {
  private readonly free: Float64Array[] = [];
  constructor(readonly features: number) {}
  acquire(): Float64Array { return this.free.pop() ?? new Float64Array(histogramLength(this.features)); }
  release(h: Float64Array): void { this.free.push(h); }
}

interface Node {
  id: number; start: number; end: number; depth: number;
  g: number; h: number; count: number;
  hist: Float64Array | null;
  split: SplitChoice;
  order: number;
}

/** Leaf id and row range after growth (rowIndex[start .. end) sit in that leaf). */
export interface LeafRange { readonly node: number; readonly start: number; readonly end: number }

/**
 * Nodes split together at most: a depth-wise level is split in batches of this many (in order), each
 * batch's partitions and then its histograms given to the builder at once (pool.ts: per-thread
 * partial histograms for each build of a batch).
 */
export const MAX_BATCH_NODES = 32;

/** A split node's children and which of them gets its histogram built (the other: parent − built). */
interface Expansion { readonly left: Node; readonly right: Node; readonly small: Node | null; readonly large: Node | null; readonly parentHist: Float64Array }

/**
 * Grows one tree. The candidates are split in batches — depth-wise: the next candidates in order
 * (a level at a time, at most MAX_BATCH_NODES); leaf-wise: the one with the largest gain — and every
 * node of a batch is handled as if alone, in order (its children numbered, its smaller child's
 * histogram built, the larger one's subtracted, both searched for a split), so the tree is the one
 * grown node by node.
 */
export async function growTree(
  valueBins: Int32Array, upper: readonly Float64Array[],
  gh: Float64Array, rowIndex: Int32Array, rowCount: number, active: Int32Array, activeCount: number,
  o: GrowOptions, ws: TreeWorkspace, builder: HistogramBuilder,
): Promise<{ tree: Tree; leaves: LeafRange[] }> {
  const tree: Tree = { feature: [], threshold: [], bin: [], missingLeft: [], left: [], right: [], value: [], gain: [], cover: [] };
  const addNode = (): number => {
    tree.feature.push(-1); tree.threshold.push(0); tree.bin.push(0); tree.missingLeft.push(0);
    tree.left.push(-1); tree.right.push(-1); tree.value.push(0); tree.gain.push(0); tree.cover.push(0);
    return tree.feature.length - 1;
  };
  let order = 0;
  const canSplit = (depth: number, count: number): boolean => (o.maxDepth === 0 || depth < o.maxDepth) && count >= 2 * Math.max(1, o.minSamplesLeaf);
  const rootHist = ws.acquire();
  builder.build(rowIndex, [{ start: 0, end: rowCount }], active, activeCount, [rootHist], () => {});
  let g = 0, h = 0;
  const hessians = gh.length >> 1;
  for (let i = 0; i < rowCount; i++) { const row = rowIndex[i]!; g += gh[row]!; h += gh[hessians + row]!; }
  const root: Node = { id: addNode(), start: 0, end: rowCount, depth: 0, g, h, count: rowCount, hist: rootHist, split: newSplitChoice(), order: order++ };
  const candidates: Node[] = [];
  const leaves: Node[] = [];
  const evaluate = (node: Node): void => {
    tree.cover[node.id] = node.h;
    if (node.hist && canSplit(node.depth, node.count)) findBestSplit(node.hist, active, activeCount, valueBins, node.g, node.h, node.count, o, node.split);
    if (node.split.gain > 0) candidates.push(node);
    else { leaves.push(node); if (node.hist) { ws.release(node.hist); node.hist = null; } }
  };
  /** The node's split recorded, its children made, the smaller one's histogram buffer taken. */
  const expand = (node: Node, mid: number): Expansion => {
    const s = node.split;
    tree.feature[node.id] = s.feature; tree.bin[node.id] = s.bin; tree.threshold[node.id] = upper[s.feature]![s.bin]!;
    tree.missingLeft[node.id] = s.missingLeft ? 1 : 0; tree.gain[node.id] = s.gain;
    const left: Node = { id: addNode(), start: node.start, end: mid, depth: node.depth + 1, g: s.leftG, h: s.leftH, count: s.leftCount, hist: null, split: newSplitChoice(), order: order++ };
    const right: Node = { id: addNode(), start: mid, end: node.end, depth: node.depth + 1, g: node.g - s.leftG, h: node.h - s.leftH, count: node.count - s.leftCount, hist: null, split: newSplitChoice(), order: order++ };
    tree.left[node.id] = left.id; tree.right[node.id] = right.id;
    const parentHist = node.hist!;
    const missingRows = parentHist[((s.feature << 8) | MISSING_BIN) * SLOT_WIDTH + 2]!;
    if (missingRows === 0) tree.missingLeft[node.id] = left.count >= right.count ? 1 : 0;
    node.hist = null;
    if (!canSplit(left.depth, left.count) && !canSplit(right.depth, right.count)) return { left, right, small: null, large: null, parentHist };
    const [small, large] = left.count <= right.count ? [left, right] : [right, left];
    small.hist = ws.acquire();
    return { left, right, small, large, parentHist };
  };
  /** After the smaller child's histogram: the larger's as parent − smaller (over the parent's buffer), both children searched. */
  const finish = (e: Expansion): void => {
    if (e.small && e.large) {
      subtractHistogram(e.parentHist, e.small.hist!, e.parentHist, active, activeCount);
      e.large.hist = e.parentHist;
    } else {
      ws.release(e.parentHist);
    }
    evaluate(e.left);
    evaluate(e.right);
  };
  evaluate(root);
  let leafCount = 1;
  const mids: number[] = [];
  while (candidates.length > 0 && (o.maxLeaves === 0 || leafCount < o.maxLeaves)) {
    const room = o.maxLeaves === 0 ? MAX_BATCH_NODES : Math.min(MAX_BATCH_NODES, o.maxLeaves - leafCount);
    const batch = o.growth === 'leafwise' ? candidates.splice(pickLargestGain(candidates), 1) : candidates.splice(0, room);
    builder.partition(rowIndex, batch.map((n) => ({ start: n.start, end: n.end, feature: n.split.feature, bin: n.split.bin, missingLeft: n.split.missingLeft })), mids);
    const expansions = batch.map((node, j) => expand(node, mids[j]!));
    leafCount += batch.length;
    const built = expansions.filter((e) => e.small !== null);
    let done = 0;
    /** Finish the batch's nodes, in order, up to and including expansion `e`. */
    const finishTo = (e: Expansion | undefined): void => {
      const to = e ? expansions.indexOf(e, done) + 1 : expansions.length;
      for (; done < to; done++) finish(expansions[done]!);
    };
    builder.build(rowIndex, built.map((e) => e.small!), active, activeCount, built.map((e) => e.small!.hist!), (i) => finishTo(built[i]));
    finishTo(undefined);
  }
  for (const node of candidates) { leaves.push(node); if (node.hist) ws.release(node.hist); node.hist = null; }
  for (const leaf of leaves) tree.value[leaf.id] = leafWeight(leaf.g, leaf.h, o.lambda) * o.learningRate;
  return { tree, leaves: leaves.map((l) => ({ node: l.id, start: l.start, end: l.end })) };
}

/** The candidate with the largest gain (the first of equals). */
function pickLargestGain(candidates: readonly Node[]): number {
  let best = 0;
  for (let k = 1; k < candidates.length; k++) if (candidates[k]!.split.gain > candidates[best]!.split.gain) best = k;
  return best;
}

/** Leaf reached by a binned row. */
export function leafOfBinned(tree: Tree, bins: Uint8Array, base: number): number {
  let n = 0;
  while (tree.feature[n]! >= 0) {
    const b = bins[base + tree.feature[n]!]!;
    n = (b === MISSING_BIN ? tree.missingLeft[n] === 1 : b <= tree.bin[n]!) ? tree.left[n]! : tree.right[n]!;
  }
  return n;
}
