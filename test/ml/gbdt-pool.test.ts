/**
 * The worker pool's row partitioning and score updates (pool.ts, partition.ts, tree.ts
 * addLeafValues) on a multiclass fit with missing values: the same trees as one thread. Histograms
 * on the pool add the rows in per-thread chunks, so leaf values may differ in the last bits (as in
 * pool.test.ts); the splits, thresholds and missing-value directions must be the same, and the
 * training loss curve equal to 1e-12. Needs the build (workers load compiled JavaScript).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trainGbdt } from '../../src/ml/gbdt/train.js';
import { createRng } from '../../src/core/rng.js';

const built = existsSync(resolve(import.meta.dirname, '../../dist/src/ml/gbdt/hist-worker.js'));

describe.skipIf(!built)('partitioning and score updates on the worker pool (skipped without npm run build)', () => {
  it('a multiclass fit with NaN cells grows the same trees on 1 and 2 threads', async () => {
    const n = 110_000, F = 4;
    const rng = createRng(21, 'pool-multiclass');
    const x = new Float64Array(n * F), y = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      for (let f = 0; f < F; f++) x[r * F + f] = rng.uniform() < 0.05 ? NaN : rng.normal();
      const s = (x[r * F] ?? 0) + 0.5 * rng.normal();
      y[r] = s < -0.5 ? 0 : s < 0.5 ? 1 : 2;
    }
    const table = { x, rows: n, features: F, y };
    const names = ['a', 'b', 'c', 'd'];
    const params = { objective: 'multiclass' as const, rounds: 3, maxDepth: 5 };
    const serial = await trainGbdt('m', names, table, null, { ...params, threads: 1 });
    const pooled = await trainGbdt('m', names, table, null, { ...params, threads: 2 });
    expect(pooled.model.trees.length).toBe(serial.model.trees.length);
    for (let t = 0; t < serial.model.trees.length; t++) {
      const a = serial.model.trees[t]!, b = pooled.model.trees[t]!;
      expect(b.feature).toEqual(a.feature);
      expect(b.threshold).toEqual(a.threshold);
      expect(b.missingLeft).toEqual(a.missingLeft);
      b.value.forEach((v, i) => expect(v).toBeCloseTo(a.value[i]!, 10));
    }
    pooled.curve.forEach((p, i) => expect(p.train).toBeCloseTo(serial.curve[i]!.train, 12));
  }, 120_000);
});
