/**
 * The meta-model and its sizing (docs/ml.md "Meta-model"): rule signals in [−1, 1], the ML state
 * forecast and the regime combine into one alpha per asset, which volatility targeting with caps
 * turns into target weights.
 *
 * Inputs per asset and bar (all known at the bar's close):
 *   trend    = tanh(ret_20)                 (20-bar log return in σ·√20 units, state-features.ts)
 *   reversal = −tanh(dist_mean / 2)         (distance from the window mean in σ units)
 *   ml       = P(up) − P(down)              (out-of-fold boosted-tree forecast, in [−1, 1])
 * alpha = intercept + Σ w_k · input_k, with the weights of the current regime label when the model
 * has weights for it, else the pooled ('all') weights. Weights are fixed (config) or learned by
 * ridge (src/alpha/ridge.ts) on out-of-fold rows only, against the vol-scaled forward return
 * r / (σ√h) — stacking (Wolpert 1992) without reusing any in-sample forecast.
 *
 * Sizing (vol targeting with caps): w_i = alpha_i · targetVol / σ_i (σ per bar, targetVol per bar),
 * each |w_i| capped at maxWeight, then all scaled down so Σ|w_i| ≤ gross.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { digestOf } from '../core/canonical.js';
import { UserError } from '../core/errors.js';
import { fitRidge } from '../alpha/ridge.js';
import type { GbdtModelFile } from './gbdt/model.js';

export const META_INPUTS = ['trend', 'reversal', 'ml'] as const;

export interface MetaWeights { readonly intercept: number; readonly coefficients: readonly number[] }

export interface MetaModelFile {
  readonly format: 'edgelab-meta';
  readonly version: 1;
  readonly name: string;
  readonly mode: 'fixed' | 'ridge';
  readonly interval: string;
  readonly symbols: readonly string[];
  readonly inputs: readonly string[];
  /** Weights by regime label (e.g. 'crypto:RISK_ON') and 'all' (the pooled fallback). */
  readonly weights: Readonly<Record<string, MetaWeights>>;
  /** Which regime dimension selects the weights (null: pooled only). */
  readonly regimeDimension: 'equity' | 'vol' | 'crypto' | 'macro' | null;
  /** The state forecast model (embedded, so a backtest needs only this file). */
  readonly forecast: GbdtModelFile;
  readonly horizon: number;
  readonly volWindow: number;
  readonly digest: string;
}

export function sealMeta(body: Omit<MetaModelFile, 'digest'>): MetaModelFile {
  return { ...body, digest: digestOf(body) };
}

/** Rule inputs from the state features (ret_20 at index 4, dist_mean at index 6). */
export function ruleInputs(features: Float64Array, base: number): [number, number] {
  return [Math.tanh(features[base + 4]!), -Math.tanh(features[base + 6]! / 2)];
}

export function metaAlpha(file: Pick<MetaModelFile, 'weights'>, inputs: readonly number[], regimeLabel: string | null): number {
  const w = (regimeLabel !== null ? file.weights[regimeLabel] : undefined) ?? file.weights['all'];
  if (!w) throw new UserError('the meta-model has no pooled weights', 'meta');
  let a = w.intercept;
  for (let k = 0; k < inputs.length; k++) a += w.coefficients[k]! * inputs[k]!;
  return a;
}

/**
 * Learn weights by ridge on OOF rows: x rows × K inputs, y the vol-scaled forward return, and an
 * optional regime label per row (a separate fit per label with at least `minRows` rows).
 */
export function learnMetaWeights(x: Float64Array, y: Float64Array, rows: number, K: number, lambda: number, labels: readonly string[] | null, minRows = 200): Record<string, MetaWeights> {
  const out: Record<string, MetaWeights> = {};
  const fit = (idx: number[]): MetaWeights => {
    const xs = new Float64Array(idx.length * K), ys = new Float64Array(idx.length);
    idx.forEach((r, j) => { for (let k = 0; k < K; k++) xs[j * K + k] = x[r * K + k]!; ys[j] = y[r]!; });
    const f = fitRidge(xs, ys, idx.length, K, lambda);
    return { intercept: f.intercept, coefficients: f.coefficients };
  };
  out['all'] = fit(Array.from({ length: rows }, (_, r) => r));
  if (labels) {
    for (const label of [...new Set(labels)].sort()) {
      const idx: number[] = [];
      labels.forEach((l, r) => { if (l === label) idx.push(r); });
      if (idx.length >= minRows) out[label] = fit(idx);
    }
  }
  return out;
}

export interface SizingRules { readonly targetVol: number; readonly maxWeight: number; readonly gross: number }

/** Vol-targeted weights from alphas and per-bar vols (NaN alpha or vol → 0). */
export function volTargetWeights(alpha: Float64Array, vol: Float64Array, rules: SizingRules): Float64Array {
  const w = new Float64Array(alpha.length);
  let total = 0;
  for (let i = 0; i < alpha.length; i++) {
    const a = alpha[i]!, s = vol[i]!;
    if (!Number.isFinite(a) || !(s > 0)) continue;
    w[i] = Math.max(-rules.maxWeight, Math.min(rules.maxWeight, (a * rules.targetVol) / s));
    total += Math.abs(w[i]!);
  }
  if (total > rules.gross) for (let i = 0; i < w.length; i++) w[i] = (w[i]! * rules.gross) / total;
  return w;
}

export const metaPath = (dataRoot: string, name: string): string => `${dataRoot}/models/${name}.meta.json`;

export function loadMeta(dataRoot: string, name: string): MetaModelFile {
  const path = metaPath(dataRoot, name);
  if (!existsSync(path)) throw new UserError(`no meta-model '${name}' (fit meta --out ${name})`, 'model');
  const m = JSON.parse(readFileSync(path, 'utf8')) as MetaModelFile;
  if (m.format !== 'edgelab-meta' || !metaIntact(m)) throw new UserError('not a meta-model file, or it does not match its digest: refit it', path);
  return m;
}

/** The meta-model's content matches its digest (a paper session's spec.json carries a copy: this catches an edited one). */
export function metaIntact(m: MetaModelFile): boolean {
  const { digest, ...body } = m;
  return digestOf(body) === digest;
}

export function saveMeta(dataRoot: string, m: MetaModelFile): void {
  mkdirSync(`${dataRoot}/models`, { recursive: true });
  writeFileSync(metaPath(dataRoot, m.name), `${JSON.stringify(m)}\n`);
}
