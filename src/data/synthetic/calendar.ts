/** UTC calendar helpers for the synthetic market (no time zones: the US session is fixed in UTC). */
import { DAY, HOUR, MINUTE } from '../../core/time.js';

/** Day of week of a UTC day start, 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export const dayOfWeek = (dayMs: number): number => (((Math.floor(dayMs / DAY) + 4) % 7) + 7) % 7;

export const isWeekday = (dayMs: number): boolean => {
  const d = dayOfWeek(dayMs);
  return d !== 0 && d !== 6;
};

/** Weekday starts (UTC midnight) in [fromMs, toMs). */
export function weekdays(fromMs: number, toMs: number): number[] {
  const out: number[] = [];
  for (let d = Math.floor(fromMs / DAY) * DAY; d < toMs; d += DAY) if (isWeekday(d)) out.push(d);
  return out;
}

/** US regular session in UTC (EST offsets all year: a documented simplification, no DST). */
export const SESSION_OPEN = 14 * HOUR + 30 * MINUTE;
export const SESSION_SPLIT = 18 * HOUR + 30 * MINUTE;
export const SESSION_CLOSE = 21 * HOUR;
/** 30-minute steps in the first (14:30–18:30) and second (18:30–21:00) session bar. */
export const STEPS_FIRST = 8;
export const STEPS_SECOND = 5;
export const STEPS_PER_SESSION = STEPS_FIRST + STEPS_SECOND;

/** First day of the month after the one containing `ms`. */
export function nextMonthStart(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

export function monthStart(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/** First weekday on or after a day start. */
export function firstWeekdayFrom(dayMs: number): number {
  let d = dayMs;
  while (!isWeekday(d)) d += DAY;
  return d;
}
