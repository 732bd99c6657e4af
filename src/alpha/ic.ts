/**
 * Information coefficients (Grinold & Kahn 2000, ch. 6): at each bar, the correlation across the
 * universe between a score and the realised label — Pearson (IC) and Spearman (rank IC). Labels over
 * h bars overlap, so consecutive ICs are correlated up to lag h − 1; the summary t-statistic uses the
 * Hansen–Hodrick (1980) standard error for that MA(h − 1) structure (see `longRunVariance`).
 */
import { crossSectionalRank } from './cross-section.js';

export interface IcSummary {
  readonly bars: number;
  readonly mean: number;
  readonly sd: number;
  /** mean / sd (per bar). */
  readonly ir: number;
  /** mean / overlap-robust (Hansen–Hodrick) standard error of the mean. */
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

/**
 * Long-run variance of a demeaned series `d` (divisor m) with autocovariances up to `lags`.
 * Hansen & Hodrick (1980): equal weights, γ0 + 2·Σ_{j≤L} γj, which is exact for the MA(L) correlation
 * that overlapping L + 1-bar labels create. Newey & West's (1987) Bartlett weights (1 − j/(L+1)) shrink
 * exactly those autocovariances: with lag h − 1 they overstated placebo-universe t's (sd 1.33–1.38
 * across 40 seeds for the momentum signals, against 1.11–1.15 with equal weights; docs/alpha.md). The
 * equal-weight sum can come out ≤ 0 in a short sample; Newey–West, positive by construction, is used then.
 */
export function longRunVariance(d: readonly number[], lags: number): number {
  const m = d.length;
  const gamma = (j: number): number => { let s = 0; for (let i = j; i < m; i++) s += d[i]! * d[i - j]!; return s / m; };
  const top = Math.min(lags, m - 1);
  let hansenHodrick = gamma(0), neweyWest = gamma(0);
  for (let j = 1; j <= top; j++) {
    const g = gamma(j);
    hansenHodrick += 2 * g;
    neweyWest += 2 * (1 - j / (lags + 1)) * g;
  }
  return hansenHodrick > 0 ? hansenHodrick : Math.max(neweyWest, 0);
}

/** Mean, sd, IR and overlap-robust t (`longRunVariance`) of a per-bar IC series (NaNs skipped). */
export function summariseIc(ic: Float64Array, lags: number): IcSummary {
  const v = Array.from(ic).filter(Number.isFinite);
  const m = v.length;
  if (m < 2) return { bars: m, mean: NaN, sd: NaN, ir: NaN, t: NaN };
  const mean = v.reduce((a, b) => a + b, 0) / m;
  const d = v.map((x) => x - mean);
  const sd = Math.sqrt(d.reduce((a, b) => a + b * b, 0) / (m - 1));
  return { bars: m, mean, sd, ir: mean / sd, t: mean / Math.sqrt(longRunVariance(d, lags) / m) };
}
