/**
 * Boosted trees against hand-worked numbers (docs/ml.md): one split's gain and threshold on a
 * four-row table, leaf values with and without L2, missing values' learned direction, softmax
 * probabilities, save/load, seeding, and the bad-input messages.
 */
import { describe, expect, it } from 'vitest';
import { trainGbdt, type Table } from '../../src/ml/gbdt/train.js';
import { parseModel, predict, predictRaw } from '../../src/ml/gbdt/model.js';
import { parseObjective } from '../../src/ml/gbdt/objective.js';
import { gainImportance, permutationImportance } from '../../src/ml/gbdt/importance.js';
import { createRng } from '../../src/core/rng.js';

const one = (x: number[], y: number[]): Table => ({ x: Float64Array.from(x), rows: x.length, features: 1, y: Float64Array.from(y) });
const stump = { rounds: 1, maxDepth: 1, learningRate: 1, minChildWeight: 0, earlyStoppingRounds: 0 };

describe('one split on a tiny table', () => {
  // x = 1, 2, 3, 4 and y = 1, 2, 4, 7. Base score = mean(y) = 3.5, so g = f − y = 2.5, 1.5, −0.5, −3.5
  // and h = 1. With λ = 1, γ = 0.5 (G = 0, H = 4 at the root):
  //   x ≤ 1.5: ½[2.5²/2 + 2.5²/4 − 0] − 0.5 = 1.84375
  //   x ≤ 2.5: ½[4²/3 + 4²/3 − 0] − 0.5 = 29/6 ≈ 4.8333   ← best
  //   x ≤ 3.5: ½[3.5²/4 + 3.5²/2 − 0] − 0.5 = 4.09375
  // Leaves: left −G_L/(H_L + λ) = −4/3, right +4/3.
  const table = one([1, 2, 3, 4], [1, 2, 4, 7]);

  it('picks the threshold with the largest gain and the hand-computed gain', async () => {
    const { model } = await trainGbdt('t', ['x'], table, null, { ...stump, lambda: 1, gamma: 0.5 });
    const tree = model.trees[0]!;
    expect(tree.feature[0]).toBe(0);
    expect(tree.threshold[0]).toBe(2.5);
    expect(tree.gain[0]).toBeCloseTo(29 / 6, 12);
    expect(model.baseScore[0]).toBe(3.5);
  });

  it('leaf values are −G/(H + λ) with L2, and the child means with λ = 0', async () => {
    const l2 = await trainGbdt('t', ['x'], table, null, { ...stump, lambda: 1, gamma: 0.5 });
    expect(Array.from(predict(l2.model, Float64Array.of(1, 2, 3, 4), 4))).toEqual(
      [3.5 - 4 / 3, 3.5 - 4 / 3, 3.5 + 4 / 3, 3.5 + 4 / 3].map((v) => expect.closeTo(v, 12)),
    );
    const plain = await trainGbdt('t', ['x'], table, null, { ...stump, lambda: 0, gamma: 0 });
    // λ = 0 moves the best split: x ≤ 3.5 gives ½[3.5²/3 + 3.5²/1] = 8.17 > ½[4²/2 + 4²/2] = 8 for
    // x ≤ 2.5, and each leaf predicts its rows' mean: (1 + 2 + 4)/3 and 7.
    expect(plain.model.trees[0]!.threshold[0]).toBe(3.5);
    expect(Array.from(predict(plain.model, Float64Array.of(1, 4), 2))).toEqual([expect.closeTo(7 / 3, 12), expect.closeTo(7, 12)]);
  });

  it('no split when γ exceeds every gain: the tree is one leaf', async () => {
    const { model } = await trainGbdt('t', ['x'], table, null, { ...stump, lambda: 1, gamma: 6 });
    expect(model.trees[0]!.feature).toEqual([-1]);
    expect(Array.from(predict(model, Float64Array.of(1, 4), 2))).toEqual([3.5, 3.5]);
  });

  it('min samples per leaf rules out thresholds leaving a child too small', async () => {
    // With 2 rows per leaf, only x ≤ 2.5 qualifies even when it would not be the best.
    const t = one([1, 2, 3, 4], [10, 0, 0, 0]);
    const free = await trainGbdt('t', ['x'], t, null, { ...stump, lambda: 0 });
    expect(free.model.trees[0]!.threshold[0]).toBe(1.5);
    const capped = await trainGbdt('t', ['x'], t, null, { ...stump, lambda: 0, minSamplesLeaf: 2 });
    expect(capped.model.trees[0]!.threshold[0]).toBe(2.5);
  });
});

