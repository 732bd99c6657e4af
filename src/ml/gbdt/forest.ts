/**
 * Fast prediction (docs/ml.md "Speed"): a fitted model's trees flattened once into typed arrays,
 * then evaluated over blocks of rows. The JSON model keeps one object of number[] per tree
 * (readable, digest-stable); walking it node by node is a chain of dependent loads and a
 * hard-to-predict branch per node, so one row's walk cannot overlap the next one's.
 *
 * Here each tree of depth d ≤ MAX_DENSE_DEPTH is stored as a complete binary tree in level order
 * (node i has children 2i + 1 and 2i + 2; 2^d − 1 split nodes, then 2^d leaves): a leaf above the
 * last level becomes "always left" splits (threshold +∞, missing left) down to level d, carrying
 * its value. Every row then takes exactly d steps. Rows are taken BLOCK_ROWS at a time and copied
 * column-major into a small buffer (feature f of row j at f · BLOCK_ROWS + j), and the rows of a
 * block step one level at a time: for each level, every row's next node is computed from
 * independent loads, without a branch, so the processor overlaps many rows (the layout of
 * treelite's and XGBoost's batched predictors). A split stores its feature's column offset
 * (f · BLOCK_ROWS) and each row keeps its absolute split index, so a step is three loads, a compare
 * and an add; blocks without NaN skip the missing-value test. Deeper trees (leaf-wise growth
 * without a depth cap) keep the node-by-node walk.
 *
 * Predictions are bit-for-bit those of the plain walk: the same comparisons (x ≤ threshold left,
 * NaN by the learned direction), and each row's sum taken in tree order. Rows are independent, so
 * a range of rows can be scored anywhere (predict-pool.ts splits rows over worker threads).
 */
import type { Tree } from './tree.js';

export const BLOCK_ROWS = 128;
/** Deeper trees than this are walked node by node (2^d slots per tree would be too many). */
const MAX_DENSE_DEPTH = 12;

export interface FlatForest {
  readonly features: number;
  /** Raw scores per row; tree t adds to output t % outputs. */
  readonly outputs: number;
  readonly trees: number;
  /** Per tree: depth d and the offset of its 2^d − 1 split slots and of its 2^d leaf slots. */
  readonly depth: Int32Array;
  readonly splitOffset: Int32Array;
  readonly leafOffset: Int32Array;
  /** Per split slot: the feature's offset in a column-major block, feature · BLOCK_ROWS. */
  readonly column: Int32Array;
  readonly threshold: Float64Array;
  /** 1 where NaN goes right. */
  readonly missingRight: Uint8Array;
  readonly leafValue: Float64Array;
  /** Trees deeper than MAX_DENSE_DEPTH, by index (walked node by node). */
  readonly deep: ReadonlyMap<number, Tree>;
}

function depthOf(tree: Tree, n = 0): number {
  return tree.feature[n]! < 0 ? 0 : 1 + Math.max(depthOf(tree, tree.left[n]!), depthOf(tree, tree.right[n]!));
}

