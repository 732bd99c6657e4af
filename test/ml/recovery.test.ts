/**
 * Must-show 1: on data from a known non-linear rule (an interaction and a threshold) the trees
 * recover it far better than ridge; on pure noise the validation loss does not beat the constant
 * model and early stopping stops early. The ridge is the AlphaBundle's (src/alpha/ridge.ts).
 */
import { describe, expect, it } from 'vitest';
import { trainGbdt, type Table } from '../../src/ml/gbdt/train.js';
import { predict } from '../../src/ml/gbdt/model.js';
import { fitRidge, predictRidge } from '../../src/alpha/ridge.js';
import { createRng } from '../../src/core/rng.js';

const F = 5;
function make(n: number, seed: number, rule: (x: Float64Array, b: number) => number, noise: number): Table {
  const rng = createRng(seed, 'recovery');
  const x = new Float64Array(n * F), y = new Float64Array(n);
  for (let r = 0; r < n; r++) { for (let f = 0; f < F; f++) x[r * F + f] = rng.normal(); y[r] = rule(x, r * F) + noise * rng.normal(); }
  return { x, rows: n, features: F, y };
}
const mse = (p: Float64Array, y: Float64Array): number => p.reduce((s, v, i) => s + (v - y[i]!) ** 2, 0) / y.length;
const variance = (y: Float64Array): number => { const m = y.reduce((a, b) => a + b, 0) / y.length; return y.reduce((s, v) => s + (v - m) ** 2, 0) / y.length; };
const names = ['x0', 'x1', 'x2', 'x3', 'x4'];

describe('a known non-linear rule', () => {
  // y = 2·x0·x1 (interaction) + 3·[x2 > 0.5] (threshold) + 0.3·noise. The noise variance is 0.09;
  // Var(2·x0·x1) = 4 and Var(3·[x2 > .5]) = 9·p(1−p) ≈ 1.98, so the best achievable R² ≈ 0.985.
  const rule = (x: Float64Array, b: number): number => 2 * x[b]! * x[b + 1]! + (x[b + 2]! > 0.5 ? 3 : 0);
  const train = make(6000, 1, rule, 0.3);
  const valid = make(3000, 2, rule, 0.3);

  it('trees reach R² > 0.9 on held-out rows while ridge stays below 0.4', async () => {
    const { model } = await trainGbdt('nl', names, train, valid, { rounds: 400, maxDepth: 4, learningRate: 0.1, earlyStoppingRounds: 30 });
    const treeR2 = 1 - mse(predict(model, valid.x, valid.rows), valid.y) / variance(valid.y);
    const ridge = fitRidge(train.x, train.y, train.rows, F, 1e-3);
    const ridgeR2 = 1 - mse(predictRidge(ridge, valid.x, valid.rows), valid.y) / variance(valid.y);
    expect(treeR2).toBeGreaterThan(0.9);
    expect(ridgeR2).toBeLessThan(0.4); // a line only sees the threshold's linear shadow
    expect(mse(predict(model, valid.x, valid.rows), valid.y)).toBeLessThan(mse(predictRidge(ridge, valid.x, valid.rows), valid.y) / 5);
  }, 60_000);
});

describe('pure noise', () => {
  it('validation loss never beats the constant model by more than noise, and early stopping stops early', async () => {
    const noise = (): number => 0;
    const train = make(3000, 3, noise, 1);
    const valid = make(2000, 4, noise, 1);
    const r = await trainGbdt('noise', names, train, valid, { rounds: 300, maxDepth: 4, earlyStoppingRounds: 10 });
    const constant = r.curve[0]!.valid;
    expect(r.stoppedEarly).toBe(true);
    expect(r.curve.length - 1).toBeLessThan(40); // of 300 rounds
    expect(r.bestRound).toBeLessThanOrEqual(5);
    expect(r.curve[r.bestRound]!.valid).toBeGreaterThan(constant * 0.995);
    // The training loss keeps falling meanwhile: the trees fit the noise, validation catches it.
    expect(r.curve[r.curve.length - 1]!.train).toBeLessThan(r.curve[0]!.train);
  });
});
