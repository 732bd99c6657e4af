/**
 * Crypto regime (seed 003 §6.3): RISK_ON when the daily close is above its `ma_days` simple moving
 * average and the `momentum_days` return c_t / c_{t−w} − 1 is positive; RISK_OFF otherwise.
 * Warm-up (NaN) for max(ma_days − 1, momentum_days) rows. Daily closes of intraday crypto bars are
 * the last close of each UTC day, known when that bar closes.
 */
import { simpleReturns, sma } from '../../features/index.js';
import type { RegimeConfig } from '../../config/sections/regime.js';
import type { DailySeries } from '../daily.js';
import type { DimensionSeries } from './series.js';

export function cryptoRegime(daily: DailySeries, cfg: RegimeConfig['crypto']): DimensionSeries {
  const { close } = daily;
  const n = close.length;
  const ma = sma(close, cfg.ma_days);
  const mom = simpleReturns(close, cfg.momentum_days);
  const code = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = close[i]!;
    const m = ma[i]!;
    const r = mom[i]!;
    code[i] = Number.isFinite(c) && Number.isFinite(m) && Number.isFinite(r) ? (c > m && r > 0 ? 1 : 0) : NaN;
  }
  return {
    knownAt: daily.knownAt,
    code,
    sources: [daily.source],
    method: `${daily.symbol} vs ${cfg.ma_days}d MA, momentum ${cfg.momentum_days}d`,
  };
}