export function flattenTrees(trees: readonly Tree[], features: number, outputs: number): FlatForest {
  const depth = Int32Array.from(trees, (t) => depthOf(t));
  const splitOffset = new Int32Array(trees.length), leafOffset = new Int32Array(trees.length);
  let splits = 0, leaves = 0;
  depth.forEach((d, t) => {
    splitOffset[t] = splits; leafOffset[t] = leaves;
    if (d <= MAX_DENSE_DEPTH) { splits += (1 << d) - 1; leaves += 1 << d; }
  });
  const column = new Int32Array(splits), threshold = new Float64Array(splits), missingRight = new Uint8Array(splits);
  const leafValue = new Float64Array(leaves);
  const deep = new Map<number, Tree>();
  trees.forEach((tree, t) => {
    const d = depth[t]!;
    if (d > MAX_DENSE_DEPTH) { deep.set(t, tree); return; }
    const inner = (1 << d) - 1;
    const place = (n: number, slot: number, level: number): void => {
      if (level === d) { leafValue[leafOffset[t]! + slot - inner] = tree.value[n]!; return; }
      const at = splitOffset[t]! + slot;
      if (tree.feature[n]! < 0) {
        // A leaf above the last level: an always-left split (x ≤ +∞, NaN left) repeating the leaf.
        column[at] = 0; threshold[at] = Infinity; missingRight[at] = 0;
        place(n, 2 * slot + 1, level + 1); place(n, 2 * slot + 2, level + 1);
        return;
      }
      column[at] = tree.feature[n]! * BLOCK_ROWS; threshold[at] = tree.threshold[n]!; missingRight[at] = tree.missingLeft[n]! ? 0 : 1;
      place(tree.left[n]!, 2 * slot + 1, level + 1); place(tree.right[n]!, 2 * slot + 2, level + 1);
    };
    place(0, 0, 0);
  });
  return { features, outputs, trees: trees.length, depth, splitOffset, leafOffset, column, threshold, missingRight, leafValue, deep };
}

/**
 * Add every tree's leaf value into out (rows × outputs, already holding the base scores) for rows
 * [fromRow, toRow) of the row-major matrix x.
 */
export function addForestScores(forest: FlatForest, x: Float64Array, rows: number, out: Float64Array, fromRow = 0, toRow = rows): void {
  const { features: F, outputs: k, depth, splitOffset, leafOffset, column, threshold, missingRight, leafValue } = forest;
  const block = new Float64Array(F * BLOCK_ROWS);
  const slot = new Int32Array(BLOCK_ROWS);
  for (let from = fromRow; from < toRow; from += BLOCK_ROWS) {
    const count = Math.min(toRow, from + BLOCK_ROWS) - from;
    let hasNaN = false;
    for (let j = 0; j < count; j++) {
      const base = (from + j) * F;
      for (let f = 0; f < F; f++) { const v = x[base + f]!; block[f * BLOCK_ROWS + j] = v; if (v !== v) hasNaN = true; }
    }
    for (let t = 0; t < forest.trees; t++) {
      const c = t % k;
      const deepTree = forest.deep.get(t);
      if (deepTree) { for (let j = 0; j < count; j++) out[(from + j) * k + c]! += walk(deepTree, x, (from + j) * F); continue; }
      const d = depth[t]!, so = splitOffset[t]!;
      // slot[j] is row j's absolute split index; relative child 2i + 1 + right is, absolutely,
      // 2·at − so + 1 + right.
      const step = 1 - so;
      slot.fill(so, 0, count);
      for (let level = 0; level < d; level++) {
        if (hasNaN) {
          for (let j = 0; j < count; j++) {
            const at = slot[j]!;
            const v = block[column[at]! + j]!;
            // Right when v > threshold; NaN fails every comparison and goes right only where the
            // split learned missing-right.
            slot[j] = 2 * at + step + (+(v > threshold[at]!) | (+(v !== v) & missingRight[at]!));
          }
        } else {
          for (let j = 0; j < count; j++) { const at = slot[j]!; slot[j] = 2 * at + step + +(block[column[at]! + j]! > threshold[at]!); }
        }
      }
      const lo = leafOffset[t]! - ((1 << d) - 1) - so;
      if (k === 1) for (let j = 0; j < count; j++) out[from + j]! += leafValue[lo + slot[j]!]!;
      else for (let j = 0; j < count; j++) out[(from + j) * k + c]! += leafValue[lo + slot[j]!]!;
    }
  }
}

/** Node-by-node walk of one row (trees too deep for the dense layout). */
function walk(tree: Tree, x: Float64Array, base: number): number {
  let n = 0;
  while (tree.feature[n]! >= 0) {
    const v = x[base + tree.feature[n]!]!;
    n = (v !== v ? tree.missingLeft[n] === 1 : v <= tree.threshold[n]!) ? tree.left[n]! : tree.right[n]!;
  }
  return tree.value[n]!;
}
