/**
 * Information coefficients (Grinold & Kahn 2000, ch. 6): at each bar, the correlation across the
 * universe between a score and the realised label — Pearson (IC) and Spearman (rank IC). The summary
 * t-statistic uses Newey–West standard errors with `lags` = horizon − 1, because labels over h bars
 * overlap and make consecutive ICs correlated (Newey & West 1987, Bartlett weights).
 */
import { crossSectionalRank } from './cross-section.js';

export interface IcSummary {
  readonly bars: number;
  readonly mean: number;
  readonly sd: number;
  /** mean / sd (per bar). */
  readonly ir: number;
  /** mean / Newey–West standard error of the mean. */
  readonly t: number;
}

/** Pearson correlation per row of two T×N matrices over cells finite in both (NaN when < 3). */
export function icPerBar(score: Float64Array, label: Float64Array, n: number): Float64Array {
  const rows = score.length / n;
  const out = new Float64Array(rows).fill(NaN);
  for (let t = 0; t < rows; t++) {
    let c = 0, sa = 0, sb = 0;
    for (let i = 0; i < n; i++) {
      const a = score[t * n + i]!, b = label[t * n + i]!;
      if (Number.isFinite(a) && Number.isFinite(b)) { c++; sa += a; sb += b; }
    }
    if (c < 3) continue;
    const ma = sa / c, mb = sb / c;
    let sab = 0, saa = 0, sbb = 0;
    for (let i = 0; i < n; i++) {
      const a = score[t * n + i]!, b = label[t * n + i]!;
      if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
      sab += (a - ma) * (b - mb); saa += (a - ma) ** 2; sbb += (b - mb) ** 2;
    }
    if (saa > 0 && sbb > 0) out[t] = sab / Math.sqrt(saa * sbb);
  }
  return out;
}

/** Spearman correlation per row: Pearson on the rows' ranks (cells finite in both). */
export function rankIcPerBar(score: Float64Array, label: Float64Array, n: number): Float64Array {
  const both = new Uint8Array(score.length);
  for (let k = 0; k < score.length; k++) both[k] = Number.isFinite(score[k]!) && Number.isFinite(label[k]!) ? 1 : 0;
  return icPerBar(crossSectionalRank(score, n, both), crossSectionalRank(label, n, both), n);
}

/** Mean, sd, IR and Newey–West t of a per-bar IC series (NaNs skipped). */
export function summariseIc(ic: Float64Array, lags: number): IcSummary {
  const v = Array.from(ic).filter(Number.isFinite);
  const m = v.length;
  if (m < 2) return { bars: m, mean: NaN, sd: NaN, ir: NaN, t: NaN };
  const mean = v.reduce((a, b) => a + b, 0) / m;
  const d = v.map((x) => x - mean);
  const gamma = (j: number): number => { let s = 0; for (let i = j; i < m; i++) s += d[i]! * d[i - j]!; return s / m; };
  let lrv = gamma(0);
  for (let j = 1; j <= Math.min(lags, m - 1); j++) lrv += 2 * (1 - j / (lags + 1)) * gamma(j);
  const sd = Math.sqrt(d.reduce((a, b) => a + b * b, 0) / (m - 1));
  return { bars: m, mean, sd, ir: mean / sd, t: mean / Math.sqrt(Math.max(lrv, 0) / m) };
}
