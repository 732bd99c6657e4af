/**
 * Boosted-trees workload: 200 rounds of depth-6 regression trees on 1M rows × 30 features
 * (ML_BENCH_ROWS=100000 for a quick run), the validation MSE, and prediction throughput in rows/s.
 * Where Debian's python3-xgboost is installed (/usr/bin/python3 -c 'import xgboost'), XGBoost's
 * `hist` method trains on the same data with the same settings (depth 6, η 0.1, λ 1, γ 0,
 * min_child_weight 1, 256 bins, base score = mean label, 2 threads) and both times and losses are
 * printed with their ratios. Otherwise the reference is a plain typed-array pass over the table.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createRng } from '../src/core/rng.js';
import { trainGbdt, type Table } from '../src/ml/gbdt/train.js';
import { predictRaw } from '../src/ml/gbdt/model.js';
import type { BenchFigure, BenchWorkload } from './types.js';

const PYTHON = '/usr/bin/python3';
const F = 30;
const ROUNDS = 200;
const DEPTH = 6;

function makeTable(rows: number, seed: number): Table {
  const rng = createRng(seed, 'ml-bench');
  const x = new Float64Array(rows * F), y = new Float64Array(rows);
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
params = dict(tree_method='hist', max_depth=depth, eta=0.1, reg_lambda=1.0, gamma=0.0, min_child_weight=1.0, max_bin=256,
              objective='reg:squarederror', base_score=float(y.mean()), nthread=2, subsample=1.0, colsample_bytree=1.0)
t0 = time.perf_counter(); dtrain = xgb.DMatrix(x, label=y, nthread=2); b = xgb.train(params, dtrain, num_boost_round=rounds); t1 = time.perf_counter()
p = b.predict(xgb.DMatrix(vx, nthread=2))
print(json.dumps(dict(seconds=t1 - t0, valid_mse=float(np.mean((p - vy) ** 2)))))
`;

function xgboostAvailable(): boolean {
  return spawnSync(PYTHON, ['-c', 'import xgboost'], { stdio: 'ignore' }).status === 0;
}

export const workloads: BenchWorkload[] = [
  {
    name: 'ml-gbdt',
    description: `boosted trees: ${ROUNDS} rounds depth ${DEPTH} on ML_BENCH_ROWS (default 1M) × ${F} features, validation MSE, prediction rows/s; XGBoost hist on the same data when python3-xgboost is installed`,
    async run(): Promise<BenchFigure[]> {
      const rows = Number(process.env['ML_BENCH_ROWS'] ?? 1_000_000);
      const train = makeTable(rows, 1);
      const valid = makeTable(Math.max(1000, Math.floor(rows / 5)), 2);
      const t0 = performance.now();
      const { model } = await trainGbdt('bench', Array.from({ length: F }, (_, f) => `f${f}`), train, null, {
        rounds: ROUNDS, maxDepth: DEPTH, learningRate: 0.1, lambda: 1, gamma: 0, minChildWeight: 1, maxBin: 255, earlyStoppingRounds: 0, threads: 2,
      });
      const trainSeconds = (performance.now() - t0) / 1000;
      const t1 = performance.now();
      const pred = predictRaw(model, valid.x, valid.rows);
      const predictSeconds = (performance.now() - t1) / 1000;
      let se = 0;
      for (let r = 0; r < valid.rows; r++) se += (pred[r]! - valid.y[r]!) ** 2;
      const validMse = se / valid.rows;
      const figures: BenchFigure[] = [
        { name: 'rows', value: rows, unit: 'rows' },
        { name: 'edgelab train', value: trainSeconds, unit: 's' },
        { name: 'edgelab validation MSE', value: validMse, unit: '' },
        { name: 'edgelab predict', value: valid.rows / predictSeconds, unit: 'rows/s' },
      ];
      if (xgboostAvailable()) {
        const dir = mkdtempSync(join(tmpdir(), 'edgelab-ml-bench-'));
        try {
          const write = (name: string, a: Float64Array): void => writeFileSync(join(dir, name), Buffer.from(a.buffer, a.byteOffset, a.byteLength));
          write('x.bin', train.x); write('y.bin', train.y); write('vx.bin', valid.x); write('vy.bin', valid.y);
          writeFileSync(join(dir, 'bench.py'), XGB_SCRIPT);
          const run = spawnSync(PYTHON, [join(dir, 'bench.py'), dir, String(F), String(ROUNDS), String(DEPTH)], { encoding: 'utf8', maxBuffer: 1 << 20 });
          if (run.status !== 0) throw new Error(`xgboost run failed: ${run.stderr.trim().split('\n').pop()}`);
          const ref = JSON.parse(run.stdout.trim().split('\n').pop()!) as { seconds: number; valid_mse: number };
          figures.push(
            { name: 'xgboost hist train (2 threads)', value: ref.seconds, unit: 's' },
            { name: 'xgboost validation MSE', value: ref.valid_mse, unit: '' },
            { name: 'train time ratio edgelab / xgboost', value: trainSeconds / ref.seconds, unit: '×' },
            { name: 'validation MSE ratio edgelab / xgboost', value: validMse / ref.valid_mse, unit: '×' },
          );
        } finally {
          rmSync(dir, { recursive: true, force: true });
          void readFileSync;
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
