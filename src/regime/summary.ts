/**
 * Time spent and returns per regime. Each day i of an asset's daily closes is attributed to the
 * regime known at that day's close (lookup(knownAt[i])), and earns the NEXT day's return
 * c_{i+1}/c_i − 1: the return a position set on the regime signal would have had. Days before a
 * dimension's first warmed-up value, and dimensions whose input is missing, are left out.
 *
 *   mean daily   = arithmetic mean of the attributed daily returns
 *   annualised   = exp(D · mean(ln(1 + r))) − 1  (geometric, D = 365 crypto / 252 otherwise)
 */
import type { Cell } from '../core/result.js';
import { DIMENSIONS, LEVELS, type RegimeDimension } from './codes.js';
import type { DailySeries } from './daily.js';
import { HMM_LABELS } from './hmm/labels.js';
import type { HmmTimeline } from './hmm/walk-forward.js';
import type { RegimeTimeline } from './timeline.js';
import { lastAtOrBefore } from '../core/sorted.js';

export interface RegimeReturnRow {
  readonly dimension: RegimeDimension | 'hmm';
  readonly regime: string;
  readonly days: number;
  readonly share: number;
  readonly meanDaily: number;
  readonly annualised: number;
}

class Bucket {
  days = 0;
  sum = 0;
  sumLog = 0;
  add(r: number): void {
    this.days++;
    this.sum += r;
    this.sumLog += Math.log1p(r);
  }
}

function rows(dimension: RegimeDimension | 'hmm', names: readonly string[], buckets: Bucket[], daysPerYear: number): RegimeReturnRow[] {
  const total = buckets.reduce((s, b) => s + b.days, 0);
  return names.map((regime, q) => {
    const b = buckets[q]!;
    return {
      dimension,
      regime,
      days: b.days,
      share: total ? b.days / total : NaN,
      meanDaily: b.days ? b.sum / b.days : NaN,
      annualised: b.days ? Math.expm1((daysPerYear * b.sumLog) / b.days) : NaN,
    };
  });
}

export function ruleRegimeReturns(tl: RegimeTimeline, asset: DailySeries): RegimeReturnRow[] {
  const out: RegimeReturnRow[] = [];
  const m = asset.close.length;
  for (const d of DIMENSIONS) {
    const info = tl.dimensions[d];
    if (info.status !== 'ok' || info.firstKnown === null) continue;
    const names = LEVELS[d] as readonly string[];
    const buckets = names.map(() => new Bucket());
    for (let i = 0; i + 1 < m; i++) {
      const t = asset.knownAt[i]!;
      if (t < info.firstKnown) continue;
      const r = asset.close[i + 1]! / asset.close[i]! - 1;
      if (!Number.isFinite(r)) continue;
      const k = lastAtOrBefore(tl.ts, t);
      if (k < 0) continue;
      buckets[tl.codes[d][k]!]!.add(r);
    }
    out.push(...rows(d, names, buckets, asset.daysPerYear));
  }
  return out;
}

export function hmmRegimeReturns(h: HmmTimeline): RegimeReturnRow[] {
  const buckets = HMM_LABELS.map(() => new Bucket());
  const { obs } = h;
  for (let i = h.evalFrom; i + 1 < obs.n; i++) {
    const q = h.label[i]!;
    const r = obs.dayReturn[i + 1]!;
    if (q >= 0 && Number.isFinite(r)) buckets[q]!.add(r);
  }
  return rows('hmm', HMM_LABELS, buckets, obs.daysPerYear);
}

/** Percent with `digits` decimals (null when not finite), for table cells. */
export const pct = (v: number, digits: number): number | null => {
  if (!Number.isFinite(v)) return null;
  const f = 10 ** digits;
  return Math.round(v * 100 * f) / f;
};

/** Table cells: share and annualised return to 0.1 %, mean daily return to 0.001 %. */
export function returnRowCells(r: RegimeReturnRow): Cell[] {
  return [r.dimension, r.regime, r.days, pct(r.share, 1), pct(r.meanDaily, 3), pct(r.annualised, 1)];
}

export const RETURN_COLUMNS = ['dimension', 'regime', 'days', 'share %', 'mean daily %', 'annualised %'] as const;
