/**
 * Gap detection on a dataset's own calendar (calendar.ts). A gap is a run of expected bars that
 * are missing between two present bars; its length is counted in bars of the dataset's interval.
 * Coverage = present / (present + missing).
 */
import { DAY } from '../../core/time.js';
import { weekdaysBetween } from './calendar.js';
import { bucketOf, type Grid } from './buckets.js';

export interface Gap {
  /** Start of the last bar before the gap and of the first bar after it (epoch ms). */
  readonly after: number;
  readonly before: number;
  /** Missing bars. */
  readonly missing: number;
}

export interface GapReport {
  readonly gaps: readonly Gap[];
  readonly missing: number;
  readonly coverage: number;
  readonly longest: Gap | null;
}

export type Calendar =
  | { readonly kind: 'continuous'; readonly grid: Grid }
  | { readonly kind: 'weekdays'; readonly holidayWeekdays: number }
  | { readonly kind: 'session'; readonly step: number; readonly openOffset: number; readonly closeOffset: number; readonly holidayWeekdays: number };

const monthIndex = (t: number): number => {
  const d = new Date(t);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
};

/** Missing bars between consecutive present bars at a (earlier) and b. */
function missingBetween(cal: Calendar, a: number, b: number): number {
  switch (cal.kind) {
    case 'continuous':
      if (cal.grid.kind === 'month') return Math.max(0, monthIndex(b) - monthIndex(a) - 1);
      if (cal.grid.kind === 'fixed') return Math.max(0, Math.round((b - a) / cal.grid.step) - 1);
      return 0;
    case 'weekdays': {
      const w = weekdaysBetween(a, b);
      return w > cal.holidayWeekdays ? w : 0;
    }
    case 'session': {
      const perDay = Math.ceil((cal.closeOffset - cal.openOffset) / cal.step);
      const grid: Grid = { kind: 'session', step: cal.step, openOffset: cal.openOffset, closeOffset: cal.closeOffset };
      const da = Math.floor(a / DAY) * DAY;
      const db = Math.floor(b / DAY) * DAY;
      const ka = Math.round((bucketOf(grid, a) - da - cal.openOffset) / cal.step);
      const kb = Math.round((bucketOf(grid, b) - db - cal.openOffset) / cal.step);
      if (da === db) return Math.max(0, kb - ka - 1);
      const w = weekdaysBetween(a, b);
      return Math.max(0, perDay - 1 - ka) + Math.max(0, kb) + (w > cal.holidayWeekdays ? w * perDay : 0);
    }
  }
}

/** Gaps of sorted, unique bar starts `ts` on `cal`. O(n). */
export function findGaps(ts: Float64Array, cal: Calendar): GapReport {
  const gaps: Gap[] = [];
  let missing = 0;
  let longest: Gap | null = null;
  for (let i = 1; i < ts.length; i++) {
    const m = missingBetween(cal, ts[i - 1]!, ts[i]!);
    if (m > 0) {
      const g = { after: ts[i - 1]!, before: ts[i]!, missing: m };
      gaps.push(g);
      missing += m;
      if (!longest || m > longest.missing) longest = g;
    }
  }
  const coverage = ts.length === 0 ? 0 : ts.length / (ts.length + missing);
  return { gaps, missing, coverage, longest };
}
