/**
 * Must-show 3 (no leakage): permuting the labels after a fold boundary leaves every earlier
 * out-of-fold prediction unchanged, bit for bit. Also: state features at bar t do not move when
 * closes after t change (point-in-time), labels follow the flat band by hand, and the OOF scores.
 */
import { describe, expect, it } from 'vitest';
import { walkForwardOof, oofScores, reliability, type OofDesign } from '../../src/ml/forecast.js';
import { buildStateDesign, stateFeatures, STATE_FEATURES } from '../../src/ml/state-features.js';
import { createRng } from '../../src/core/rng.js';
import type { Panel } from '../../src/alpha/panel.js';

function design(bars: number, perBar: number, seed: number): OofDesign {
  const rng = createRng(seed, 'oof');
  const F = 3, rows = bars * perBar;
  const x = new Float64Array(rows * F), y = new Float64Array(rows), bar = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    for (let f = 0; f < F; f++) x[r * F + f] = rng.normal();
    const s = x[r * F]! + 0.5 * rng.normal();
    y[r] = s < -0.5 ? 0 : s > 0.5 ? 2 : 1;
    bar[r] = Math.floor(r / perBar);
  }
  return { rows, features: F, x, y, bar };
}

describe('walk-forward out-of-fold forecasts', () => {
  const spec = { folds: 5, horizon: 3, embargo: 2, validFraction: 0.2 };
  const params = { objective: 'multiclass' as const, rounds: 30, maxDepth: 3, subsample: 0.8, seed: 1 };

  it('permuting labels after a fold boundary leaves earlier OOF predictions unchanged', async () => {
    const d = design(400, 5, 1);
    const before = await walkForwardOof(d, ['a', 'b', 'c'], spec, params);
    // Boundary: the end of the third test block (fold index 2). Shuffle every later label.
    const boundaryBar = Math.max(...Array.from(d.bar).filter((_, r) => before.fold[r] === 2));
    const y = new Float64Array(d.y);
    const later = Array.from(d.bar.keys()).filter((r) => d.bar[r]! > boundaryBar);
    const rng = createRng(9, 'shuffle');
    for (let k = later.length - 1; k > 0; k--) { const j = rng.int(0, k); const a = later[k]!, b = later[j]!; [y[a], y[b]] = [y[b]!, y[a]!]; }
    expect(later.some((r) => y[r] !== d.y[r])).toBe(true);
    const after = await walkForwardOof({ ...d, y }, ['a', 'b', 'c'], spec, params);
    let compared = 0;
    for (let r = 0; r < d.rows; r++) {
      if (d.bar[r]! > boundaryBar) continue;
      for (let c = 0; c < 3; c++) expect(Object.is(after.prob[r * 3 + c], before.prob[r * 3 + c])).toBe(true);
      if (before.fold[r]! >= 0) compared++;
    }
    expect(compared).toBeGreaterThan(500); // folds 1 and 2 were predicted and compared
    // …while a later fold does change (the shuffle reached its training rows).
    let changed = false;
    for (let r = 0; r < d.rows; r++) if (before.fold[r] === 4 && after.prob[r * 3] !== before.prob[r * 3]) changed = true;
    expect(changed).toBe(true);
  }, 60_000);

  it('the first block is never predicted (no past to train on) and scores are computed on predicted rows only', async () => {
    const d = design(300, 4, 2);
    const r = await walkForwardOof(d, ['a', 'b', 'c'], spec, params);
    for (let i = 0; i < d.rows; i++) if (r.fold[i] === 0 || r.fold[i] === -1) expect(Number.isNaN(r.prob[i * 3]!)).toBe(true);
    const s = oofScores(r.prob, 3, d.y);
    expect(s.rows).toBe(Array.from(r.fold).filter((f) => f > 0).length);
    // Hand check on three rows: probabilities (.7,.2,.1) y=0 → hit, ln .7; (.2,.5,.3) y=2 → miss, ln .3; NaN row skipped.
    const hand = oofScores(Float64Array.of(0.7, 0.2, 0.1, 0.2, 0.5, 0.3, NaN, NaN, NaN), 3, Float64Array.of(0, 2, 1));
    expect(hand.rows).toBe(2);
    expect(hand.accuracy).toBe(0.5);
    expect(hand.logLoss).toBeCloseTo(-(Math.log(0.7) + Math.log(0.3)) / 2, 14);
    const rel = reliability(Float64Array.of(0.05, 0.95, 0.15, 0.85, 0.92, 0.08), 2, Float64Array.of(1, 0, 0), 1, 10);
    // P(class 1) = .95 (y 1? no: row 0 has p1 = .95, y = 1), .85 (row 1, y 0), .08 (row 2, y 0).
    expect(rel).toEqual([
      { from: 0, to: 0.1, rows: 1, predicted: 0.08, observed: 0 },
      { from: 0.8, to: 0.9, rows: 1, predicted: 0.85, observed: 0 },
      { from: 0.9, to: 1, rows: 1, predicted: 0.95, observed: 1 },
    ]);
  }, 60_000);
});

describe('state design', () => {
  it('features at t ignore closes after t (perturb the future)', () => {
    const rng = createRng(3, 'walk');
    const close = new Float64Array(200);
    close[0] = 100;
    for (let t = 1; t < 200; t++) close[t] = close[t - 1]! * Math.exp(0.01 * rng.normal());
    const base = stateFeatures(close, 20);
    const moved = new Float64Array(close);
    for (let t = 121; t < 200; t++) moved[t] = moved[t]! * 1.5;
    const after = stateFeatures(moved, 20);
    const K = STATE_FEATURES.length;
    expect(Array.from(after.subarray(0, 121 * K))).toEqual(Array.from(base.subarray(0, 121 * K)));
    expect(after[150 * K]).not.toBe(base[150 * K]);
  });

  it('labels: down / flat / up against the band flatBand · σ_t · √h', () => {
    // Two symbols, 40 bars of alternating ±1% log moves (σ known), then a jump.
    const T = 40, N = 2;
    const close = new Float64Array(T * N);
    for (let i = 0; i < N; i++) { let c = 100; for (let t = 0; t < T; t++) { if (t > 0) c *= Math.exp(t % 2 ? 0.01 : -0.01); if (t === 35 && i === 1) c *= Math.exp(0.2); close[t * N + i] = c; } }
    const panel = { interval: '1d', ts: Float64Array.from({ length: T }, (_, t) => t * 86_400_000), symbols: ['A', 'B'], close, volume: close, takerBuy: close, funding: close, extra: new Map() } as unknown as Panel;
    const d = buildStateDesign(panel, 1, 20, 0.5);
    // A's one-bar moves are ±1% while σ ≈ 1.0%: |r| = .01 > 0.5·σ → up on odd steps, down on even.
    const a30 = Array.from(d.bar.keys()).find((r) => d.bar[r] === 30 && d.symbol[r] === 0)!;
    expect(d.y[a30]).toBe(2); // bar 31 is an odd step: +1%
    const b34 = Array.from(d.bar.keys()).find((r) => d.bar[r] === 34 && d.symbol[r] === 1)!;
    expect(d.forward[b34]).toBeCloseTo(0.01 + 0.2, 12);
    expect(d.y[b34]).toBe(2);
  });
});
