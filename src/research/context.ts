/**
 * Per-bar context for conditional hypotheses, each value known at the bar's close:
 *
 *   trend: sign of log(close_t / close_{t−D}), D = one week of bars (5 bars on daily data) → up / down
 *   vol:   short realised vol (one day of bars; 5 on daily data) against long (ten times as many):
 *          ratio < 0.8 low, > 1.25 high, else mid
 *   regime (synthetic only, for the stability check): the truth's regime label
 *
 * Codes are small integers; 255 = unknown (warm-up or NaN).
 */
import { DAY } from '../core/time.js';
import type { AssetBars } from './types.js';

export const UNKNOWN = 255;
export const TREND_NAMES = ['down', 'up'] as const;
export const VOL_NAMES = ['low', 'mid', 'high'] as const;

export interface BarContext {
  readonly trend: Uint8Array;
  readonly vol: Uint8Array;
}

export function barContext(a: AssetBars): BarContext {
  const n = a.close.length;
  const daily = a.barMs >= DAY;
  const barsPerDay = daily ? 5 : Math.max(1, Math.round(DAY / a.barMs));
  const trendBars = daily ? 5 : 7 * barsPerDay;
  const shortBars = barsPerDay;
  const longBars = 10 * barsPerDay;
  const trend = new Uint8Array(n).fill(UNKNOWN);
  const vol = new Uint8Array(n).fill(UNKNOWN);
  const sq = new Float64Array(n + 1);
  for (let t = 0; t < n; t++) {
    const r = t > 0 ? Math.log(a.close[t]! / a.close[t - 1]!) : 0;
    sq[t + 1] = sq[t]! + (Number.isFinite(r) ? r * r : 0);
  }
  for (let t = 0; t < n; t++) {
    if (t >= trendBars) {
      const r = Math.log(a.close[t]! / a.close[t - trendBars]!);
      if (Number.isFinite(r)) trend[t] = r > 0 ? 1 : 0;
    }
    if (t >= longBars) {
      const s = (sq[t + 1]! - sq[t + 1 - shortBars]!) / shortBars;
      const l = (sq[t + 1]! - sq[t + 1 - longBars]!) / longBars;
      if (l > 0) {
        const ratio = Math.sqrt(s / l);
        vol[t] = ratio < 0.8 ? 0 : ratio > 1.25 ? 2 : 1;
      }
    }
  }
  return { trend, vol };
}
