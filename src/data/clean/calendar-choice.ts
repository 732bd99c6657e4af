/** Which calendar a bar dataset is judged on (see calendar.ts and gaps.ts). */
import { DAY, intervalMs, type Interval } from '../../core/time.js';
import type { AssetClass } from '../../core/table.js';
import { gridFor } from './buckets.js';
import { SESSION_CLASSES, detectSession, tradesWeekdaysOnly, type SessionTimes } from './calendar.js';
import type { Calendar } from './gaps.js';

export function calendarFor(
  ts: Float64Array,
  interval: Interval,
  assetClass: AssetClass | undefined,
  holidayWeekdays: number,
  session?: SessionTimes,
): Calendar {
  const step = intervalMs(interval);
  if (interval === '1w' || interval === '1M') return { kind: 'continuous', grid: gridFor(interval) };
  const sessionLike = (assetClass !== undefined && SESSION_CLASSES.has(assetClass)) || tradesWeekdaysOnly(ts);
  if (!sessionLike) return { kind: 'continuous', grid: gridFor(interval) };
  if (step >= DAY) return { kind: 'weekdays', holidayWeekdays };
  const s = session ?? detectSession(ts, step);
  return { kind: 'session', step, openOffset: s.openOffset, closeOffset: s.closeOffset, holidayWeekdays };
}

export function describeCalendar(cal: Calendar): string {
  const hhmm = (ms: number): string => `${String(Math.floor(ms / 3_600_000)).padStart(2, '0')}:${String(Math.floor((ms % 3_600_000) / 60_000)).padStart(2, '0')}`;
  switch (cal.kind) {
    case 'continuous':
      return cal.grid.kind === 'month' ? 'every month' : cal.grid.kind === 'fixed' && cal.grid.anchor ? 'every week (Monday)' : '24/7';
    case 'weekdays':
      return `weekdays (holidays up to ${cal.holidayWeekdays} weekdays are not gaps)`;
    case 'session':
      return `weekday sessions ${hhmm(cal.openOffset)}–${hhmm(cal.closeOffset)} UTC`;
  }
}
