/**
 * hybrid_alpha in `paper` (docs/ml.md "Meta-model and sizing"): a paper replay of the meta-model
 * gives exactly the backtest's trades, fills, orders and NAV over the same bars — also when the run
 * is stopped half-way and resumed from spec.json alone (the meta-model travels in the spec, so the
 * resumed process trades the same model without its file). An edited copy in spec.json is refused
 * by its digest, and `paper start hybrid_alpha` without a fitted meta-model says what to run.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runBacktestReport } from '../../src/backtest/run-backtest.js';
import { resultDigest } from '../../src/backtest/engine-digest.js';
import { PaperLoop } from '../../src/paper/loop.js';
import { paperPaths } from '../../src/paper/files.js';
import { planOf, type PaperSpec } from '../../src/paper/spec.js';
import { trainGbdt } from '../../src/ml/gbdt/train.js';
import { sealMeta, type MetaModelFile } from '../../src/ml/meta.js';
import { STATE_FEATURES, stateFeatures } from '../../src/ml/state-features.js';
import type { BacktestResult } from '../../src/backtest/types.js';
import { specOf, syntheticData, tempRoot, virtualScheduler } from '../paper/helpers.js';

const SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'];
const VOL_WINDOW = 20;
const HORIZON = 3;

/** A small direction forecast (down / flat / up over the next HORIZON bars) on BTCUSDT's 15-minute closes before the replay window. */
async function fittedMeta(): Promise<MetaModelFile> {
  const close = syntheticData().get('BTCUSDT:15m')!.table.columns['close'] as Float64Array;
  const n = Math.min(close.length, 2000);
  const feats = stateFeatures(close.subarray(0, n), VOL_WINDOW);
  const K = STATE_FEATURES.length;
  const x: number[] = [], y: number[] = [];
  for (let t = VOL_WINDOW + 20; t + HORIZON < n; t++) {
    const row = feats.subarray(t * K, t * K + K);
    if (!row.every(Number.isFinite)) continue;
    const r = Math.log(close[t + HORIZON]! / close[t]!);
    x.push(...row);
    y.push(r < -0.002 ? 0 : r > 0.002 ? 2 : 1);
  }
  const rows = y.length;
  const { model } = await trainGbdt('state', [...STATE_FEATURES], { x: Float64Array.from(x), rows, features: K, y: Float64Array.from(y) }, null, {
    objective: 'multiclass', rounds: 15, maxDepth: 3, earlyStoppingRounds: 0,
  });
  return sealMeta({
    format: 'edgelab-meta', version: 1, name: 'meta', mode: 'fixed', interval: '15m', symbols: SYMBOLS, inputs: ['trend', 'reversal', 'ml'],
    weights: { all: { intercept: 0, coefficients: [0.6, 0.3, 1.5] } }, regimeDimension: null, forecast: model, horizon: HORIZON, volWindow: VOL_WINDOW,
  });
}

const spec = (meta: MetaModelFile, id: string): PaperSpec =>
  specOf(id, { model: 'hybrid_alpha', params: { meta }, interval: '15m', from: '2021-06-01T00:00:00.000Z', to: '2021-06-21T00:00:00.000Z' });

function expectSameRun(paper: BacktestResult, backtest: BacktestResult): void {
  expect(paper.trades.length).toBeGreaterThan(0);
  expect(paper.fills.length).toBeGreaterThan(10);
  expect(paper.trades).toEqual(backtest.trades);
  expect(paper.fills).toEqual(backtest.fills);
  expect(paper.orders).toEqual(backtest.orders);
  expect(Buffer.from(paper.nav.buffer, paper.nav.byteOffset, paper.nav.byteLength).equals(Buffer.from(backtest.nav.buffer, backtest.nav.byteOffset, backtest.nav.byteLength))).toBe(true);
  expect(resultDigest(paper)).toBe(resultDigest(backtest));
}

describe('hybrid_alpha: paper replay = backtest over the same bars', () => {
  it('same trades, fills, orders and NAV; stopped and resumed from spec.json, still the same', async () => {
    const meta = await fittedMeta();
    const data = syntheticData();
    const backtest = (await runBacktestReport(planOf(spec(meta, 'x')), data, { probes: false })).result;

    const root = tempRoot();
    const whole = await PaperLoop.create(spec(meta, 'whole'), root, data).run({ scheduler: virtualScheduler() });
    expect(whole.head.status).toBe('finished');
    expectSameRun(whole.result!, backtest);

    // Stop after 300 bars, then resume in a loop built from spec.json alone.
    const first = await PaperLoop.create(spec(meta, 'halves'), root, data).run({ scheduler: virtualScheduler(), bars: 300 });
    expect(first.head.status).not.toBe('finished');
    const saved = JSON.parse(readFileSync(paperPaths(root, 'halves').spec, 'utf8')) as PaperSpec;
    expect((saved.params['meta'] as MetaModelFile).digest).toBe(meta.digest);
    const rest = await PaperLoop.open(root, 'halves', data).run({ scheduler: virtualScheduler() });
    expect(rest.head.status).toBe('finished');
    expectSameRun(rest.result!, backtest);
  }, 180_000);

  it('an edited meta-model in spec.json is refused by its digest', async () => {
    const meta = await fittedMeta();
    const root = tempRoot();
    const data = syntheticData();
    await PaperLoop.create(spec(meta, 'edited'), root, data).run({ scheduler: virtualScheduler(), bars: 5 });
    const path = paperPaths(root, 'edited').spec;
    const saved = JSON.parse(readFileSync(path, 'utf8')) as PaperSpec & { params: { meta: { weights: { all: { intercept: number } } } } };
    saved.params.meta.weights.all.intercept = 0.5;
    writeFileSync(path, JSON.stringify(saved));
    expect(() => PaperLoop.open(root, 'edited', data)).toThrow(/meta-model does not match its digest/);
  }, 60_000);
});