describe('missing values', () => {
  it('learns the default direction by gain and routes NaN the same way after training', async () => {
    // x = 1, 2, 3, 4, NaN, NaN; y = 0, 0, 10, 10, 10, 10. Base 20/3; g = −20/3, −20/3, 10/3 × 4; λ = 0.
    // Split x ≤ 2.5 with missing right: left G = −40/3 (H 2), right G = 40/3 (H 4):
    //   ½[(40/3)²/2 + (40/3)²/4] = 66.67; with missing left: left G = −40/3+20/3 = −20/3 (H 4),
    //   right G = 20/3 (H 2): the same 66.67 − a tie, so the first (missing right) stands… unless the
    //   data prefers left. Make the missing rows low instead of high to force "left":
    const t = one([1, 2, 3, 4, NaN, NaN], [0, 0, 10, 10, 0, 0]);
    // Base 10/3; g = −10/3 (rows 1, 2, 5, 6), 20/3 (rows 3, 4). Missing left: left G = −40/3 (H 4),
    // right G = 40/3 (H 2): ½[(40/3)²/4 + (40/3)²/2] = 66.67. Missing right: left G = −20/3 (H 2),
    // right G = 20/3 (H 4): ½[(20/3)²/2 + (20/3)²/4] = 16.67. So missing goes left with gain 200/3.
    const { model } = await trainGbdt('t', ['x'], t, null, { ...stump, lambda: 0 });
    const tree = model.trees[0]!;
    expect(tree.threshold[0]).toBe(2.5);
    expect(tree.missingLeft[0]).toBe(1);
    expect(tree.gain[0]).toBeCloseTo(200 / 3, 10);
    expect(Array.from(predict(model, Float64Array.of(NaN, 1, 4), 3))).toEqual([expect.closeTo(0, 12), expect.closeTo(0, 12), expect.closeTo(10, 12)]);
  });

  it('reports the missing cells per feature', async () => {
    const t: Table = { x: Float64Array.of(1, NaN, 2, 5, NaN, 7, 4, 8), rows: 4, features: 2, y: Float64Array.of(0, 1, 0, 1) };
    const r = await trainGbdt('t', ['a', 'b'], t, null, { ...stump });
    expect(Array.from(r.missing)).toEqual([1, 1]);
  });
});

function randomTable(n: number, F: number, seed: number, label: (x: Float64Array, r: number, rng: ReturnType<typeof createRng>) => number): Table {
  const rng = createRng(seed, 'table');
  const x = new Float64Array(n * F), y = new Float64Array(n);
  for (let r = 0; r < n; r++) { for (let f = 0; f < F; f++) x[r * F + f] = rng.normal(); y[r] = label(x, r * F, rng); }
  return { x, rows: n, features: F, y };
}

describe('classification', () => {
  it('softmax probabilities are in (0, 1) and sum to 1 on every row', async () => {
    const t = randomTable(600, 3, 1, (x, b) => (x[b]! > 0.5 ? 2 : x[b + 1]! > 0 ? 1 : 0));
    const { model } = await trainGbdt('m', ['a', 'b', 'c'], t, null, { objective: 'multiclass', rounds: 15, maxDepth: 3 });
    expect(model.numClass).toBe(3);
    expect(model.trees.length).toBe(45); // 3 trees per round
    const p = predict(model, t.x, t.rows);
    for (let r = 0; r < t.rows; r++) {
      const s = p[3 * r]! + p[3 * r + 1]! + p[3 * r + 2]!;
      expect(Math.abs(s - 1)).toBeLessThan(1e-12);
      for (let c = 0; c < 3; c++) expect(p[3 * r + c]!).toBeGreaterThan(0);
    }
    // The rule is learnable: the arg-max class matches the label on most rows.
    let hit = 0;
    for (let r = 0; r < t.rows; r++) { const row = [0, 1, 2].map((c) => p[3 * r + c]!); if (row.indexOf(Math.max(...row)) === t.y[r]) hit++; }
    expect(hit / t.rows).toBeGreaterThan(0.95);
  });

  it('binary: the first round starts at the log-odds of the base rate', async () => {
    // 3 ones of 4 rows: base score ln(0.75/0.25) = ln 3.
    const { model } = await trainGbdt('b', ['x'], one([1, 2, 3, 4], [0, 1, 1, 1]), null, { objective: 'binary', ...stump, gamma: 1e9 });
    expect(model.baseScore[0]).toBeCloseTo(Math.log(3), 14);
    expect(predict(model, Float64Array.of(1), 1)[0]).toBeCloseTo(0.75, 12);
  });
});

