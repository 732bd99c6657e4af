/**
 * Macro regime (seed 003 §6.3, "lightweight"), evaluated at every time either series publishes a
 * value, with P the latest PMI and S the latest curve slope known then:
 *
 *   inverted   = S < curve_inverted_below
 *   persistent = inverted, and the current run of inverted slope observations began at least
 *                inversion_persist_days calendar days ago
 *   EXPANSION  if P > pmi_threshold and not inverted
 *   RECESSION  if P ≤ pmi_threshold and persistent
 *   SLOWDOWN   otherwise
 *
 * With only one series: PMI alone → EXPANSION if P > threshold else SLOWDOWN; curve alone →
 * EXPANSION if not inverted else SLOWDOWN (RECESSION needs both). NaN until every present series
 * has published once. Values are used from their `ts` (the release time) on.
 */
import type { RegimeConfig } from '../../config/sections/regime.js';
import { DAY } from '../../core/time.js';
import type { DimensionSeries } from './series.js';

const RECESSION = 0;
const SLOWDOWN = 1;
const EXPANSION = 2;

export interface MacroInput {
  readonly name: string;
  readonly ts: Float64Array;
  readonly value: Float64Array;
}

export function macroRegime(pmi: MacroInput | undefined, curve: MacroInput | undefined, cfg: RegimeConfig['macro']): DimensionSeries {
  const np = pmi?.ts.length ?? 0;
  const nc = curve?.ts.length ?? 0;
  const times: number[] = [];
  const codes: number[] = [];
  let i = 0;
  let j = 0;
  let p = NaN;
  let s = NaN;
  let invertedSince = NaN;
  while (i < np || j < nc) {
    const tp = i < np ? pmi!.ts[i]! : Infinity;
    const tc = j < nc ? curve!.ts[j]! : Infinity;
    const t = Math.min(tp, tc);
    // Consume every observation published at t (both series may publish at the same instant).
    while (i < np && pmi!.ts[i]! === t) p = pmi!.value[i++]!;
    while (j < nc && curve!.ts[j]! === t) {
      s = curve!.value[j++]!;
      if (Number.isFinite(s) && s < cfg.curve_inverted_below) {
        if (Number.isNaN(invertedSince)) invertedSince = t;
      } else {
        invertedSince = NaN;
      }
    }
    const inverted = !Number.isNaN(invertedSince);
    const persistent = inverted && t - invertedSince >= cfg.inversion_persist_days * DAY;
    let code: number;
    if (pmi && curve) {
      if (!Number.isFinite(p) || !Number.isFinite(s)) code = NaN;
      else if (p > cfg.pmi_threshold && !inverted) code = EXPANSION;
      else if (p <= cfg.pmi_threshold && persistent) code = RECESSION;
      else code = SLOWDOWN;
    } else if (pmi) {
      code = Number.isFinite(p) ? (p > cfg.pmi_threshold ? EXPANSION : SLOWDOWN) : NaN;
    } else {
      code = Number.isFinite(s) ? (inverted ? SLOWDOWN : EXPANSION) : NaN;
    }
    times.push(t);
    codes.push(code);
  }
  const sources = [pmi?.name, curve?.name].filter((x): x is string => x !== undefined);
  return {
    knownAt: Float64Array.from(times),
    code: Float64Array.from(codes),
    sources,
    method: `PMI > ${cfg.pmi_threshold}, curve inverted below ${cfg.curve_inverted_below} for ${cfg.inversion_persist_days}d`,
  };
}
