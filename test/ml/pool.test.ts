/**
 * The worker-pool histogram builder gives the same model as the serial one (same digest): the
 * partial histograms summed across threads equal the one-thread sums. Needs the build (workers load
 * compiled JavaScript); skips with a message otherwise.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trainGbdt } from '../../src/ml/gbdt/train.js';
import { createRng } from '../../src/core/rng.js';

const built = existsSync(resolve(import.meta.dirname, '../../dist/src/ml/gbdt/hist-worker.js'));

describe.skipIf(!built)('histograms on the worker pool (skipped without npm run build)', () => {
  it('trains the same model as one thread', async () => {
    const n = 120_000, F = 5;
    const rng = createRng(7, 'pool');
    const x = new Float64Array(n * F), y = new Float64Array(n);
    for (let r = 0; r < n; r++) { for (let f = 0; f < F; f++) x[r * F + f] = rng.normal(); y[r] = x[r * F]! * x[r * F + 1]! + (x[r * F + 2]! > 0 ? 1 : 0) + 0.3 * rng.normal(); }
    const table = { x, rows: n, features: F, y };
    const names = ['a', 'b', 'c', 'd', 'e'];
    // Integer-valued gradients would make any summation order exact; these are not, so compare digests
    // of models whose splits and leaf values must agree to the last bit only if sums agree. Use λ so
    // a tiny reordering difference could not flip a split: compare structure and predictions closely.
    const serial = await trainGbdt('s', names, table, null, { rounds: 5, maxDepth: 4, threads: 1 });
    const pooled = await trainGbdt('s', names, table, null, { rounds: 5, maxDepth: 4, threads: 2 });
    for (let t = 0; t < serial.model.trees.length; t++) {
      expect(pooled.model.trees[t]!.feature).toEqual(serial.model.trees[t]!.feature);
      expect(pooled.model.trees[t]!.threshold).toEqual(serial.model.trees[t]!.threshold);
      pooled.model.trees[t]!.value.forEach((v, i) => expect(v).toBeCloseTo(serial.model.trees[t]!.value[i]!, 10));
    }
  }, 120_000);
});
