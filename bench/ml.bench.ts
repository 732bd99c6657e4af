/**
 * Boosted-trees workload: 200 rounds of depth-6 regression trees on 1M rows × 30 features
 * (ML_BENCH_ROWS=100000 for a quick run), the validation MSE, and prediction throughput in rows/s
 * on one thread and on ML_BENCH_THREADS (default 2) threads, beside a plain node-by-node walk of the
 * same trees (the baseline ratio). Where Debian's python3-xgboost is installed (/usr/bin/python3 -c
 * 'import xgboost'), XGBoost's `hist` method trains on the same data with the same settings (depth
 * 6, η 0.1, λ 1, γ 0, min_child_weight 1, max_bin 255 — our 255 value bins —, base score = mean
 * label, 2 threads) and both training times, validation losses and prediction rows/s (inplace_predict,
 * 1 and 2 threads) are printed with their ratios, and both trainings' CPU seconds (every thread; on a
 * shared machine the CPU ratio is the steadier figure, and CPU ÷ wall shows the cores each run got). Otherwise the training reference is a plain
 * typed-array pass over the table.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createRng } from '../src/core/rng.js';
import { trainGbdt, type Table } from '../src/ml/gbdt/train.js';
import { binMatrix, fitBinEdges, type BinnedMatrix } from '../src/ml/gbdt/binning.js';
import { predictRaw, type GbdtModelFile } from '../src/ml/gbdt/model.js';
import { openPredictPool } from '../src/ml/gbdt/predict-pool.js';
import type { BenchFigure, BenchWorkload } from './types.js';

const PYTHON = '/usr/bin/python3';
const F = 30;
const ROUNDS = 200;
const DEPTH = 6;
const MAX_BIN = 255;

/**
 * `shared`: x in a SharedArrayBuffer, so the training's worker pool fits the cut points and bins on
 * both threads (src/ml/gbdt/pool.ts binOnPool); XGBoost likewise reads its numpy copy from its threads.
 */
function makeTable(rows: number, seed: number, shared = false): Table {
  const rng = createRng(seed, 'ml-bench');
  const x = new Float64Array(shared ? new SharedArrayBuffer(rows * F * 8) : new ArrayBuffer(rows * F * 8)), y = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const b = r * F;
    for (let f = 0; f < F; f++) x[b + f] = rng.normal();
    y[r] = x[b]! * x[b + 1]! + (x[b + 2]! > 0.5 ? 1 : 0) + 0.5 * Math.sin(x[b + 3]!) + 0.3 * x[b + 4]! + 0.5 * rng.normal();
  }
  return { x, rows, features: F, y };
}

const XGB_SCRIPT = `
import sys, time, json, numpy as np, xgboost as xgb
d = sys.argv[1]; F = int(sys.argv[2]); rounds = int(sys.argv[3]); depth = int(sys.argv[4])
x = np.fromfile(d + '/x.bin', dtype=np.float64).reshape(-1, F); y = np.fromfile(d + '/y.bin', dtype=np.float64)
vx = np.fromfile(d + '/vx.bin', dtype=np.float64).reshape(-1, F); vy = np.fromfile(d + '/vy.bin', dtype=np.float64)
params = dict(tree_method='hist', max_depth=depth, eta=0.1, reg_lambda=1.0, gamma=0.0, min_child_weight=1.0, max_bin=255,
              objective='reg:squarederror', base_score=float(y.mean()), nthread=2, subsample=1.0, colsample_bytree=1.0)
t0 = time.perf_counter(); c0 = time.process_time(); dtrain = xgb.DMatrix(x, label=y, nthread=2); b = xgb.train(params, dtrain, num_boost_round=rounds); t1 = time.perf_counter(); c1 = time.process_time()
p = b.predict(xgb.DMatrix(vx, nthread=2))
rate = {}
for n in (1, 2):
  b.set_param({'nthread': n}); b.inplace_predict(vx[:1000]); t2 = time.perf_counter(); b.inplace_predict(vx); rate[n] = len(vx) / (time.perf_counter() - t2)
out = dict(seconds=t1 - t0, cpu_seconds=c1 - c0, valid_mse=float(np.mean((p - vy) ** 2)), predict1=rate[1], predict2=rate[2])
if len(sys.argv) > 5:
  # the same trees on edgelab's bins: each cell replaced by its bin number (one value per bin, so XGBoost keeps the cuts)
  bx = np.fromfile(d + '/bx.bin', dtype=np.uint8).reshape(-1, F).astype(np.float32); bvx = np.fromfile(d + '/bvx.bin', dtype=np.uint8).reshape(-1, F).astype(np.float32)
  params['max_bin'] = 256; bb = xgb.train(params, xgb.DMatrix(bx, label=y, nthread=2), num_boost_round=rounds)
  out['same_bins_mse'] = float(np.mean((bb.predict(xgb.DMatrix(bvx, nthread=2)) - vy) ** 2))
print(json.dumps(out))
`;

