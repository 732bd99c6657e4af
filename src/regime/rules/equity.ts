/**
 * Equity regime (seed 003 §6.3): with c the daily close, m its `ma_days` simple moving average and
 * R_w = c_t / c_{t−w} − 1 the momentum over each of `momentum_days` (6 and 12 months):
 *
 *   BULL    if c > m·(1 + band) and every R_w > 0
 *   BEAR    if c < m·(1 − band) or every R_w < 0
 *   NEUTRAL otherwise (at the MA within the band, or momenta of mixed sign while above it)
 *
 * Warm-up (NaN) until the MA and every momentum exist: max(ma_days − 1, max w) rows. Row i reads
 * closes 0..i only and is known when that day's bar closes.
 */
import { simpleReturns, sma } from '../../features/index.js';
import type { RegimeConfig } from '../../config/sections/regime.js';
import type { DailySeries } from '../daily.js';
import type { DimensionSeries } from './series.js';

const BEAR = 0;
const NEUTRAL = 1;
const BULL = 2;

export function equityRegime(daily: DailySeries, cfg: RegimeConfig['equity']): DimensionSeries {
  const { close } = daily;
  const n = close.length;
  const ma = sma(close, cfg.ma_days);
  const moms = cfg.momentum_days.map((w) => simpleReturns(close, w));
  const code = new Float64Array(n);
  const band = cfg.ma_band;
  for (let i = 0; i < n; i++) {
    const c = close[i]!;
    const m = ma[i]!;
    let pos = true;
    let neg = true;
    let warm = Number.isFinite(c) && Number.isFinite(m);
    for (const r of moms) {
      const v = r[i]!;
      if (!Number.isFinite(v)) warm = false;
      if (!(v > 0)) pos = false;
      if (!(v < 0)) neg = false;
    }
    if (!warm) {
      code[i] = NaN;
      continue;
    }
    const above = c > m * (1 + band);
    const below = c < m * (1 - band);
    code[i] = above && pos ? BULL : below || neg ? BEAR : NEUTRAL;
  }
  return {
    knownAt: daily.knownAt,
    code,
    sources: [daily.source],
    method: `${daily.symbol} vs ${cfg.ma_days}d MA, momentum ${cfg.momentum_days.join('/')}d`,
  };
}
