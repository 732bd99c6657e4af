import { describe, expect, it } from 'vitest';
import { DAY, HOUR, MINUTE } from '../../src/core/time.js';
import { dailySeries } from '../../src/regime/daily.js';
import { barsDataset, seriesDataset, T0 } from './fixtures.js';

describe('dailySeries', () => {
  it('daily bars: rows as they are, known at close_ts (or ts + 1 day)', () => {
    const d = dailySeries(barsDataset('SPY:1d', [1, 2, 3]));
    expect([...d.knownAt]).toEqual([T0 + DAY, T0 + 2 * DAY, T0 + 3 * DAY]);
    expect(d.intraday).toBe(false);
    expect(d.daysPerYear).toBe(252);
    const e = dailySeries(barsDataset('SPY:1d', [1, 2], { closeTs: [T0 + 21 * HOUR, T0 + DAY + 21 * HOUR] }));
    expect([...e.knownAt]).toEqual([T0 + 21 * HOUR, T0 + DAY + 21 * HOUR]);
  });

  it('4h bars → UTC days: last close, known when the last bar closes, realised variance of the day', () => {
    // 2 full days of 6 bars and a partial third day of 3 bars (dropped: data ends mid-day)
    const close = [100, 101, 99, 100, 100, 100, 102, 102, 104, 103, 103, 103, 103, 110, 111];
    const d = dailySeries(barsDataset('BTCUSDT:4h', close, { interval: '4h', stepMs: 4 * HOUR, assetClass: 'crypto_perp' }));
    expect(d.daysPerYear).toBe(365);
    expect([...d.dayTs]).toEqual([T0, T0 + DAY]);
    expect([...d.close]).toEqual([100, 103]);
    expect([...d.knownAt]).toEqual([T0 + DAY, T0 + 2 * DAY]); // the 20:00 bar closes at midnight
    const lr = (a: number, b: number) => Math.log(b / a) ** 2;
    expect(d.rv[0]).toBeCloseTo(lr(100, 101) + lr(101, 99) + lr(99, 100), 15);
    // the second day's first return is measured from the first day's last close (overnight counts)
    expect(d.rv[1]).toBeCloseTo(lr(100, 102) + lr(102, 104) + lr(104, 103), 15);
  });

  it('keeps a trailing day that is as complete as the one before it', () => {
    const close = Array.from({ length: 12 }, (_, i) => 100 + i);
    const d = dailySeries(barsDataset('BTCUSDT:4h', close, { interval: '4h', stepMs: 4 * HOUR }));
    expect(d.close.length).toBe(2);
    expect(d.close[1]).toBe(111);
  });

  it('15m bars: 96 per day; a NaN close does not poison the next return', () => {
    const close = Array.from({ length: 96 * 2 }, (_, i) => 100 + (i % 3));
    close[5] = Number.NaN;
    const d = dailySeries(barsDataset('BTCUSDT:15m', close, { interval: '15m', stepMs: 15 * MINUTE }));
    expect(d.close.length).toBe(2);
    expect(Number.isFinite(d.rv[0]!)).toBe(true);
  });

  it('rejects series, weekly bars and tables without close', () => {
    expect(() => dailySeries(seriesDataset('MACRO:pmi', [0], [50]))).toThrow('MACRO:pmi: is a series dataset; the regime engine needs price bars here');
    expect(() => dailySeries(barsDataset('SPY:1w', [1, 2], { interval: '1w' }))).toThrow('SPY:1w: has 1w bars; regimes need daily or intraday bars');
    const noClose = { ...barsDataset('X:1d', [1]), table: { length: 1, columns: { ts: Float64Array.of(0) } } };
    expect(() => dailySeries(noClose)).toThrow("X:1d: needs numeric 'ts' and 'close' columns");
  });

  it('empty bars give an empty series', () => {
    const d = dailySeries(barsDataset('SPY:1d', []));
    expect(d.close.length).toBe(0);
    const e = dailySeries(barsDataset('BTCUSDT:15m', [], { interval: '15m' }));
    expect(e.close.length).toBe(0);
  });
});
