import { DAY, intervalMs, type Interval } from '../../core/time.js';
import type { AssetClass } from '../../core/table.js';
import { YEAR_MS } from './types.js';

/**
 * Bars per year used to annualise per-bar statistics on a regular clock (Sharpe, volatility,
 * Sortino, PSR's sampling frequency).
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

/** Asset classes that trade every calendar day (their NAV moves on weekends). */
const AROUND_THE_CLOCK: ReadonlySet<AssetClass> = new Set<AssetClass>(['crypto_perp', 'crypto_spot']);

/** Daily returns per year: every calendar day when a 24/7 asset is held, else equity sessions. */
export const CALENDAR_DAYS_PER_YEAR = 365;
export const TRADING_DAYS_PER_YEAR = 252;

/**
 * How the return-based metrics (Sharpe, Sortino, volatility, PSR, CAGR) are annualised.
 *
 * - `bars`: a regular clock of daily or longer bars with at most one step per UTC day. Returns are
 *   the per-bar returns, annualised by `annualisationFactor` (the observed bar density: about 252
 *   for US-equity daily bars, 365.25 for crypto daily bars).
 * - `daily`: an intraday clock, or a daily clock with more than one step in some UTC day (the union
 *   of crypto closes at 00:00 and US-session closes at 21:00, say). One periods-per-year figure
 *   cannot describe such a clock: its steps are irregular (six 4h crypto closes a day, a US-session
 *   close on weekdays only, none at the weekend for equities). The NAV is sampled at each UTC day
 *   close instead (`dailyCloses`), and the returns of that daily series are annualised by
 *   - 365 per year (`calendar: '24/7'`): any crypto asset (crypto_spot, crypto_perp) in the run, so
 *     the NAV moves every calendar day; every calendar day from the first to the last is sampled
 *     (a day without a step repeats the last NAV);
 *   - 252 per year (`calendar: 'equity'`): equities, ETFs, indices, fx and the rest; only the UTC
 *     days that have a step (the trading days) are sampled.
 */
export interface AnnualisationBasis {
  readonly kind: 'bars' | 'daily';
  /** Return observations per year. */
  readonly periodsPerYear: number;
  /** Which days are sampled on the daily basis (for `bars` the calendar of the assets, informational). */
  readonly calendar: '24/7' | 'equity';
  /** One line for the report, e.g. "daily calendar returns (NAV at each UTC day close), 365 per year". */
  readonly label: string;
}

/** '24/7' when any asset trades every calendar day (crypto), else 'equity' (sessions on weekdays). */
export function calendarOfClasses(classes: Iterable<AssetClass>): '24/7' | 'equity' {
  for (const c of classes) if (AROUND_THE_CLOCK.has(c)) return '24/7';
  return 'equity';
}

/**
 * The UTC day whose close a step at `t` belongs to: days run (d·DAY, (d+1)·DAY], so a bar closing
 * at exactly 00:00 UTC closes the day before (a crypto daily bar of day d closes at (d+1)·DAY).
 */
export const closingDay = (t: number): number => Math.ceil(t / DAY) - 1;

/** True when no two steps close the same UTC day. */
function atMostOneStepPerDay(ts: Float64Array): boolean {
  for (let i = 1; i < ts.length; i++) if (closingDay(ts[i]!) === closingDay(ts[i - 1]!)) return false;
  return true;
}

/**
 * The annualisation basis of a run: `bars` for a regular clock of daily or longer bars (at most one
 * step per UTC day), else `daily` with the calendar of its assets (see AnnualisationBasis).
 */
export function annualisationBasis(ts: Float64Array, interval: Interval, classes: Iterable<AssetClass>): AnnualisationBasis {
  const calendar = calendarOfClasses(classes);
  if (intervalMs(interval) >= DAY && atMostOneStepPerDay(ts)) {
    const periodsPerYear = annualisationFactor(ts, interval);
    return { kind: 'bars', periodsPerYear, calendar, label: `${interval} bar returns, ${periodsPerYear.toFixed(1)} bars per year (observed)` };
  }
  return calendar === '24/7'
    ? { kind: 'daily', periodsPerYear: CALENDAR_DAYS_PER_YEAR, calendar, label: `daily calendar returns (NAV at each UTC day close), ${CALENDAR_DAYS_PER_YEAR} per year` }
    : { kind: 'daily', periodsPerYear: TRADING_DAYS_PER_YEAR, calendar, label: `daily returns on trading days (NAV at each UTC day close), ${TRADING_DAYS_PER_YEAR} per year` };
}

