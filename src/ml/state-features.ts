/**
 * The state-forecast design (docs/ml.md "State forecasts"): per symbol and bar, features known at
 * the bar's close and a three-way label over the next h bars.
 *
 * Features (all from closes up to t): vol-scaled past log returns over 1, 3, 5, 10 and 20 bars
 * (log(c_t / c_{t−k}) / (σ_t √k)), log σ_t (σ = sd of 1-bar log returns over `volWindow` bars) and
 * the distance of the close from its `volWindow`-bar mean in σ units of price.
 * Label: r = log(c_{t+h} / c_t) against a flat band b = flatBand · σ_t · √h: down (0) when r < −b,
 * flat (1) when |r| ≤ b, up (2) when r > b. The label window is (t, t + h].
 *
 * Regime target (`--target regime`): the label is instead the regime engine's HMM state known at
 * bar t + h's close — bull, choppy, bear or crash (HMM_LABELS order, classes 0..3) — from a
 * point-in-time fit (walk-forward 'expanding' or 'rolling', never 'full', whose parameters saw
 * later data). That state depends only on data up to t + h's close, so the label window is still
 * (t, t + h] and the folds' purge by h holds (test/ml/regime-target.test.ts perturbs the future).
 */
import { HMM_LABELS } from '../regime/hmm/labels.js';
import { intervalMs } from '../core/time.js';
import type { HmmSnapshot } from '../regime/hmm/walk-forward.js';
import { logReturns, pastReturn, rollingMean, rollingSd } from '../alpha/kernels.js';
import { column, type Panel } from '../alpha/panel.js';

export const STATE_FEATURES = ['ret_1', 'ret_3', 'ret_5', 'ret_10', 'ret_20', 'log_vol', 'dist_mean'] as const;
export const STATE_CLASSES = ['down', 'flat', 'up'] as const;
export const REGIME_CLASSES = HMM_LABELS;
export type StateTarget = 'direction' | 'regime';

/** Class names of a target, in class-index order. */
export const targetClasses = (target: StateTarget): readonly string[] => (target === 'regime' ? REGIME_CLASSES : STATE_CLASSES);

/**
 * Regime class (index into HMM_LABELS) known at each bar's close, −1 where the HMM has not
 * started. `lookup` is the regime engine's filtered, point-in-time HMM lookup.
 */
export function regimeClassAtClose(panel: Panel, lookup: (t: number) => HmmSnapshot | undefined): Int8Array {
  const step = intervalMs(panel.interval);
  const out = new Int8Array(panel.ts.length).fill(-1);
  for (let t = 0; t < panel.ts.length; t++) {
    const snap = lookup(panel.ts[t]! + step);
    if (snap) out[t] = HMM_LABELS.indexOf(snap.label);
  }
  return out;
}
const LAGS = [1, 3, 5, 10, 20];

export interface StateDesign {
  readonly rows: number;
  readonly features: number;
  /** Row-major rows × features. */
  readonly x: Float64Array;
  /** Class 0 down, 1 flat, 2 up; or the regime class (REGIME_CLASSES) with the regime target. */
  readonly y: Float64Array;
  /** Forward log return over the horizon (for IC). */
  readonly forward: Float64Array;
  readonly bar: Int32Array;
  readonly symbol: Int32Array;
}

/** Features of one symbol's closes (T × features, row-major; NaN while warming up). */
export function stateFeatures(close: Float64Array, volWindow: number): Float64Array {
  const T = close.length, K = STATE_FEATURES.length;
  const sd = rollingSd(logReturns(close), volWindow);
  const mean = rollingMean(close, volWindow);
  const priceSd = rollingSd(close, volWindow);
  const out = new Float64Array(T * K);
  const past = LAGS.map((k) => pastReturn(close, k));
  for (let t = 0; t < T; t++) {
    LAGS.forEach((k, j) => { out[t * K + j] = past[j]![t]! / (sd[t]! * Math.sqrt(k)); });
    out[t * K + 5] = Math.log(sd[t]!);
    out[t * K + 6] = (close[t]! - mean[t]!) / priceSd[t]!;
  }
  return out;
}

/**
 * Rows ordered by bar, then symbol: every (t, i) with finite features and a finite label. With
 * `regimeAtClose` (regimeClassAtClose) the label is the regime class at t + h (rows where it is
 * unknown are left out); otherwise the down / flat / up class.
 */
export function buildStateDesign(panel: Panel, horizon: number, volWindow: number, flatBand: number, regimeAtClose?: Int8Array): StateDesign {
  const N = panel.symbols.length, T = panel.ts.length, K = STATE_FEATURES.length;
  const feats: Float64Array[] = [], fwd: Float64Array[] = [], vols: Float64Array[] = [];
  for (let i = 0; i < N; i++) {
    const close = column(panel.close, N, i);
    feats.push(stateFeatures(close, volWindow));
    vols.push(rollingSd(logReturns(close), volWindow));
    const f = new Float64Array(T).fill(NaN);
    for (let t = 0; t + horizon < T; t++) f[t] = Math.log(close[t + horizon]! / close[t]!);
    fwd.push(f);
  }
  const x: number[] = [], y: number[] = [], forward: number[] = [], bar: number[] = [], symbol: number[] = [];
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < N; i++) {
      const r = fwd[i]![t]!;
      if (!Number.isFinite(r)) continue;
      if (regimeAtClose && regimeAtClose[t + horizon]! < 0) continue;
      let ok = true;
      for (let k = 0; k < K && ok; k++) ok = Number.isFinite(feats[i]![t * K + k]!);
      if (!ok) continue;
      const band = flatBand * vols[i]![t]! * Math.sqrt(horizon);
      for (let k = 0; k < K; k++) x.push(feats[i]![t * K + k]!);
      y.push(regimeAtClose ? regimeAtClose[t + horizon]! : r < -band ? 0 : r > band ? 2 : 1);
      forward.push(r); bar.push(t); symbol.push(i);
    }
  }
  return { rows: y.length, features: K, x: Float64Array.from(x), y: Float64Array.from(y), forward: Float64Array.from(forward), bar: Int32Array.from(bar), symbol: Int32Array.from(symbol) };
}
