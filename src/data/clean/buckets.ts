/**
 * Bucket starts: which target bar each source timestamp belongs to. All grids are UTC:
 * fixed steps are aligned to the epoch (15m, 1h, 4h at 00/04/08…, 1d at midnight), weeks start on
 * Monday 00:00, months on the 1st. Session grids (equity intraday) start at the session's open each
 * day, so a 4h bar never spans two sessions.
 */
import { DAY, intervalMs, type Interval } from '../../core/time.js';

/** Monday 1970-01-05 00:00 UTC: weeks are aligned to it. */
export const WEEK_ANCHOR = 4 * DAY;

export type Grid =
  | { readonly kind: 'fixed'; readonly step: number; readonly anchor: number }
  | { readonly kind: 'month' }
  | { readonly kind: 'session'; readonly step: number; readonly openOffset: number; readonly closeOffset: number }
  | { readonly kind: 'session-day'; readonly closeOffset: number };

export function gridFor(interval: Interval): Grid {
  if (interval === '1M') return { kind: 'month' };
  return { kind: 'fixed', step: intervalMs(interval), anchor: interval === '1w' ? WEEK_ANCHOR : 0 };
}

export function monthStart(t: number): number {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

export function nextMonthStart(t: number): number {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** Start of the bucket holding `t`. */
export function bucketOf(grid: Grid, t: number): number {
  switch (grid.kind) {
    case 'fixed':
      return Math.floor((t - grid.anchor) / grid.step) * grid.step + grid.anchor;
    case 'month':
      return monthStart(t);
    case 'session': {
      const day = Math.floor(t / DAY) * DAY;
      return day + grid.openOffset + Math.floor((t - day - grid.openOffset) / grid.step) * grid.step;
    }
    case 'session-day':
      return Math.floor(t / DAY) * DAY;
  }
}

/** End of the bucket starting at `start` (for session grids, capped at the session close). */
export function bucketEnd(grid: Grid, start: number): number {
  switch (grid.kind) {
    case 'fixed':
      return start + grid.step;
    case 'month':
      return nextMonthStart(start);
    case 'session': {
      const day = Math.floor(start / DAY) * DAY;
      return Math.min(start + grid.step, day + grid.closeOffset);
    }
    case 'session-day':
      return start + grid.closeOffset;
  }
}

/** Bucket start of every timestamp. O(n). */
export function bucketStarts(grid: Grid, ts: Float64Array): Float64Array {
  const out = new Float64Array(ts.length);
  for (let i = 0; i < ts.length; i++) out[i] = bucketOf(grid, ts[i]!);
  return out;
}
