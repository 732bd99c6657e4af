/**
 * The flattened predictor (src/ml/gbdt/forest.ts) against an independent node-by-node walk of the
 * JSON trees written here: bit-for-bit equal raw scores on rows with NaN cells, for depth-wise trees
 * (dense layout, shallow leaves padded), leaf-wise trees deeper than the dense cap (node walk), a
 * one-leaf tree, several outputs (multiclass), blocks with and without NaN cells (a block without
 * NaN skips the missing-value test), any row range, and the prediction pool at 1, 2 and 3 threads
 * (needs the build; skipped with a message otherwise).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import { trainGbdt } from '../../src/ml/gbdt/train.js';
import { forestOf, predictRaw, type GbdtModelFile } from '../../src/ml/gbdt/model.js';
import { addForestScores, BLOCK_ROWS } from '../../src/ml/gbdt/forest.js';
import { openPredictPool } from '../../src/ml/gbdt/predict-pool.js';
import type { Tree } from '../../src/ml/gbdt/tree.js';

function plainWalk(model: GbdtModelFile, x: Float64Array, rows: number): Float64Array {
  const F = model.featureNames.length, k = model.objective === 'multiclass' ? model.numClass : 1;
  const out = new Float64Array(rows * k);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < k; c++) out[r * k + c] = model.baseScore[c]!;
    model.trees.forEach((tree: Tree, t) => {
      let n = 0;
      while (tree.feature[n]! >= 0) {
        const v = x[r * F + tree.feature[n]!]!;
        const left = Number.isNaN(v) ? tree.missingLeft[n] === 1 : v <= tree.threshold[n]!;
        n = left ? tree.left[n]! : tree.right[n]!;
      }
      out[r * k + (t % k)]! += tree.value[n]!;
    });
  }
  return out;
}

/** NaN in 10 % of the cells of rows ≥ firstNaNRow (0: every row may have NaN). */
function table(rows: number, seed: number, classes = 0, firstNaNRow = 0) {
  const F = 4, rng = createRng(seed, 'forest');
  const x = new Float64Array(rows * F), y = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    for (let f = 0; f < F; f++) x[r * F + f] = rng.uniform() < 0.1 && r >= firstNaNRow ? NaN : rng.normal();
    const s = (x[r * F]! || 0) * (x[r * F + 1]! || 0) + ((x[r * F + 2]! || 0) > 0.3 ? 1 : 0) + 0.3 * rng.normal();
    y[r] = classes ? Math.min(classes - 1, Math.max(0, Math.floor(s + 1))) : s;
  }
  return { x, rows, features: F, y };
}
const names = ['a', 'b', 'c', 'd'];

describe('flattened prediction equals the plain tree walk bit for bit', () => {
  it('depth-wise trees (padded dense layout), NaN cells included', async () => {
    const { model } = await trainGbdt('d', names, table(3000, 1), null, { rounds: 20, maxDepth: 6, minSamplesLeaf: 40, earlyStoppingRounds: 0 });
    expect(model.trees.some((t) => t.feature.filter((f) => f < 0).length < 64)).toBe(true); // some leaves sit above depth 6
    const test = table(1000, 2);
    expect([...predictRaw(model, test.x, test.rows)]).toEqual([...plainWalk(model, test.x, test.rows)]);
  });

  it('leaf-wise trees deeper than the dense cap, and multiclass outputs', async () => {
    const deep = await trainGbdt('l', names, table(3000, 3), null, { rounds: 5, growth: 'leafwise', maxDepth: 0, maxLeaves: 200, minSamplesLeaf: 2, earlyStoppingRounds: 0 });
    const depthOf = (t: Tree, n = 0): number => (t.feature[n]! < 0 ? 0 : 1 + Math.max(depthOf(t, t.left[n]!), depthOf(t, t.right[n]!)));
    expect(Math.max(...deep.model.trees.map((t) => depthOf(t)))).toBeGreaterThan(12);
    const test = table(800, 4);
    expect([...predictRaw(deep.model, test.x, test.rows)]).toEqual([...plainWalk(deep.model, test.x, test.rows)]);
    const multi = await trainGbdt('m', names, table(2000, 5, 3), null, { objective: 'multiclass', rounds: 6, maxDepth: 3, earlyStoppingRounds: 0 });
    const t3 = table(500, 6, 3);
    expect([...predictRaw(multi.model, t3.x, t3.rows)]).toEqual([...plainWalk(multi.model, t3.x, t3.rows)]);
  });

  it('a one-leaf tree adds its value to every row', async () => {
    const { model } = await trainGbdt('z', names, table(200, 7), null, { rounds: 2, maxDepth: 3, gamma: 1e9, earlyStoppingRounds: 0 });
    expect(model.trees.every((t) => t.feature.length === 1)).toBe(true);
    const test = table(300, 8);
    expect([...predictRaw(model, test.x, test.rows)]).toEqual([...plainWalk(model, test.x, test.rows)]);
  });

  it('blocks without NaN (compare-only steps) and blocks with NaN, over any row range', async () => {
    const { model } = await trainGbdt('n', names, table(3000, 9), null, { rounds: 12, maxDepth: 5, earlyStoppingRounds: 0 });
    expect(model.trees.some((t) => t.missingLeft.some((m, i) => t.feature[i]! >= 0 && m === 1))).toBe(true); // some splits send NaN left
    // The first two blocks have no NaN; later blocks do.
    const test = table(5 * BLOCK_ROWS + 17, 10, 0, 2 * BLOCK_ROWS);
    const expected = plainWalk(model, test.x, test.rows);
    expect([...predictRaw(model, test.x, test.rows)]).toEqual([...expected]);
    // A range starting mid-block scores exactly its rows and leaves the others alone.
    const from = BLOCK_ROWS + 5, to = 4 * BLOCK_ROWS - 3;
    const out = new Float64Array(test.rows).fill(model.baseScore[0]!);
    addForestScores(forestOf(model), test.x, test.rows, out, from, to);
    for (let r = 0; r < test.rows; r++) expect(out[r]).toBe(r >= from && r < to ? expected[r] : model.baseScore[0]);
  });
});

const built = existsSync(resolve(import.meta.dirname, '../../dist/src/ml/gbdt/predict-worker.js'));

describe.skipIf(!built)('prediction on the worker pool (skipped without npm run build)', () => {
  it('1, 2 and 3 threads give predictRaw\'s scores bit for bit (multiclass, NaN cells)', async () => {
    const { model } = await trainGbdt('p', names, table(3000, 11, 3), null, { objective: 'multiclass', rounds: 8, maxDepth: 4, earlyStoppingRounds: 0 });
    const test = table(20_000, 12, 3);
    const expected = plainWalk(model, test.x, test.rows);
    for (const threads of [1, 2, 3]) {
      const pool = await openPredictPool(threads);
      try {
        expect([...(await pool.predictRaw(model, test.x, test.rows))]).toEqual([...expected]);
      } finally {
        await pool.close();
      }
    }
  }, 60_000);
});
