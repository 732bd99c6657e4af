import { intervalMs, type Interval } from '../../core/time.js';
import { YEAR_MS } from './types.js';

/**
 * Bars per year used to annualise per-bar statistics (Sharpe, volatility, Sortino, turnover).
 *
 * Derivation: the nominal factor of a bar interval is `YEAR_MS / intervalMs(interval)` with a
 * 365.25-day year: 2191.5 for 4h, 35 064 for 15m, 365.25 for 1d. That is right for markets that
 * trade around the clock (crypto) but overstates session markets: SPY has about 252 daily bars a
 * year, not 365. So when the timestamps span a usable stretch (at least 2 bars and 7 days) we use
 * the observed density `(n - 1) / (span / YEAR_MS)`, which equals the nominal factor for gap-free
 * 24/7 data and about 252 for US-equity daily bars; otherwise the nominal factor.
 *
 * @param ts bar times (epoch ms, ascending)
 * @param interval the clock's bar interval
 * @returns a positive number of bars per year
 */
export function annualisationFactor(ts: Float64Array, interval: Interval): number {
  const nominal = YEAR_MS / intervalMs(interval);
  const n = ts.length;
  if (n < 2) return nominal;
  const span = ts[n - 1]! - ts[0]!;
  if (!(span >= 7 * 24 * 3600 * 1000)) return nominal;
  return (n - 1) / (span / YEAR_MS);
}
