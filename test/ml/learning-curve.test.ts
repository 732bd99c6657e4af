/**
 * The learning curve a fit reports is the trained model's own: `fit --model gbdt --objective
 * regression` on a small synthetic universe, then, independently of the fit's code:
 *
 * - the final model's training and validation tables are rebuilt here from the documented rule
 *   (docs/ml.md, "State forecasts": validation = the last fifth of bars, training = bars before it
 *   minus the horizon), and round 0's losses are worked out by hand: with squared error and the
 *   start score mean(y_train), the train loss is the label's population variance and the
 *   validation loss is mean((y_valid − mean(y_train))²);
 * - every round up to the kept one is re-scored from the saved model file (its first r trees,
 *   predicted from the raw features) and the mean squared error, summed here in a plain loop,
 *   equals the series block's value for that round;
 * - the selected-rounds table and the learning pane's curves carry the same numbers, and the
 *   pane's kept round is the model file's round count;
 * - the same fit run again gives byte-identical curve blocks and result digest.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createShell, type Shell } from '../../src/shell/runtime.js';
import { configSchema } from '../../src/config/schema.js';
import type { CommandResult, SeriesBlock, TableBlock } from '../../src/core/result.js';
import { panelFor } from '../../src/alpha/workflow.js';
import { buildStateDesign } from '../../src/ml/state-features.js';
import { loadModel, predictRaw } from '../../src/ml/gbdt/model.js';
import { LEARNING_TABLE_TITLE } from '../../src/ml/learning-table.js';
import { learningCurvesOf } from '../../src/tui/learning-state.js';
import { canonicalJson } from '../../src/core/canonical.js';
import { resultDigest } from '../../src/shell/dispatcher.js';

const dir = mkdtempSync(join(tmpdir(), 'edgelab-learning-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let shell: Shell;
let fit: CommandResult;
const HORIZON = 24; // 1d of 1h bars
const LINE = 'fit --model gbdt --objective regression --interval 1h --horizons 1d --rounds 40 --depth 3 --folds 3 --early-stop 4 --out lc';

beforeAll(async () => {
  shell = await createShell({ config: configSchema.parse({ synthetic: { symbols: ['BTCUSDT'], start: '2022-01-01', years: 0.5 } }), seed: 42, dataRoot: dir });
  expect((await shell.dispatcher.execute('ingest synthetic --universe 3')).result.status).toBe('ok');
  fit = (await shell.dispatcher.execute(LINE)).result;
  expect(fit.status, JSON.stringify(fit.blocks[0])).toBe('ok');
}, 300_000);

const mse = (pred: Float64Array, y: readonly number[]): number => {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (pred[i]! - y[i]!) ** 2;
  return s / y.length;
};

describe('learning curve of fit --model gbdt', () => {
  it('equals the losses of the saved model round by round; round 0 is the label variance', async () => {
    const { panel } = await panelFor(shell.session, '1h');
    const design = buildStateDesign(panel, HORIZON, 20, 0.5);
    const first = design.bar[0]!, last = design.bar[design.rows - 1]!;
    const validFrom = last - Math.floor((last - first + 1) * 0.2) + 1;
    const F = design.features;
    const trainX: number[] = [], trainY: number[] = [], validX: number[] = [], validY: number[] = [];
    for (let r = 0; r < design.rows; r++) {
      const b = design.bar[r]!;
      const row = Array.from(design.x.subarray(r * F, r * F + F));
      if (b < validFrom - HORIZON) (trainX.push(...row), trainY.push(design.forward[r]!));
      else if (b >= validFrom) (validX.push(...row), validY.push(design.forward[r]!));
    }
    expect(trainY.length).toBeGreaterThan(1000);
    expect(validY.length).toBeGreaterThan(200);

    const block = fit.blocks.find((b): b is SeriesBlock => b.kind === 'series' && b.pane === 'learning')!;
    const train = block.series.find((s) => s.name === 'train')!.values as number[];
    const valid = block.series.find((s) => s.name === 'validation')!.values as number[];
    expect(block.x).toEqual(train.map((_, i) => i));

    // Round 0 by hand: the constant model predicts mean(y_train).
    const mean = trainY.reduce((a, v) => a + v, 0) / trainY.length;
    const variance = trainY.reduce((a, v) => a + (v - mean) ** 2, 0) / trainY.length;
    const validAtMean = validY.reduce((a, v) => a + (v - mean) ** 2, 0) / validY.length;
    expect(train[0]).toBeCloseTo(variance, 15);
    expect(Math.abs(train[0]! / variance - 1)).toBeLessThan(1e-12);
    expect(Math.abs(valid[0]! / validAtMean - 1)).toBeLessThan(1e-12);

    // Every kept round re-scored from the model file.
    const model = loadModel(dir, 'lc-1d');
    expect(model.rounds, 'at least one kept round, so trees are checked too').toBeGreaterThan(0);
    expect(model.baseScore[0]).toBeCloseTo(mean, 15);
    const xTrain = Float64Array.from(trainX), xValid = Float64Array.from(validX);
    for (let r = 0; r <= model.rounds; r++) {
      const upTo = { ...model, trees: model.trees.slice(0, r) };
      expect(Math.abs(mse(predictRaw(upTo, xTrain, trainY.length), trainY) / train[r]! - 1), `train, round ${r}`).toBeLessThan(1e-9);
      expect(Math.abs(mse(predictRaw(upTo, xValid, validY.length), validY) / valid[r]! - 1), `validation, round ${r}`).toBeLessThan(1e-9);
    }
    // The kept round is the best validation loss (first strict minimum), and with early stopping
    // on, training ran exactly `--early-stop` rounds past it or to the round budget.
    const best = valid.reduce((bi, v, i) => (v < valid[bi]! ? i : bi), 0);
    expect(model.rounds).toBe(best);
    const lastRound = train.length - 1;
    expect(lastRound === 40 || lastRound === best + 4).toBe(true);

    // The selected-rounds table: round 0, the kept round and the last, with the block's values.
    const t = fit.blocks.find((b): b is TableBlock => b.kind === 'table' && b.title === LEARNING_TABLE_TITLE)!;
    const rounds = t.rows.map((r) => r[1] as number);
    expect(rounds).toEqual(expect.arrayContaining([0, best, lastRound]));
    for (const row of t.rows) {
      const r = row[1] as number;
      expect(row[0]).toBe('1d');
      expect(Math.abs((row[2] as number) / train[r]! - 1)).toBeLessThan(1e-5);
      expect(Math.abs((row[3] as number) / valid[r]! - 1)).toBeLessThan(1e-5);
      expect(String(row[4]).split(', ').includes('kept')).toBe(r === best);
      expect(String(row[4]).includes('early stop')).toBe(r === lastRound && lastRound < 40);
    }

    // The learning pane's data: the same numbers and the model's kept round.
    const tables = fit.blocks.filter((b): b is TableBlock => b.kind === 'table');
    const curves = learningCurvesOf(fit.blocks.filter((b): b is SeriesBlock => b.kind === 'series'), tables);
    expect(curves.length).toBe(1);
    expect(curves[0]!.label).toBe('1d');
    expect(curves[0]!.train).toEqual(train);
    expect(curves[0]!.valid).toEqual(valid);
    expect(curves[0]!.kept).toBe(model.rounds);
    expect(curves[0]!.stoppedEarly).toBe(lastRound < 40);
  }, 120_000);

  it('the same fit again gives the same curve blocks and result digest (what replay --check compares)', async () => {
    const again = (await shell.dispatcher.execute(LINE)).result;
    expect(again.status).toBe('ok');
    const curveBlocks = (r: CommandResult) => r.blocks.filter((b) => (b.kind === 'series' && b.pane === 'learning') || (b.kind === 'table' && b.title === LEARNING_TABLE_TITLE));
    expect(curveBlocks(again).length).toBe(2);
    expect(canonicalJson(curveBlocks(again))).toBe(canonicalJson(curveBlocks(fit)));
    expect(resultDigest(again)).toBe(resultDigest(fit));
  }, 120_000);
});