describe('persistence and seeding', () => {
  const t = randomTable(2000, 6, 2, (x, b, rng) => x[b]! * x[b + 1]! + (x[b + 2]! > 0 ? 1 : 0) + 0.3 * rng.normal());
  const withNaN: Table = { ...t, x: t.x.map((v, i) => (i % 17 === 0 ? NaN : v)) };
  const names = ['a', 'b', 'c', 'd', 'e', 'f'];
  const opts = { rounds: 30, maxDepth: 4, subsample: 0.7, colsample: 0.5, seed: 5 };

  it('a saved and loaded model predicts bit for bit the same', async () => {
    const { model } = await trainGbdt('p', names, withNaN, null, opts);
    const loaded = parseModel(JSON.stringify(model), 'p.json');
    expect(loaded.digest).toBe(model.digest);
    expect(predictRaw(loaded, withNaN.x, withNaN.rows)).toEqual(predictRaw(model, withNaN.x, withNaN.rows));
  });

  it('a tampered file is refused by its digest', async () => {
    const { model } = await trainGbdt('p', names, t, null, { ...opts, rounds: 3 });
    const text = JSON.stringify({ ...model, baseScore: [model.baseScore[0]! + 1] });
    expect(() => parseModel(text, 'p.json')).toThrow(/does not match its digest/);
  });

  it('the same seed gives the same model; another seed another', async () => {
    const a = await trainGbdt('p', names, t, null, opts);
    const b = await trainGbdt('p', names, t, null, opts);
    const c = await trainGbdt('p', names, t, null, { ...opts, seed: 6 });
    expect(a.model.digest).toBe(b.model.digest);
    expect(c.model.digest).not.toBe(a.model.digest);
  });

  it('leaf-wise growth respects the leaf cap', async () => {
    const { model } = await trainGbdt('p', names, t, null, { rounds: 5, growth: 'leafwise', maxDepth: 0, maxLeaves: 7 });
    for (const tree of model.trees) expect(tree.feature.filter((f) => f < 0).length).toBeLessThanOrEqual(7);
    expect(model.trees.some((tree) => tree.feature.filter((f) => f < 0).length === 7)).toBe(true);
  });

  it('gain and permutation importance rank the informative features first', async () => {
    const { model } = await trainGbdt('p', names, t, null, { rounds: 40, maxDepth: 4 });
    const gain = gainImportance(model);
    expect(gain.reduce((s, g) => s + g.gainShare, 0)).toBeCloseTo(1, 12);
    const top = [...gain].sort((x, y) => y.gainShare - x.gainShare).slice(0, 3).map((g) => g.feature).sort();
    expect(top).toEqual(['a', 'b', 'c']);
    const holdout = randomTable(1000, 6, 3, (x, b, rng) => x[b]! * x[b + 1]! + (x[b + 2]! > 0 ? 1 : 0) + 0.3 * rng.normal());
    const perm = permutationImportance(model, holdout, 2, 1);
    for (const f of ['a', 'b', 'c']) expect(perm.find((p) => p.feature === f)!.lossIncrease).toBeGreaterThan(0.1);
    for (const f of ['d', 'e', 'f']) expect(Math.abs(perm.find((p) => p.feature === f)!.lossIncrease)).toBeLessThan(0.02);
  });
});

describe('bad input', () => {
  it('a constant label is refused in one line', async () => {
    await expect(trainGbdt('c', ['x'], one([1, 2, 3], [4, 4, 4]), null, {})).rejects.toThrow(/the label is constant \(every row is 4\)/);
  });
  it('an unknown objective names the choices', () => {
    expect(() => parseObjective('poisson')).toThrow("--objective: unknown objective 'poisson' (objectives: regression, binary, multiclass)");
  });
  it('labels outside the objective and NaN labels name the row', async () => {
    await expect(trainGbdt('c', ['x'], one([1, 2, 3], [0, 2, 1]), null, { objective: 'binary' })).rejects.toThrow(/row 1: label 2 is not 0 or 1/);
    await expect(trainGbdt('c', ['x'], one([1, 2, 3], [0, NaN, 1]), null, {})).rejects.toThrow(/row 1: label is NaN/);
  });
  it('bad options name the flag', async () => {
    await expect(trainGbdt('c', ['x'], one([1, 2, 3], [0, 2, 1]), null, { subsample: 0 })).rejects.toThrow(/--subsample/);
    await expect(trainGbdt('c', ['x'], one([1, 2, 3], [0, 2, 1]), null, { maxDepth: 0, maxLeaves: 0 })).rejects.toThrow(/--leaves/);
  });
});
