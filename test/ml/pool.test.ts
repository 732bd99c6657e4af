/**
 * The worker-pool histogram builder gives the same model as the serial one (same digest): the
 * partial histograms summed across threads equal the one-thread sums. Needs the build (workers load
 * compiled JavaScript); skips with a message otherwise.
 *
 * Partitioning and score updates on the pool (pool.ts, partition.ts, tree.ts addLeafValues), on a
 * multiclass fit with missing values: the same splits, thresholds and missing-value directions as one
 * thread, and the training loss curve equal to 1e-12 (histograms add rows in per-thread chunks, so
 * leaf values may differ in the last bits).
 *
 * Cut points and bins on the pool (pool.ts binOnPool, for a table in a SharedArrayBuffer): each
 * thread's columns and rows come out as on one thread, so the model's digest is the one trained on
 * the same table in ordinary memory (binned on one thread), at 2 and 3 threads.
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

describe.skipIf(!built)('cut points and bins on the worker pool (skipped without npm run build)', () => {
  it('a table in shared memory gives the same model, to the digest, as the same table in ordinary memory', async () => {
    const n = 100_000, F = 7;
    const rng = createRng(5, 'pool-binning');
    const x = new Float64Array(n * F), y = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      for (let f = 0; f < F; f++) x[r * F + f] = f === 6 ? Math.round(rng.normal() * 3) : f >= 2 && rng.uniform() < 0.03 ? NaN : rng.normal();
      y[r] = x[r * F]! * (x[r * F + 1]! > 0 ? 1 : -1) + 0.2 * x[r * F + 6]! + 0.3 * rng.normal();
    }
    // A view into a larger shared buffer, at an offset: the workers must read the view, not the buffer.
    const sharedX = new Float64Array(new SharedArrayBuffer(x.byteLength + 24 * 8), 16 * 8, x.length);
    sharedX.set(x);
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    for (const threads of [2, 3]) {
      const params = { rounds: 4, maxDepth: 4, threads };
      const plain = await trainGbdt('b', names, { x, rows: n, features: F, y }, null, params);
      const onPool = await trainGbdt('b', names, { x: sharedX, rows: n, features: F, y }, null, params);
      expect(onPool.model.digest).toBe(plain.model.digest);
      expect(Array.from(onPool.missing)).toEqual(Array.from(plain.missing));
    }
  }, 120_000);
});

describe.skipIf(!built)('the work queue (skipped without npm run build)', () => {
  // Digests recorded with the node-at-a-time pool of e3ddc8a (each node's chunks handed to fixed
  // threads), before the shared work queue (task-queue.ts): batched levels, tasks claimed by whichever
  // thread is free, partitions cut into more chunks — the same trees to the bit at 2 and 3 threads.
  // The configurations cover a leaf cap that stops a level part-way (depthwise), leaf-wise growth,
  // levels of more than MAX_BATCH_NODES nodes (deep), row and column sampling and NaN cells.
  const pinned: Record<string, [string, string]> = {
    depthwise: ['13be0d88399474bc7d0a63ce8366307cb67e1bfdac64cd175bdb49e75f9b3002', 'e1a77ccf8eafb795578595cd6c164f5f16c2432a8cb673515bc1f63d3a2aad49'],
    leafwise: ['a046ac8c9655969b265db57d50691b0d099d378783720806a1316081150a860b', '7e9350cadb8bb36814a747b29b3533557b3874474d87179ef0f40220690c0994'],
    deep: ['596dff209c01fd490ca0a6c33f16424272cfecb9040c7437eab4d0efe381c18a', 'c9ceac48543b5d865a4a33808b08cfaa7daf29083b44bf2fef236f9ab0ff3c26'],
  };
  it('trains the models the node-at-a-time pool trained, to the digest', async () => {
    const n = 100_000, F = 6;
    const rng = createRng(11, 'pool-queue');
    const x = new Float64Array(n * F), y = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      for (let f = 0; f < F; f++) x[r * F + f] = f === 5 && rng.uniform() < 0.05 ? NaN : rng.normal();
      y[r] = x[r * F]! * x[r * F + 1]! + (x[r * F + 2]! > 0.3 ? 1 : 0) + 0.5 * rng.normal();
    }
    const params = {
      depthwise: { rounds: 3, maxDepth: 6, maxLeaves: 40, subsample: 0.8, colsample: 0.7, seed: 4 },
      leafwise: { rounds: 3, growth: 'leafwise' as const, maxDepth: 0, maxLeaves: 24 },
      deep: { rounds: 2, maxDepth: 8, minSamplesLeaf: 20 },
    };
    for (const [name, p] of Object.entries(params)) {
      for (const [i, threads] of [2, 3].entries()) {
        const { model } = await trainGbdt('q', ['a', 'b', 'c', 'd', 'e', 'f'], { x, rows: n, features: F, y }, null, { ...p, threads });
        expect(model.digest, `${name}, ${threads} threads`).toBe(pinned[name]![i]);
      }
    }
  }, 120_000);
});
