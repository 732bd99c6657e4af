/**
 * `dailyCloseRows` (metrics/annualisation.ts) finds each UTC day's last step by a galloping search
 * on ascending times. Checked against the definition written out plainly here (a step is its day's
 * last when the next step closes another day; on the 24/7 calendar a day without a step repeats the
 * previous row), on random clocks: several steps a day, days skipped, closes at exactly 00:00 UTC
 * (which close the day before), repeated times, one step.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dailyCloseRows } from '../../src/backtest/metrics/index.js';

const DAY = 86_400_000;

function plainRows(ts: Float64Array, calendar: '24/7' | 'equity'): { ts: number[]; rows: number[] } {
  const day = (t: number): number => Math.ceil(t / DAY) - 1;
  const outTs: number[] = [];
  const rows: number[] = [];
  for (let i = 0; i < ts.length; i++) {
    const d = day(ts[i]!);
    if (i + 1 < ts.length && day(ts[i + 1]!) === d) continue;
    if (calendar === '24/7' && rows.length > 0) {
      for (let gap = day(outTs[outTs.length - 1]! - 1) + 1; gap < d; gap++) {
        outTs.push((gap + 1) * DAY);
        rows.push(rows[rows.length - 1]!);
      }
    }
    outTs.push((d + 1) * DAY);
    rows.push(i);
  }
  return { ts: outTs, rows };
}

const plain = (r: { ts: Float64Array; rows: Int32Array }): { ts: number[]; rows: number[] } => ({ ts: Array.from(r.ts), rows: Array.from(r.rows) });

describe('dailyCloseRows', () => {
  it('equals the plain definition on random ascending clocks (fast-check)', () => {
    const stepArb = fc.oneof(
      fc.constantFrom(0, 60_000, 3_600_000, 4 * 3_600_000, DAY, 3 * DAY), // regular steps, repeats, gaps
      fc.integer({ min: 1, max: 2 * DAY }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.boolean(), fc.array(stepArb, { minLength: 0, maxLength: 3000 }), fc.constantFrom('24/7' as const, 'equity' as const), (startDay, atMidnight, steps, calendar) => {
        const t0 = Date.UTC(2020, 0, 1) + startDay * DAY + (atMidnight ? 0 : 1234);
        const ts = new Float64Array(steps.length + 1);
        ts[0] = t0;
        steps.forEach((s, i) => (ts[i + 1] = ts[i]! + s));
        expect(plain(dailyCloseRows(ts, calendar))).toEqual(plainRows(ts, calendar));
      }),
      { seed: 61_206, numRuns: 300 },
    );
  });

  it('a minute clock over days: one row per day, the step closing at 00:00 counted in the day before', () => {
    const ts = Float64Array.from({ length: 3 * 1440 + 1 }, (_, i) => Date.UTC(2021, 0, 1) + (i + 1) * 60_000);
    const r = dailyCloseRows(ts, 'equity');
    expect(Array.from(r.rows)).toEqual([1439, 2879, 4319, 4320]);
    expect(Array.from(r.ts)).toEqual([1, 2, 3, 4].map((d) => Date.UTC(2021, 0, 1) + d * DAY));
  });

});
