/**
 * Volatility regime (seed 003 §6.3: "HIGH: VIX > threshold, LOW/NORMAL below").
 *
 * Realised: σ_t = sd(ln c_i/c_{i−1}, i = t−w+1..t) · √annualization (sample sd, w = window_days).
 *   'level' mode:      LOW if σ_t < low, HIGH if σ_t > high, NORMAL otherwise.
 *   'percentile' mode: ρ_t = rank of σ_t among σ_{t−P+1..t} (P = percentile_window_days, ties
 *                      averaged); LOW if ρ_t < low_percentile, HIGH if ρ_t > high_percentile.
 * Implied: v_t = the VIX-like value; LOW if v_t < implied_low, HIGH if v_t > implied_high.
 * Warm-up NaN: w rows (level), w + P − 1 rows (percentile). Row t reads rows ≤ t only.
 */
import { logReturns, rollingPercentileRank, rollingStd } from '../../features/index.js';
import type { RegimeConfig } from '../../config/sections/regime.js';
import type { DailySeries } from '../daily.js';
import type { DimensionSeries } from './series.js';

const LOW = 0;
const NORMAL = 1;
const HIGH = 2;

function classify(x: Float64Array, lo: number, hi: number): Float64Array {
  const code = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    code[i] = Number.isFinite(v) ? (v < lo ? LOW : v > hi ? HIGH : NORMAL) : NaN;
  }
  return code;
}

/** Annualised realised volatility of daily log returns (sample sd over `window` returns). */
export function realisedVol(close: Float64Array, window: number, annualization: number): Float64Array {
  const sd = rollingStd(logReturns(close, 1), window);
  const k = Math.sqrt(annualization);
  for (let i = 0; i < sd.length; i++) sd[i] = sd[i]! * k;
  return sd;
}

export function realisedVolRegime(daily: DailySeries, cfg: RegimeConfig['vol']): DimensionSeries {
  const vol = realisedVol(daily.close, cfg.window_days, cfg.annualization);
  const label = `realised ${cfg.window_days}d vol of ${daily.source}`;
  if (cfg.mode === 'percentile') {
    const rank = rollingPercentileRank(vol, cfg.percentile_window_days);
    return {
      knownAt: daily.knownAt,
      code: classify(rank, cfg.low_percentile, cfg.high_percentile),
      sources: [daily.source],
      method: `${label}, percentile in ${cfg.percentile_window_days}d (<${cfg.low_percentile} LOW, >${cfg.high_percentile} HIGH)`,
    };
  }
  return {
    knownAt: daily.knownAt,
    code: classify(vol, cfg.low, cfg.high),
    sources: [daily.source],
    method: `${label} (<${cfg.low} LOW, >${cfg.high} HIGH)`,
  };
}

/** Implied-vol regime from a VIX-like series: `values` known at `knownAt`. */
export function impliedVolRegime(knownAt: Float64Array, values: Float64Array, source: string, cfg: RegimeConfig['vol']): DimensionSeries {
  return {
    knownAt,
    code: classify(values, cfg.implied_low, cfg.implied_high),
    sources: [source],
    method: `implied vol ${source} (<${cfg.implied_low} LOW, >${cfg.implied_high} HIGH)`,
  };
}