/**
 * The NAV at each UTC day close: for every day from the first step's to the last step's, the NAV of
 * the day's last step, stamped at the day's close ((d+1)·DAY, see `closingDay`). With
 * `calendar: '24/7'` a day without a step repeats the previous NAV; with 'equity' it is left out.
 * O(n), one pass.
 */
export function dailyCloses(ts: Float64Array, equity: Float64Array, calendar: '24/7' | 'equity'): { ts: Float64Array; equity: Float64Array } {
  return atCloseRows(dailyCloseRows(ts, calendar), equity);
}

/** The day-close rows of a clock (`dailyCloseRows`), computed once and applied to many NAV series. */
export interface CloseRows {
  readonly ts: Float64Array;
  readonly rows: Int32Array;
}

/** The NAV at each day close of `rows` (`dailyCloses` with the rows already known). */
export function atCloseRows(rows: CloseRows, equity: Float64Array): { ts: Float64Array; equity: Float64Array } {
  const r = rows.rows;
  const outEq = new Float64Array(r.length);
  for (let k = 0; k < r.length; k++) outEq[k] = equity[r[k]!]!;
  return { ts: rows.ts.slice(), equity: outEq };
}

/**
 * Which step's NAV each UTC day close takes (`dailyCloses`): the day-close times and, per day, the
 * row of its last step (a day without a step, on the 24/7 calendar, the previous day's row). A
 * function of the times alone: the trials of a sweep on one clock compute it once.
 *
 * On ascending times (every clock) a day's last step is found by a galloping search over the steps
 * (`closingDay` never decreases along them), so a 1M-step minute clock costs a few dozen
 * `closingDay` calls per day instead of two per step; other times are walked step by step. The
 * rows are the same either way: each is the last step of a run of steps closing the same day.
 */
export function dailyCloseRows(ts: Float64Array, calendar: '24/7' | 'equity'): CloseRows {
  const n = ts.length;
  if (n === 0) return { ts: new Float64Array(0), rows: new Int32Array(0) };
  const firstDay = closingDay(ts[0]!);
  const lastDay = closingDay(ts[n - 1]!);
  const cap = calendar === '24/7' ? lastDay - firstDay + 1 : Math.min(n, lastDay - firstDay + 1);
  const outTs = new Float64Array(cap);
  const rows = new Int32Array(cap);
  const ascending = isAscending(ts);
  let k = 0;
  let day = firstDay;
  for (let i = 0; i < n; i++) {
    const d = closingDay(ts[i]!);
    if (ascending) i = lastStepOfDay(ts, i, d);
    else if (i + 1 < n && closingDay(ts[i + 1]!) === d) continue; // not the day's last step
    if (calendar === '24/7') {
      for (; day < d; day++) {
        outTs[k] = (day + 1) * DAY;
        rows[k] = rows[k - 1]!; // no step this day: the NAV is unchanged (k > 0: firstDay has a step)
        k++;
      }
    }
    outTs[k] = (d + 1) * DAY;
    rows[k] = i;
    k++;
    day = d + 1;
  }
  return { ts: outTs.subarray(0, k), rows: rows.subarray(0, k) };
}

/** True when no time is below the one before it (and none is NaN). */
function isAscending(ts: Float64Array): boolean {
  for (let i = 1; i < ts.length; i++) if (!(ts[i]! >= ts[i - 1]!)) return false;
  return true;
}

/**
 * On ascending times, the last step from i on that closes day d (step i does): gallop forward by
 * doubling steps while the day is still d, then halve back to the boundary.
 */
function lastStepOfDay(ts: Float64Array, i: number, d: number): number {
  const n = ts.length;
  let lo = i; // closes day d
  let step = 1;
  while (lo + step < n && closingDay(ts[lo + step]!) === d) {
    lo += step;
    step *= 2;
  }
  let hi = Math.min(n, lo + step); // first step known past day d (or n)
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (closingDay(ts[mid]!) === d) lo = mid;
    else hi = mid;
  }
  return lo;
}
