/**
 * Calendars decide which bars a dataset should have, so gaps and coverage mean the same thing for a
 * 24/7 crypto series and a stock that trades on weekdays only.
 *
 * - 'continuous': every bucket of the grid (crypto, fx).
 * - 'weekdays': daily bars on Monday–Friday; a run of up to `holidayWeekdays` missing weekdays is a
 *   holiday, not a gap.
 * - 'session': intraday bars inside a daily trading session (open/close offsets from midnight UTC),
 *   weekdays only, with the same holiday rule.
 */
import { DAY } from '../../core/time.js';

/** 0 = Sunday … 6 = Saturday, for a UTC timestamp. */
export const weekdayOf = (t: number): number => (Math.floor(t / DAY) + 4) % 7;

/** Weekdays (Mon–Fri) strictly between day starts a < b. O(1). */
export function weekdaysBetween(a: number, b: number): number {
  const da = Math.floor(a / DAY);
  const db = Math.floor(b / DAY);
  if (db - da <= 1) return 0;
  return weekdaysInDayRange(da + 1, db - 1);
}

/** Weekdays in the inclusive range of epoch-day numbers [d0, d1]. */
export function weekdaysInDayRange(d0: number, d1: number): number {
  if (d1 < d0) return 0;
  const days = d1 - d0 + 1;
  const full = Math.floor(days / 7);
  let count = full * 5;
  for (let d = d0 + full * 7; d <= d1; d++) {
    const w = (d + 4) % 7;
    if (w !== 0 && w !== 6) count++;
  }
  return count;
}

/** True when no timestamp falls on a Saturday or Sunday (UTC) and the data spans at least two weeks. */
export function tradesWeekdaysOnly(ts: Float64Array): boolean {
  if (ts.length < 10 || ts[ts.length - 1]! - ts[0]! < 14 * DAY) return false;
  for (let i = 0; i < ts.length; i++) {
    const w = weekdayOf(ts[i]!);
    if (w === 0 || w === 6) return false;
  }
  return true;
}

export interface SessionTimes {
  /** Session open and close as ms after midnight UTC (close is the last bar's end). */
  readonly openOffset: number;
  readonly closeOffset: number;
}

/**
 * The trading session of intraday bars: the most common time of day of each day's first bar
 * (open) and of each day's last bar end (close = last ts + source step). Ties go to the earlier
 * open and the later close.
 */
export function detectSession(ts: Float64Array, sourceStep: number): SessionTimes {
  const firsts = new Map<number, number>();
  const lasts = new Map<number, number>();
  let day = NaN;
  let lastOfDay = NaN;
  const bump = (m: Map<number, number>, k: number): void => void m.set(k, (m.get(k) ?? 0) + 1);
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i]!;
    const d = Math.floor(t / DAY) * DAY;
    if (d !== day) {
      if (!Number.isNaN(day)) bump(lasts, lastOfDay - day + sourceStep);
      bump(firsts, t - d);
      day = d;
    }
    lastOfDay = t;
  }
  if (!Number.isNaN(day)) bump(lasts, lastOfDay - day + sourceStep);
  const best = (m: Map<number, number>, preferLow: boolean): number => {
    let k = NaN;
    let c = -1;
    for (const [key, count] of [...m.entries()].sort((a, b) => (preferLow ? a[0] - b[0] : b[0] - a[0]))) if (count > c) [k, c] = [key, count];
    return k;
  };
  return { openOffset: best(firsts, true), closeOffset: Math.min(DAY, best(lasts, false)) };
}

/** Asset classes that trade in sessions on weekdays. */
export const SESSION_CLASSES: ReadonlySet<string> = new Set(['equity', 'etf', 'index']);
