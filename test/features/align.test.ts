/** alignAsOf / availableAt: a daily value becomes visible at the first bar opening at or after its close. */
import { describe, expect, it } from 'vitest';
import { alignAsOf, availableAt } from '../../src/features/align.js';
import { DAY, HOUR, MINUTE } from '../../src/core/time.js';
import { InvariantError, UserError } from '../../src/core/errors.js';
import type { Dataset } from '../../src/core/table.js';

const D0 = Date.UTC(2024, 2, 11); // 2024-03-11 00:00 UTC, a daily bar's open

const ds = (over: Partial<Dataset> & { columns: Record<string, Float64Array> }): Dataset => ({
  name: over.name ?? 'X:1d',
  kind: over.kind ?? 'bars',
  stage: 'clean',
  source: 'test',
  digest: '',
  table: { length: over.columns['ts']?.length ?? 0, columns: over.columns },
  ...(over.interval !== undefined ? { interval: over.interval } : {}),
});

describe('alignAsOf', () => {
  const dailyTs = Float64Array.from([D0, D0 + DAY, D0 + 2 * DAY]);
  const dailyClose = Float64Array.from([100, 101, 102]);
  const at = dailyTs.map((t) => t + DAY);

  it('4h bars see a daily bar from the first 4h bar opening at its close, never the 4h bar that closes with it', () => {
    const fourH = Float64Array.from({ length: 18 }, (_, i) => D0 + i * 4 * HOUR); // 3 days of 4h bars
    const y = alignAsOf(at, dailyClose, fourH);
    // day 1 (00:00..20:00): nothing closed yet
    expect(Array.from(y.subarray(0, 6)).every(Number.isNaN)).toBe(true);
    // day 2: the daily bar of D0 (closed at D0+1d = this 00:00 open)
    expect(Array.from(y.subarray(6, 12))).toEqual([100, 100, 100, 100, 100, 100]);
    // the 20:00 bar of day 2 closes at D0+2d, together with day 2's daily bar, but still sees day 1
    expect(y[11]).toBe(100);
    expect(Array.from(y.subarray(12, 18))).toEqual([101, 101, 101, 101, 101, 101]);
  });

  it('15m bars: the 23:45 bar sees yesterday, the 00:00 bar sees today\'s close', () => {
    const t2345 = D0 + DAY - 15 * MINUTE;
    const y = alignAsOf(at, dailyClose, Float64Array.from([t2345, D0 + DAY, D0 + DAY + 15 * MINUTE]));
    expect(Array.from(y)).toEqual([NaN, 100, 100]);
  });

  it('target bars between source rows keep the latest value; after the last source row it persists', () => {
    const y = alignAsOf(Float64Array.from([10, 20]), Float64Array.from([1, 2]), Float64Array.from([0, 10, 19, 20, 1000]));
    expect(Array.from(y)).toEqual([NaN, 1, 1, 2, 2]);
  });

  it('a NaN source value is carried as the latest value (no fill from older rows)', () => {
    const y = alignAsOf(Float64Array.from([1, 2]), Float64Array.from([5, NaN]), Float64Array.from([1, 2]));
    expect(Array.from(y)).toEqual([5, NaN]);
  });

  it('several source rows available at once: the last one wins', () => {
    expect(Array.from(alignAsOf(Float64Array.from([5, 5, 5]), Float64Array.from([1, 2, 3]), Float64Array.from([5])))).toEqual([3]);
  });

  it('empty source or target', () => {
    expect(Array.from(alignAsOf(new Float64Array(0), new Float64Array(0), Float64Array.from([1, 2])))).toEqual([NaN, NaN]);
    expect(alignAsOf(at, dailyClose, new Float64Array(0)).length).toBe(0);
  });

  it('rejects unsorted times and mismatched lengths', () => {
    expect(() => alignAsOf(Float64Array.from([2, 1]), Float64Array.from([1, 2]), Float64Array.from([3]))).toThrow(InvariantError);
    expect(() => alignAsOf(Float64Array.from([1, 2]), Float64Array.from([1, 2]), Float64Array.from([3, 1]))).toThrow(InvariantError);
    expect(() => alignAsOf(Float64Array.from([1, 2]), Float64Array.from([1]), Float64Array.from([3]))).toThrow(UserError);
  });

  it('writes into a given output array', () => {
    const out = new Float64Array(1);
    expect(alignAsOf(Float64Array.from([1]), Float64Array.from([7]), Float64Array.from([1]), out)).toBe(out);
    expect(out[0]).toBe(7);
  });
});

describe('availableAt', () => {
  it('bars: ts + interval', () => {
    const d = ds({ interval: '1d', columns: { ts: Float64Array.from([D0, D0 + DAY]) } });
    expect(Array.from(availableAt(d))).toEqual([D0 + DAY, D0 + 2 * DAY]);
    const h = ds({ interval: '4h', columns: { ts: Float64Array.from([D0]) } });
    expect(Array.from(availableAt(h))).toEqual([D0 + 4 * HOUR]);
  });
  it('close_ts column wins (irregular equity-session bars)', () => {
    const d = ds({ interval: '4h', columns: { ts: Float64Array.from([D0 + 13.5 * HOUR]), close_ts: Float64Array.from([D0 + 17.5 * HOUR]) } });
    expect(Array.from(availableAt(d))).toEqual([D0 + 17.5 * HOUR]);
  });
  it('series and funding: ts itself', () => {
    expect(Array.from(availableAt(ds({ kind: 'series', columns: { ts: Float64Array.from([D0]) } })))).toEqual([D0]);
    expect(Array.from(availableAt(ds({ kind: 'funding', interval: '8h', columns: { ts: Float64Array.from([D0]) } })))).toEqual([D0]);
  });
  it('monthly bars close at the next calendar month', () => {
    const d = ds({ interval: '1M', columns: { ts: Float64Array.from([Date.UTC(2024, 1, 1), Date.UTC(2024, 11, 1)]) } });
    expect(Array.from(availableAt(d))).toEqual([Date.UTC(2024, 2, 1), Date.UTC(2025, 0, 1)]);
  });
  it('a dataset without ts is a user error', () => {
    expect(() => availableAt(ds({ columns: { close: Float64Array.from([1]) } }))).toThrow(UserError);
  });
});
