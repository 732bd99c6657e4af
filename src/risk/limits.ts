/**
 * Portfolio-level limits applied to the aggregated NAV weights (seed 003 §4.3 step 3 and §5.3), in
 * this order, each on the result of the previous one:
 *
 *   1. per-asset cap     |w(a)| ≤ per_asset_cap                    (clip the asset)
 *   2. class caps        Σ_{a∈class} |w(a)| ≤ cap(class)             (scale the class pro rata)
 *   3. max gross         Σ_a |w(a)| ≤ max_gross                      (scale everything pro rata)
 *   4. risk mode         REDUCED: × reduce_scale;  HALT 'flatten' or kill switch: 0;
 *                        HALT 'no_new_entries': never beyond the current weight, never a flip:
 *                        w = sign(cur)·min(|w|, |cur|) when signs agree, else 0
 *
 * Every limit that binds appends a `RiskBreach` naming the subject, the value, the limit and the
 * action (allocation happens only on a breach). The per-trade risk cap needs a model's stop and is
 * applied per model before aggregation (see `capPerTradeRisk`).
 */
import { MODE_HALT, MODE_REDUCED, type RiskBreach, type RiskLimits } from './types.js';

export interface LimitContext {
  readonly symbols: readonly string[];
  /** Symbol indices covered by each entry of `limits.classCaps`. */
  readonly classMembers: readonly Int32Array[];
  readonly limits: RiskLimits;
}

const fmt = (x: number): string => (Math.abs(x) >= 100 ? x.toFixed(0) : Number(x.toPrecision(4)).toString());

/**
 * @param raw aggregated target weights per symbol (NAV fractions), not modified
 * @param current current weights per symbol (NAV fractions)
 * @param mode risk mode code at this decision
 * @param killed true when the kill switch has fired (flatten regardless of halt_action)
 * @param out final target weights (written)
 * @param breaches where the breaches go; null when nothing reads them (a run kept only for its
 *   models' decisions): the limits apply the same, and no record is made
 */
export function applyRiskLimits(
  lc: LimitContext,
  raw: Float64Array,
  current: Float64Array,
  mode: number,
  killed: boolean,
  ts: number,
  step: number,
  out: Float64Array,
  breaches: RiskBreach[] | null,
): void {
  const { symbols, limits } = lc;
  const n = raw.length;
  for (let s = 0; s < n; s++) {
    const w = raw[s]!;
    if (Math.abs(w) > limits.perAssetCap + 1e-12) {
      const capped = w > 0 ? limits.perAssetCap : -limits.perAssetCap;
      breaches?.push({ ts, step, kind: 'per_asset_cap', subject: symbols[s]!, model: null, value: w, limit: limits.perAssetCap, action: `clipped ${fmt(w)} → ${fmt(capped)}` });
      out[s] = capped;
    } else out[s] = w;
  }
  for (let k = 0; k < limits.classCaps.length; k++) {
    const { key, cap } = limits.classCaps[k]!;
    const members = lc.classMembers[k]!;
    let gross = 0;
    for (let i = 0; i < members.length; i++) gross += Math.abs(out[members[i]!]!);
    if (gross > cap + 1e-12) {
      const f = cap / gross;
      for (let i = 0; i < members.length; i++) out[members[i]!]! *= f;
      breaches?.push({ ts, step, kind: 'class_cap', subject: key, model: null, value: gross, limit: cap, action: `class scaled × ${fmt(f)}` });
    }
  }
  let gross = 0;
  for (let s = 0; s < n; s++) gross += Math.abs(out[s]!);
  if (gross > limits.maxGross + 1e-12) {
    const f = limits.maxGross / gross;
    for (let s = 0; s < n; s++) out[s]! *= f;
    breaches?.push({ ts, step, kind: 'max_gross', subject: null, model: null, value: gross, limit: limits.maxGross, action: `all scaled × ${fmt(f)}` });
  }
  if (mode === MODE_REDUCED) {
    for (let s = 0; s < n; s++) out[s]! *= limits.reduceScale;
  } else if (mode === MODE_HALT) {
    if (killed || limits.haltAction === 'flatten') {
      out.fill(0);
    } else {
      for (let s = 0; s < n; s++) {
        const w = out[s]!;
        const c = current[s]!;
        const clamped = w * c <= 0 ? 0 : w > 0 ? Math.min(w, c) : Math.max(w, c);
        if (breaches !== null && Math.abs(clamped - w) > 1e-12) {
          breaches.push({ ts, step, kind: 'halt_no_new_entries', subject: symbols[s]!, model: null, value: w, limit: c, action: `held at ${fmt(clamped)} (no new entries)` });
        }
        out[s] = clamped;
      }
    }
  }
}

/**
 * Per-trade risk cap (seed 003 §5.3): with a stop, the loss if stopped out is
 * |w| × |price − stop| / price of NAV; it must not exceed per_trade_risk, so
 * |w| ≤ per_trade_risk × price / |price − stop|. Returns the capped weight (unchanged without a stop).
 */
export function capPerTradeRisk(weight: number, price: number, stop: number, perTradeRisk: number): number {
  if (weight === 0 || !(stop > 0) || !(price > 0)) return weight;
  const dist = Math.abs(price - stop) / price;
  if (dist === 0) return 0;
  const maxW = perTradeRisk / dist;
  return Math.abs(weight) > maxW ? (weight > 0 ? maxW : -maxW) : weight;
}
