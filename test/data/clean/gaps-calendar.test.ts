import { describe, it, expect } from 'vitest';
import { findGaps } from '../../../src/data/clean/gaps.js';
import { weekdaysBetween, weekdaysInDayRange, detectSession, tradesWeekdaysOnly } from '../../../src/data/clean/calendar.js';
import { gridFor, bucketOf, bucketEnd, WEEK_ANCHOR } from '../../../src/data/clean/buckets.js';
import { resolveTargets } from '../../../src/data/clean/targets.js';

const DAY = 86_400_000;
const H = 3_600_000;
const d = (y: number, m: number, dd: number, h = 0, mi = 0): number => Date.UTC(y, m - 1, dd, h, mi);

describe('calendars', () => {
  it('counts weekdays strictly between two days (Fri → Tue skips only Monday)', () => {
    expect(weekdaysBetween(d(2024, 1, 5), d(2024, 1, 9))).toBe(1);
    expect(weekdaysBetween(d(2024, 1, 5), d(2024, 1, 8))).toBe(0);
    expect(weekdaysBetween(d(2024, 1, 1), d(2024, 1, 2))).toBe(0);
    // brute force over a month of pairs
    for (let a = 0; a < 30; a++)
      for (let b = a; b < 40; b++) {
        let n = 0;
        for (let x = a + 1; x < b; x++) {
          const w = new Date(d(2024, 1, 1) + x * DAY).getUTCDay();
          if (w !== 0 && w !== 6) n++;
        }
        expect(weekdaysBetween(d(2024, 1, 1) + a * DAY, d(2024, 1, 1) + b * DAY)).toBe(n);
      }
    expect(weekdaysInDayRange(5, 4)).toBe(0);
  });

  it('a weekday-only series is recognised; a series with a Saturday is not', () => {
    const wk = Float64Array.from([1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 15, 16].map((x) => d(2024, 1, x)));
    expect(tradesWeekdaysOnly(wk)).toBe(true);
    expect(tradesWeekdaysOnly(Float64Array.from([...wk, d(2024, 1, 20)]))).toBe(false);
  });

  it('detects the session from the most common first bar and last bar end', () => {
    const ts: number[] = [];
    for (const day of [2, 3, 4]) for (let m = 0; m < 6; m++) ts.push(d(2024, 1, day, 14, 30) + m * 15 * 60_000);
    ts.splice(6, 1); // Jan 3 starts late once
    const s = detectSession(Float64Array.from(ts), 15 * 60_000);
    expect(s).toEqual({ openOffset: 14.5 * H, closeOffset: 16 * H });
  });
});

describe('gap detection', () => {
  it('24/7 grid: runs of missing buckets, longest, coverage = present / (present + missing)', () => {
    const step = 15 * 60_000;
    const ts = Float64Array.from([0, 1, 2, 5, 6, 10].map((k) => k * step));
    const r = findGaps(ts, { kind: 'continuous', grid: gridFor('15m') });
    expect(r.gaps.map((g) => g.missing)).toEqual([2, 3]);
    expect(r.longest).toEqual({ after: 6 * step, before: 10 * step, missing: 3 });
    expect(r.coverage).toBeCloseTo(6 / 11, 12);
  });

  it('weekday calendar: weekends and short holidays are not gaps, a closed week is', () => {
    const days = [2, 3, 4, 5, 8, 9, 10, 11, 12, 16, 17, 29].map((x) => d(2024, 1, x));
    const r = findGaps(Float64Array.from(days), { kind: 'weekdays', holidayWeekdays: 3 });
    // Jan 15 (Monday holiday) is tolerated; Jan 18 → 29 misses 18,19,22..26 = 7 weekdays
    expect(r.gaps).toEqual([{ after: d(2024, 1, 17), before: d(2024, 1, 29), missing: 7 }]);
  });

  it('monthly grid counts missing calendar months', () => {
    const r = findGaps(Float64Array.from([d(2024, 1, 1), d(2024, 2, 1), d(2024, 5, 1)]), { kind: 'continuous', grid: gridFor('1M') });
    expect(r.gaps.map((g) => g.missing)).toEqual([2]);
  });

  it('session calendar: missing buckets inside a day and at the ends of adjacent days', () => {
    const cal = { kind: 'session' as const, step: H, openOffset: 9 * H, closeOffset: 13 * H, holidayWeekdays: 3 };
    // Tue 09,10,12 (11 missing); Wed 10,11,12 (09 missing) → two gaps of 1
    const ts = [d(2024, 1, 2, 9), d(2024, 1, 2, 10), d(2024, 1, 2, 12), d(2024, 1, 3, 10), d(2024, 1, 3, 11), d(2024, 1, 3, 12)];
    const r = findGaps(Float64Array.from(ts), cal);
    expect(r.gaps.map((g) => g.missing)).toEqual([1, 1]);
  });

  it('empty and single-bar series have no gaps', () => {
    expect(findGaps(new Float64Array(0), { kind: 'continuous', grid: gridFor('1h') })).toMatchObject({ gaps: [], coverage: 0 });
    expect(findGaps(Float64Array.of(5), { kind: 'continuous', grid: gridFor('1h') })).toMatchObject({ gaps: [], coverage: 1 });
  });
});

describe('buckets and targets', () => {
  it('weeks start on Monday, months on the 1st; session buckets end at the close', () => {
    expect(WEEK_ANCHOR).toBe(d(1970, 1, 5));
    expect(bucketOf(gridFor('1w'), d(2024, 1, 7, 23))).toBe(d(2024, 1, 1));
    expect(bucketOf(gridFor('1M'), d(2024, 2, 29, 12))).toBe(d(2024, 2, 1));
    expect(bucketEnd(gridFor('1M'), d(2024, 2, 1))).toBe(d(2024, 3, 1));
    const sess = { kind: 'session' as const, step: 4 * H, openOffset: 14.5 * H, closeOffset: 21 * H };
    expect(bucketOf(sess, d(2024, 1, 2, 19))).toBe(d(2024, 1, 2, 18, 30));
    expect(bucketEnd(sess, d(2024, 1, 2, 18, 30))).toBe(d(2024, 1, 2, 21));
  });

  it('resolves --to: native, all, lists; refuses finer or non-multiple targets', () => {
    expect(resolveTargets(undefined, '5m', 0)).toEqual(['15m']);
    expect(resolveTargets(undefined, '1d', 0)).toEqual(['1d']);
    expect(resolveTargets(undefined, '1M', 0)).toEqual(['1M']);
    expect(resolveTargets(undefined, undefined, 2 * DAY)).toEqual(['1w']);
    expect(resolveTargets('all', '5m', 0)).toEqual(['15m', '1h', '4h', '1d']);
    expect(resolveTargets('all', '1h', 0)).toEqual(['1h', '4h', '1d']);
    expect(resolveTargets('1d,4h', '15m', 0)).toEqual(['4h', '1d']);
    expect(() => resolveTargets('15m', '1h', 0)).toThrow('cannot make 15m bars from coarser 1h bars');
    expect(() => resolveTargets('4h', '8h', 0)).toThrow(/cannot make 4h/);
    expect(() => resolveTargets('1h', '8h', 0)).toThrow(/cannot make 1h/);
    expect(() => resolveTargets('2h', '1h', 0)).toThrow(/unknown interval '2h'/);
  });
});
