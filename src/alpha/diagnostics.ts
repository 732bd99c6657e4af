/**
 * Diagnostics of signals and scores: IC and rank IC per signal, IC decay of the score over horizons,
 * the pooled correlation matrix of the signals, and the turnover of a score's dollar-neutral weights
 * (docs/alpha.md "Diagnostics").
 */
import type { Design } from './design.js';
import { icPerBar, rankIcPerBar, summariseIc, type IcSummary } from './ic.js';
import { demeanAcross, forwardReturns } from './labels.js';
import type { Panel } from './panel.js';

export interface IcRow { readonly name: string; readonly ic: IcSummary; readonly rankIc: IcSummary }

export function icTable(series: ReadonlyMap<string, Float64Array>, label: Float64Array, n: number, lags: number): IcRow[] {
  return [...series].map(([name, s]) => ({ name, ic: summariseIc(icPerBar(s, label, n), lags), rankIc: summariseIc(rankIcPerBar(s, label, n), lags) }));
}

/** IC of `score` against demeaned forward returns at each horizon (bars). */
export function icDecay(score: Float64Array, panel: Panel, member: Uint8Array, horizons: readonly number[]): { horizon: number; ic: IcSummary }[] {
  const n = panel.symbols.length;
  return horizons.map((h) => {
    const y = demeanAcross(forwardReturns(panel, { horizon: h, volScaled: false, volWindow: 168 }), n, member);
    return { horizon: h, ic: summariseIc(icPerBar(score, y, n), h - 1) };
  });
}

/** Pearson correlations between the design's columns over its rows (K×K, row-major). */
export function signalCorrelations(d: Design): number[] {
  const K = d.names.length;
  const mean = new Array<number>(K).fill(0);
  for (let r = 0; r < d.rows; r++) for (let k = 0; k < K; k++) mean[k]! += d.x[r * K + k]! / d.rows;
  const cov = new Array<number>(K * K).fill(0);
  for (let r = 0; r < d.rows; r++) {
    for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) cov[a * K + b]! += (d.x[r * K + a]! - mean[a]!) * (d.x[r * K + b]! - mean[b]!);
  }
  return cov.map((c, idx) => c / Math.sqrt(cov[Math.floor(idx / K) * (K + 1)]! * cov[(idx % K) * (K + 1)]!));
}

/**
 * Mean one-way turnover per bar of weights w ∝ score − mean(score) scaled to Σ|w| = 1 at each bar:
 * ½ Σ|w[t] − w[t−1]| (cells off-universe count as 0).
 */
export function scoreTurnover(score: Float64Array, n: number): number {
  const rows = score.length / n;
  let prev: Float64Array | null = null;
  let total = 0, count = 0;
  for (let t = 0; t < rows; t++) {
    const w = new Float64Array(n);
    let m = 0, c = 0;
    for (let i = 0; i < n; i++) { const s = score[t * n + i]!; if (Number.isFinite(s)) { m += s; c++; } }
    if (c < 2) { prev = null; continue; }
    m /= c;
    let gross = 0;
    for (let i = 0; i < n; i++) { const s = score[t * n + i]!; if (Number.isFinite(s)) { w[i] = s - m; gross += Math.abs(s - m); } }
    if (gross > 0) for (let i = 0; i < n; i++) w[i] = w[i]! / gross;
    if (prev) {
      let d = 0;
      for (let i = 0; i < n; i++) d += Math.abs(w[i]! - prev[i]!);
      total += d / 2; count++;
    }
    prev = w;
  }
  return count ? total / count : NaN;
}