/** rows × F bytes, the row padding of the bin matrix (binning.ts) left out. */
function unpaddedBins(m: BinnedMatrix): Uint8Array {
  const out = new Uint8Array(m.rows * m.features);
  for (let r = 0; r < m.rows; r++) out.set(m.bins.subarray(r * m.stride, r * m.stride + m.features), r * m.features);
  return out;
}

function xgboostAvailable(): boolean {
  return spawnSync(PYTHON, ['-c', 'import xgboost'], { stdio: 'ignore' }).status === 0;
}

export const workloads: BenchWorkload[] = [
  {
    name: 'ml-gbdt',
    description: `boosted trees: ${ROUNDS} rounds depth ${DEPTH} on ML_BENCH_ROWS (default 1M) × ${F} features, validation MSE, prediction rows/s (1 and ML_BENCH_THREADS threads, against a plain node walk); XGBoost hist on the same data, and on edgelab's bins, when python3-xgboost is installed`,
    async run(): Promise<BenchFigure[]> {
      const rows = Number(process.env['ML_BENCH_ROWS'] ?? 1_000_000);
      const train = makeTable(rows, 1, true);
      const valid = makeTable(Math.max(1000, Math.floor(rows / 5)), 2);
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      const { model } = await trainGbdt('bench', Array.from({ length: F }, (_, f) => `f${f}`), train, null, {
        rounds: ROUNDS, maxDepth: DEPTH, learningRate: 0.1, lambda: 1, gamma: 0, minChildWeight: 1, maxBin: MAX_BIN, earlyStoppingRounds: 0, threads: 2,
      });
      const trainSeconds = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      // CPU of every thread of this process (the pool's workers included), user + system.
      const trainCpuSeconds = (cpu.user + cpu.system) / 1e6;
      const threads = Number(process.env['ML_BENCH_THREADS'] ?? 2);
      const predictRates = await predictionRates(model, valid, threads);
      const pred = predictRaw(model, valid.x, valid.rows);
      let se = 0;
      for (let r = 0; r < valid.rows; r++) se += (pred[r]! - valid.y[r]!) ** 2;
      const validMse = se / valid.rows;
      const figures: BenchFigure[] = [
        { name: 'rows', value: rows, unit: 'rows' },
        { name: 'edgelab train', value: trainSeconds, unit: 's' },
        { name: 'edgelab train CPU (all threads)', value: trainCpuSeconds, unit: 's' },
        { name: 'edgelab cores used (CPU / wall)', value: trainCpuSeconds / trainSeconds, unit: '' },
        { name: 'edgelab validation MSE', value: validMse, unit: '' },
        { name: 'edgelab predict, 1 thread', value: predictRates.one, unit: 'rows/s' },
        { name: `edgelab predict, ${threads} threads`, value: predictRates.pool, unit: 'rows/s' },
        { name: 'plain node walk (baseline), 1 thread', value: predictRates.walk, unit: 'rows/s' },
        { name: 'predict 1 thread / plain walk', value: predictRates.one / predictRates.walk, unit: '×' },
        { name: `predict ${threads} threads / plain walk`, value: predictRates.pool / predictRates.walk, unit: '×' },
      ];
      if (xgboostAvailable()) {
        const dir = mkdtempSync(join(tmpdir(), 'edgelab-ml-bench-'));
        try {
          const write = (name: string, a: Float64Array): void => writeFileSync(join(dir, name), Buffer.from(a.buffer, a.byteOffset, a.byteLength));
          write('x.bin', train.x); write('y.bin', train.y); write('vx.bin', valid.x); write('vy.bin', valid.y);
          // ML_BENCH_SAME_BINS=0 skips the second XGBoost run (on edgelab's own bins).
          const sameBins = process.env['ML_BENCH_SAME_BINS'] !== '0';
          if (sameBins) {
            const edges = fitBinEdges(train.x, train.rows, F, MAX_BIN);
            writeFileSync(join(dir, 'bx.bin'), unpaddedBins(binMatrix(edges, train.x, train.rows, F)));
            writeFileSync(join(dir, 'bvx.bin'), unpaddedBins(binMatrix(edges, valid.x, valid.rows, F)));
          }
          writeFileSync(join(dir, 'bench.py'), XGB_SCRIPT);
          const run = spawnSync(PYTHON, [join(dir, 'bench.py'), dir, String(F), String(ROUNDS), String(DEPTH), ...(sameBins ? ['bins'] : [])], { encoding: 'utf8', maxBuffer: 1 << 20 });
          if (run.status !== 0) throw new Error(`xgboost run failed: ${run.stderr.trim().split('\n').pop()}`);
          const ref = JSON.parse(run.stdout.trim().split('\n').pop()!) as { seconds: number; cpu_seconds: number; valid_mse: number; predict1: number; predict2: number; same_bins_mse?: number };
          figures.push(
            { name: 'xgboost hist train (2 threads)', value: ref.seconds, unit: 's' },
            { name: 'xgboost validation MSE', value: ref.valid_mse, unit: '' },
            { name: 'xgboost train CPU (all threads)', value: ref.cpu_seconds, unit: 's' },
            { name: 'xgboost cores used (CPU / wall)', value: ref.cpu_seconds / ref.seconds, unit: '' },
            { name: 'train time ratio edgelab / xgboost', value: trainSeconds / ref.seconds, unit: '×' },
            { name: 'train CPU ratio edgelab / xgboost', value: trainCpuSeconds / ref.cpu_seconds, unit: '×' },
            { name: 'validation MSE ratio edgelab / xgboost', value: validMse / ref.valid_mse, unit: '×' },
            { name: 'xgboost predict, 1 thread', value: ref.predict1, unit: 'rows/s' },
            { name: 'xgboost predict, 2 threads', value: ref.predict2, unit: 'rows/s' },
            { name: 'predict ratio edgelab / xgboost, 1 thread', value: predictRates.one / ref.predict1, unit: '×' },
          );
          if (ref.same_bins_mse !== undefined) {
            figures.push(
              { name: "xgboost on edgelab's bins: validation MSE", value: ref.same_bins_mse, unit: '' },
              { name: 'MSE ratio edgelab / xgboost on the same bins', value: validMse / ref.same_bins_mse, unit: '×' },
            );
          }
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      } else {
        // Plain baseline: one pass summing every cell of the table per round's worth of work.
        const t2 = performance.now();
        let sink = 0;
        for (let r = 0; r < ROUNDS; r++) for (let k = 0; k < train.x.length; k++) sink += train.x[k]!;
        const plain = (performance.now() - t2) / 1000;
        figures.push({ name: `plain typed-array passes (${ROUNDS} over the table)`, value: plain, unit: 's' }, { name: 'train / plain passes', value: trainSeconds / plain, unit: '×' }, { name: 'sink', value: sink === 0 ? 0 : 1, unit: '' });
      }
      return figures;
    },
  },
];

/**
 * Prediction rows/s on the validation rows: the flattened forest on one thread and on `threads`
 * threads (predict-pool.ts), and the baseline — a plain node-by-node walk of the JSON trees. Each is
 * the best of three passes, taken in turn, so a burst of load on the shared machine hits all alike.
 */
async function predictionRates(model: GbdtModelFile, valid: Table, threads: number): Promise<{ one: number; pool: number; walk: number }> {
  const pool = await openPredictPool(threads);
  const best = { one: 0, pool: 0, walk: 0 };
  const rate = (t0: number): number => valid.rows / ((performance.now() - t0) / 1000);
  try {
    for (let pass = 0; pass < 3; pass++) {
      let t0 = performance.now();
      predictRaw(model, valid.x, valid.rows);
      best.one = Math.max(best.one, rate(t0));
      t0 = performance.now();
      await pool.predictRaw(model, valid.x, valid.rows);
      best.pool = Math.max(best.pool, rate(t0));
      t0 = performance.now();
      plainWalk(model, valid.x, valid.rows);
      best.walk = Math.max(best.walk, rate(t0));
    }
  } finally {
    await pool.close();
  }
  return best;
}

/** The straightforward predictor: each row walks each tree node by node (regression: one output). */
function plainWalk(model: GbdtModelFile, x: Float64Array, rows: number): Float64Array {
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = model.baseScore[0]!;
    for (const tree of model.trees) {
      let n = 0;
      while (tree.feature[n]! >= 0) {
        const v = x[r * F + tree.feature[n]!]!;
        n = (Number.isNaN(v) ? tree.missingLeft[n] === 1 : v <= tree.threshold[n]!) ? tree.left[n]! : tree.right[n]!;
      }
      s += tree.value[n]!;
    }
    out[r] = s;
  }
  return out;
}
