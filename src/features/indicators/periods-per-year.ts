import { HOUR, intervalMs, type Interval } from '../../core/time.js';

/** Which clock a market trades on: around the clock (crypto) or an equity session. */
export type TradingCalendar = '24/7' | 'equity';

/**
 * Bars per year, the annualisation factor for volatility:
 * - `24/7` (crypto): 365 days × bars per day: 1d → 365, 4h → 2190, 1h → 8760, 15m → 35040,
 *   1w → 52.14 (365/7), 1M → 12.
 * - `equity`: 252 sessions × bars per 6.5 h session, a partial last bar counting as a bar
 *   (ceil): 1d → 252, 4h → 504 (two bars a session), 1h → 1764, 15m → 6552, 1w → 52, 1M → 12.
 */
export function periodsPerYear(interval: Interval, calendar: TradingCalendar): number {
  if (interval === '1M') return 12;
  if (calendar === '24/7') {
    return (365 * 24 * HOUR) / intervalMs(interval);
  }
  if (interval === '1w') return 52;
  if (interval === '1d') return 252;
  return 252 * Math.ceil((6.5 * HOUR) / intervalMs(interval));
}
