/**
 * The chart date axis: tick columns are checked against the bars' own dates (found in the test by
 * scanning the x values), labels against the calendar, and the axis rows against the plot's columns.
 */
import { describe, expect, it } from 'vitest';
import { axisRows, indexTicks, ticksFor, timeTicks } from '../../src/tui/date-axis.js';
import { plotLines } from '../../src/tui/chart.js';

const DAY = 86_400_000;
const days = (from: string, n: number, step = DAY): number[] => Array.from({ length: n }, (_, i) => Date.parse(`${from}T00:00:00Z`) + i * step);

describe('timeTicks', () => {
  it('puts a yearly tick on the first column at or after each 1 January, and none that would overlap', () => {
    // One column per daily bar, 2016-01-04 .. 2019-12-31 (1458 bars): far too many columns for day ticks.
    const x = days('2016-01-04', 1458);
    const ticks = timeTicks(x[0]!, x);
    // Independently: the index of the first bar in each year after the first.
    const expected = [2017, 2018, 2019].map((y) => ({ column: x.findIndex((t) => t >= Date.UTC(y, 0, 1)), label: String(y) }));
    // With one column per day the finest step whose labels do not touch is 14 days (counted from
    // the epoch): 7 columns cannot hold the first, 10-character label. Epoch day 16804 is
    // 2016-01-04; the next multiple of 14 is 16814, 2016-01-14.
    expect(ticks[0]).toEqual({ column: 10, label: '2016-01-14' });
    expect(ticks[1]).toEqual({ column: 24, label: '01-28' });
    for (const t of ticks) expect((x[t.column]! / DAY) % 14).toBe(0);
    expect(ticks.length).toBe(Math.floor((1458 - 10 - 1) / 14) + 1);
    // With 40 columns (buckets of ~36 bars) years are the finest step whose labels do not touch.
    const cols = ticksFor(x, 'time', 40);
    expect(cols.columns).toBe(40);
    const bucketEnd = (i: number): number => x[Math.floor(((i + 1) * x.length) / 40) - 1]!;
    const yearly = [2017, 2018, 2019].map((y) => ({ column: Array.from({ length: 40 }, (_, i) => i).find((i) => bucketEnd(i) >= Date.UTC(y, 0, 1))!, label: String(y) }));
    expect(cols.ticks).toEqual(yearly);
    expect(expected.map((e) => e.label)).toEqual(yearly.map((e) => e.label));
  });
  it('labels a few weeks with days: the full date first, then month-day', () => {
    const x = days('2024-03-01', 29); // March 2024, one column per day
    const ticks = timeTicks(x[0]!, x);
    // 7-day steps (Thursdays 03-07, 03-14, …) would crowd the 10-character first label; 14-day steps
    // from the epoch fall on 2024-03-14 (epoch day 19796 = 14 × 1414) and 03-28, whose label
    // would run past the 29th column and is left out.
    expect(ticks).toEqual([{ column: 13, label: '2024-03-14' }]);
    expect(timeTicks(x[0]!, days('2024-03-01', 33))).toEqual([
      { column: 13, label: '2024-03-14' },
      { column: 27, label: '03-28' },
    ]);
    for (const t of ticks) expect(new Date(x[t.column]!).getUTCDay()).toBe(4);
  });
  it('labels hours within a day and names the day at midnight', () => {
    const x = days('2024-03-01', 96, 15 * 60_000); // one day of 15-minute bars, one column each
    const ticks = timeTicks(x[0]!, x);
    expect(ticks[0]!.label).toBe('03-01 00:00');
    expect(ticks.map((t) => t.label)).toContain('12:00');
    for (const t of ticks) expect(x[t.column]! % (3 * 3_600_000)).toBe(0);
  });
  it('gives no ticks for nothing', () => {
    expect(timeTicks(0, [])).toEqual([]);
    expect(indexTicks([])).toEqual([]);
  });
});

describe('indexTicks', () => {
  it('uses round numbers', () => {
    expect(indexTicks([0, 1, 2, 3, 4, 5, 6])).toEqual([0, 2, 4, 6].map((v) => ({ column: v, label: String(v) })));
    expect(indexTicks(Array.from({ length: 60 }, (_, i) => i)).map((t) => t.label)).toEqual(['0', '5', '10', '15', '20', '25', '30', '35', '40', '45', '50', '55']);
    // 30 columns over 0..290: steps of 10 are 1 column apart; 50 (5 columns) fits '100' + a space.
    expect(indexTicks(Array.from({ length: 30 }, (_, i) => i * 10)).map((t) => t.label)).toEqual(['0', '50', '100', '150', '200', '250']);
  });
});

describe('axisRows', () => {
  it('draws ticks on the rule and each label under its tick', () => {
    expect(axisRows([{ column: 0, label: '0' }, { column: 4, label: '40' }], 5, 8)).toEqual(['    └┬───┬───', '     0   40']);
  });
});

describe('plotLines with an axis', () => {
  it('keeps the row count, and the tick sits under the first point of its year', () => {
    const x = days('2019-06-01', 400);
    const v = x.map((_, i) => 100 + i);
    const out = plotLines([v], 40, 10, [], { x, kind: 'time' });
    expect(out.length).toBe(10);
    const rule = out[8]!;
    const labels = out[9]!;
    // label '499.0' is 5 wide, then a space and the y axis: points start at column 7.
    const points = 40 - 5 - 2;
    const bucketEnd = (i: number): number => x[Math.floor(((i + 1) * x.length) / points) - 1]!;
    const col = Array.from({ length: points }, (_, i) => i).find((i) => bucketEnd(i) >= Date.UTC(2020, 0, 1))!;
    expect(rule[6]).toBe('└');
    expect(rule[7 + col]).toBe('┬');
    expect(labels.indexOf('2020')).toBe(7 + col);
    for (const l of out) expect([...l].length).toBeLessThanOrEqual(40);
  });
  it('drops the axis when there is no room for it', () => {
    const x = days('2019-06-01', 4);
    expect(plotLines([[1, 2, 3, 4]], 20, 4, [], { x, kind: 'time' })).toEqual(['4.00 ┤  ╭', '3.00 ┤ ╭╯', '2.00 ┤╭╯', '1.00 ┼╯']);
  });
});
