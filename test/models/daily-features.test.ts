import { describe, expect, it } from 'vitest';
import { buildDailyFeatures, dailyFeature } from '../../src/models/daily-features.js';
import { tableDigest, type Dataset } from '../../src/core/table.js';

const DAY = 86_400_000;

describe('daily features', () => {
  it('sma_N and ret_N by direct arithmetic', () => {
    const close = Float64Array.of(10, 11, 12, 13, 14);
    const s = dailyFeature(close, 'sma_3');
    expect(s[1]).toBeNaN();
    expect(s[2]).toBeCloseTo(11, 12);
    expect(s[4]).toBeCloseTo(13, 12);
    const r = dailyFeature(close, 'ret_2');
    expect(r[1]).toBeNaN();
    expect(r[4]).toBeCloseTo(14 / 12 - 1, 14);
    expect(() => dailyFeature(close, 'ema_3')).toThrow(/unknown daily feature 'ema_3'/);
  });
  it('stamps each value with the daily close (close_ts when present, else ts + 1 day)', () => {
    const ts = Float64Array.of(0, DAY, 2 * DAY);
    const mk = (withCloseTs: boolean): Dataset => {
      const columns: Record<string, Float64Array> = { ts, open: ts, high: ts, low: ts, close: Float64Array.of(1, 2, 3), volume: ts };
      if (withCloseTs) columns['close_ts'] = Float64Array.of(21 * 3_600_000, DAY + 21 * 3_600_000, 2 * DAY + 21 * 3_600_000);
      const table = { length: 3, columns };
      return { name: 'X:1d', kind: 'bars', stage: 'clean', symbol: 'X', interval: '1d', source: 't', table, digest: tableDigest(table) };
    };
    const a = buildDailyFeatures([{ symbol: 'X', feature: 'close' }], () => mk(false)).get('X')!.get('close')!;
    expect([...a.ts]).toEqual([DAY, 2 * DAY, 3 * DAY]);
    const b = buildDailyFeatures([{ symbol: 'X', feature: 'close' }], () => mk(true)).get('X')!.get('close')!;
    expect(b.ts[0]).toBe(21 * 3_600_000);
    expect([...b.values]).toEqual([1, 2, 3]);
  });
});
