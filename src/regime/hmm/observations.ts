/**
 * HMM observations: one row per day of a DailySeries, with the configured features
 *
 *   return            r_i = ln(c_i / c_{i−1})
 *   realized_vol      σ_i = √(RV_i · D) from intraday bars (RV_i = the day's sum of squared intrabar
 *                     log returns), or the sample sd of the last `vol_window_days` daily returns · √D
 *                     for a daily source; D = 365 (crypto) or 252 (others)
 *   log_realized_vol  ln σ_i (closer to Gaussian; the default)
 *
 * Rows before the first day with every feature finite are dropped; a later non-finite value makes
 * the row a missing observation (NaN). Row i reads only days ≤ i.
 */
import { UserError } from '../../core/errors.js';
import type { HmmConfig } from '../../config/sections/regime.js';
import { logReturns, rollingStd } from '../../features/index.js';
import type { DailySeries } from '../daily.js';

export interface HmmObservations {
  readonly source: string;
  readonly symbol: string;
  readonly features: readonly string[];
  readonly n: number;
  readonly d: number;
  /** n×d, row-major. */
  readonly x: Float64Array;
  readonly dayTs: Float64Array;
  readonly knownAt: Float64Array;
  /** Simple close-to-close return of each row's day (for the per-state return table). */
  readonly dayReturn: Float64Array;
  readonly daysPerYear: number;
}

export function hmmObservations(daily: DailySeries, cfg: HmmConfig): HmmObservations {
  const m = daily.close.length;
  const r = logReturns(daily.close, 1);
  const vol = new Float64Array(m);
  if (daily.intraday) {
    for (let i = 0; i < m; i++) vol[i] = Math.sqrt(daily.rv[i]! * daily.daysPerYear);
  } else {
    rollingStd(r, cfg.vol_window_days, 1, vol);
    const k = Math.sqrt(daily.daysPerYear);
    for (let i = 0; i < m; i++) vol[i] = vol[i]! * k;
  }
  const d = cfg.features.length;
  const cols = cfg.features.map((f) => {
    if (f === 'return') return r;
    if (f === 'realized_vol') return vol;
    const out = new Float64Array(m);
    for (let i = 0; i < m; i++) out[i] = Math.log(vol[i]!);
    return out;
  });
  let first = -1;
  for (let i = 0; i < m && first < 0; i++) if (cols.every((c) => Number.isFinite(c[i]!))) first = i;
  if (first < 0) throw new UserError(`has no day with every HMM feature (${cfg.features.join(', ')}) defined; it has ${m} days`, daily.source);
  const n = m - first;
  const x = new Float64Array(n * d);
  const dayReturn = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    const i = t + first;
    for (let f = 0; f < d; f++) {
      const v = cols[f]![i]!;
      x[t * d + f] = Number.isFinite(v) ? v : NaN;
    }
    dayReturn[t] = daily.close[i]! / daily.close[i - 1]! - 1;
  }
  return {
    source: daily.source,
    symbol: daily.symbol,
    features: cfg.features,
    n,
    d,
    x,
    dayTs: daily.dayTs.slice(first),
    knownAt: daily.knownAt.slice(first),
    dayReturn,
    daysPerYear: daily.daysPerYear,
  };
}
