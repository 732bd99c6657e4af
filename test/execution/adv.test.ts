import { describe, expect, test } from 'vitest';
import { averageDailyVolume } from '../../src/execution/adv.js';
import { DAY, HOUR } from '../../src/core/time.js';
import { createRng } from '../../src/core/rng.js';

/** Reference: for each bar, group earlier bars by UTC day (strictly before the bar's day), average the last `days` day totals. */
function reference(ts: Float64Array, vol: Float64Array, days: number): number[] {
  return Array.from(ts, (t) => {
    const day = Math.floor(t / DAY);
    const totals = new Map<number, number>();
    ts.forEach((u, j) => {
      const d = Math.floor(u / DAY);
      if (d < day) totals.set(d, (totals.get(d) ?? 0) + (Number.isNaN(vol[j]!) ? 0 : vol[j]!));
    });
    const last = [...totals.keys()].sort((a, b) => a - b).slice(-days);
    return last.length ? last.reduce((s, d) => s + totals.get(d)!, 0) / last.length : NaN;
  });
}

describe('averageDailyVolume', () => {
  test('daily bars: mean of the previous days, NaN on the first', () => {
    const ts = Float64Array.from([0, 1, 2, 3, 4], (d) => d * DAY);
    const vol = Float64Array.of(10, 20, 30, 40, 50);
    expect(Array.from(averageDailyVolume(ts, vol, 2))).toEqual([NaN, 10, 15, 25, 35]);
  });
  test('intraday bars: only complete earlier days count, a gap day without bars is skipped', () => {
    // day 0: 4h bars with volume 1 each (6 bars → 6); day 2 (day 1 has no bars): bars see ADV = 6
    const ts = Float64Array.from([0, 1, 2, 3, 4, 5, 12, 13], (i) => i * 4 * HOUR);
    const vol = new Float64Array(8).fill(1);
    const adv = averageDailyVolume(ts, vol, 20);
    expect(Array.from(adv.subarray(0, 6))).toEqual([NaN, NaN, NaN, NaN, NaN, NaN]);
    expect(Array.from(adv.subarray(6))).toEqual([6, 6]);
  });
  test('matches a brute-force reference on irregular random bars', () => {
    const rng = createRng(1, 'adv');
    const n = 300;
    const ts = new Float64Array(n);
    const vol = new Float64Array(n);
    let t = 0;
    for (let i = 0; i < n; i++) {
      t += HOUR * rng.int(1, 30);
      ts[i] = t;
      vol[i] = rng.uniform() < 0.05 ? NaN : 100 * rng.uniform();
    }
    const got = averageDailyVolume(ts, vol, 5);
    const want = reference(ts, vol, 5);
    for (let i = 0; i < n; i++) {
      if (Number.isNaN(want[i]!)) expect(got[i]).toBeNaN();
      else expect(got[i]).toBeCloseTo(want[i]!, 9);
    }
  });
  test('empty input', () => {
    expect(averageDailyVolume(new Float64Array(0), new Float64Array(0), 3)).toHaveLength(0);
  });
});
