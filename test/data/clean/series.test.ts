/**
 * Point-in-time series from raw observations (src/data/clean/series.ts), hand-worked: each value is
 * stamped with the time it became known, never earlier.
 */
import { describe, expect, it } from 'vitest';
import { cleanSeries } from '../../../src/data/clean/series.js';
import type { ColumnTable } from '../../../src/core/table.js';

const D = (s: string): number => Date.parse(`${s}T00:00:00Z`);
const DAY = 86_400_000;
const table = (cols: Record<string, number[]>): ColumnTable => ({
  length: cols['ts']!.length,
  columns: Object.fromEntries(Object.entries(cols).map(([k, v]) => [k, Float64Array.from(v)])),
});
const arr = (t: ColumnTable, k: string): number[] => Array.from(t.columns[k] as Float64Array);

describe('cleanSeries', () => {
  it('with first-release dates: known at the end of the release day, in release order', () => {
    // A monthly index: January released Feb 1, February released Mar 3, March released Apr 1.
    const r = cleanSeries(
      table({ ts: [D('2024-01-01'), D('2024-02-01'), D('2024-03-01')], value: [49.1, 50.3, 51], realtime_start: [D('2024-02-01'), D('2024-03-03'), D('2024-04-01')] }),
      'raw:MACRO:PMI',
    );
    expect(arr(r.table, 'ts')).toEqual([D('2024-02-02'), D('2024-03-04'), D('2024-04-02')]);
    expect(arr(r.table, 'value')).toEqual([49.1, 50.3, 51]);
    expect(arr(r.table, 'period')).toEqual([D('2024-01-01'), D('2024-02-01'), D('2024-03-01')]);
    expect(r.rule).toBe('known at the end of the first-release day (realtime_start + 1 day)');
    expect(r.quarantined).toEqual([]);
  });

  it('history published at once keeps the latest observation; a release date before the observation counts from the observation', () => {
    // Three observations first published together on 2024-05-10; a fourth whose stated release precedes its own date.
    const r = cleanSeries(
      table({
        ts: [D('2024-02-01'), D('2024-03-01'), D('2024-04-01'), D('2024-06-01')],
        value: [1, 2, 3, 4],
        realtime_start: [D('2024-05-10'), D('2024-05-10'), D('2024-05-10'), D('2024-05-20')],
      }),
      'x',
    );
    expect(arr(r.table, 'ts')).toEqual([D('2024-05-11'), D('2024-06-02')]);
    expect(arr(r.table, 'value')).toEqual([3, 4]);
    expect(arr(r.table, 'period')).toEqual([D('2024-04-01'), D('2024-06-01')]);
    expect(r.superseded).toBe(2);
  });

  it('without release dates: one median step after the observation by default, or the lag given; NaN values dropped, bad and repeated dates quarantined', () => {
    const t = table({
      ts: [D('2024-01-01'), D('2024-01-02'), NaN, D('2024-01-03'), D('2024-01-03'), D('2024-01-04'), D('2024-01-08')],
      value: [1, NaN, 7, 3, 9, 4, 5],
    });
    const r = cleanSeries(t, 'raw:MACRO:X');
    // Observation dates with values: 01, 03, 04, 08 → steps 2, 1, 4 days → median 2 days.
    expect(arr(r.table, 'ts')).toEqual([D('2024-01-03'), D('2024-01-05'), D('2024-01-06'), D('2024-01-10')]);
    expect(arr(r.table, 'value')).toEqual([1, 3, 4, 5]);
    expect(r.missingValues).toBe(1);
    expect(r.quarantined.map((q) => [q.row, q.reason])).toEqual([[2, 'bad_timestamp'], [4, 'duplicate_timestamp']]);
    expect(r.rule).toBe('known 2 days after the observation date (one median step; no release dates: set --lag)');
    const lagged = cleanSeries(t, 'raw:MACRO:X', { lagMs: 35 * DAY });
    expect(arr(lagged.table, 'ts')).toEqual([D('2024-02-05'), D('2024-02-07'), D('2024-02-08'), D('2024-02-12')]);
    expect(lagged.rule).toBe('known 35 days after the observation date');
  });

  it('never stamps a value before its observation date plus a day, whatever the input order (perturbing later rows leaves earlier ones alone)', () => {
    const base = { ts: [D('2024-01-05'), D('2024-01-01'), D('2024-01-03')], value: [5, 1, 3], realtime_start: [D('2024-01-06'), D('2024-01-02'), D('2024-01-04')] };
    const r = cleanSeries(table(base), 'x');
    expect(arr(r.table, 'ts')).toEqual([D('2024-01-03'), D('2024-01-05'), D('2024-01-07')]);
    expect(arr(r.table, 'value')).toEqual([1, 3, 5]);
    // Change the last-released value: the earlier known values do not move.
    const r2 = cleanSeries(table({ ...base, value: [500, 1, 3] }), 'x');
    expect(arr(r2.table, 'value').slice(0, 2)).toEqual([1, 3]);
    expect(arr(r2.table, 'ts')).toEqual(arr(r.table, 'ts'));
  });

  it('reads open_interest or the only other numeric column, and says when it cannot tell', () => {
    expect(cleanSeries(table({ ts: [D('2024-01-01')], open_interest: [10] }), 'x', { lagMs: 0 }).valueColumn).toBe('open_interest');
    // Open-interest snapshots are known at their stamp unless a lag is given.
    const oi = cleanSeries(table({ ts: [D('2024-01-01'), D('2024-01-02')], open_interest: [10, 11] }), 'raw:BTCUSDT:oi');
    expect(arr(oi.table, 'ts')).toEqual([D('2024-01-01'), D('2024-01-02')]);
    expect(oi.rule).toBe('open-interest snapshots, known at their stamp');
    expect(cleanSeries(table({ ts: [D('2024-01-01')], close: [10] }), 'x', { lagMs: 0 }).valueColumn).toBe('close');
    expect(() => cleanSeries(table({ ts: [D('2024-01-01')], a: [1], b: [2] }), 'raw:MACRO:AB')).toThrow(
      /^raw:MACRO:AB: cannot tell which column is the series' value \(numeric columns: a, b\)/,
    );
  });
});
