/** Bar intervals and UTC time helpers. All timestamps are epoch milliseconds UTC. */
import { UserError } from './errors.js';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export type Interval = '1m' | '5m' | '15m' | '30m' | '1h' | '4h' | '8h' | '1d' | '1w' | '1M';

export const INTERVALS: readonly Interval[] = ['1m', '5m', '15m', '30m', '1h', '4h', '8h', '1d', '1w', '1M'];

/** Nominal length of an interval in ms ('1M' is nominally 30 days; calendar months are handled by callers). */
export function intervalMs(interval: Interval): number {
  switch (interval) {
    case '1m': return MINUTE;
    case '5m': return 5 * MINUTE;
    case '15m': return 15 * MINUTE;
    case '30m': return 30 * MINUTE;
    case '1h': return HOUR;
    case '4h': return 4 * HOUR;
    case '8h': return 8 * HOUR;
    case '1d': return DAY;
    case '1w': return 7 * DAY;
    case '1M': return 30 * DAY;
  }
}

export function parseInterval(s: string): Interval {
  if ((INTERVALS as readonly string[]).includes(s)) return s as Interval;
  throw new UserError(`unknown interval '${s}', expected one of ${INTERVALS.join(', ')}`);
}

/** ISO 8601 UTC: '2024-03-11T08:00:00Z' (milliseconds shown only when non-zero). */
export function isoUtc(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const s = new Date(ms).toISOString();
  return s.endsWith('.000Z') ? `${s.slice(0, -5)}Z` : s;
}

/** Compact UTC for tables: '2024-03-11 08:00' (date only when the time is midnight and `dateOnly`). */
export function shortUtc(ms: number, dateOnly = false): string {
  if (!Number.isFinite(ms)) return String(ms);
  const s = new Date(ms).toISOString();
  if (dateOnly) return s.slice(0, 10);
  return `${s.slice(0, 10)} ${s.slice(11, 16)}`;
}

/** Parse '2024-01-01', '2024-01-01T08:00:00Z' or epoch ms into epoch ms UTC (naive strings are UTC). */
export function parseUtc(s: string): number {
  if (/^-?\d+$/.test(s)) return Number(s);
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : /[zZ]|[+-]\d{2}:?\d{2}$/.test(s) ? s : `${s}Z`;
  const t = Date.parse(iso.replace(' ', 'T'));
  if (Number.isNaN(t)) throw new UserError(`cannot read '${s}' as a UTC time (try 2024-01-31 or 2024-01-31T08:00:00Z)`);
  return t;
}

/** Floor a timestamp to a multiple of `step` ms since the epoch. */
export const floorTo = (ms: number, step: number): number => Math.floor(ms / step) * step;
