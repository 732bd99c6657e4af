import { describe, it, expect } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import { cleanFundingEvents, alignFunding } from '../../../src/data/clean/funding.js';
import { checkBars, BAR_REASONS } from '../../../src/data/clean/sanity.js';
import { orderRows, dedupe } from '../../../src/data/clean/order.js';
import { forwardFillOpenInterest, asOfJoin } from '../../../src/data/clean/open-interest.js';
import { tradesToBars } from '../../../src/data/clean/trades.js';
import { gridFor } from '../../../src/data/clean/buckets.js';

const cfg = configSchema.parse({}).data;
const H = 3_600_000;
const f = (xs: number[]): Float64Array => Float64Array.from(xs);

describe('bar sanity', () => {
  it('names the first failing rule per row', () => {
    const codes = checkBars(
      f([0, NaN, 2, 3, 4, 5, 6, 7]),
      f([1, 1, NaN, -1, 1, 1, 1, 1]),
      f([2, 2, 2, 2, 0.5, 2, 2, 2]),
      f([0.5, 0.5, 0.5, 0.5, 0.5, 1.5, 0.5, 0.5]),
      f([1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5]),
      f([1, 1, 1, 1, 1, 1, NaN, -1]),
    );
    expect(Array.from(codes, (c) => (c ? BAR_REASONS[c - 1] : 'ok'))).toEqual([
      'ok', 'bad_timestamp', 'nan_price', 'non_positive_price', 'high_below_open_close', 'low_above_open_close', 'nan_volume', 'negative_volume',
    ]);
  });
});

describe('ordering and duplicates', () => {
  it('sorts stably and reports rows earlier than a previous row', () => {
    const ts = f([1, 3, 2, 5, 4, 4]);
    const { order, outOfOrder } = orderRows(ts, new Uint8Array(6).fill(1));
    expect(Array.from(order)).toEqual([0, 2, 1, 4, 5, 3]);
    expect(outOfOrder).toEqual([2, 4, 5]);
    expect(dedupe(ts, order, 'keep_first')).toMatchObject({ kept: Int32Array.from([0, 2, 1, 4, 3]), duplicates: [{ row: 5, of: 4 }] });
    expect(dedupe(ts, order, 'keep_last').duplicates).toEqual([{ row: 4, of: 5 }]);
  });
});

describe('funding', () => {
  it('floors stamp jitter, quarantines NaN and implausible rates and repeats, finds cadence and phase', () => {
    const ts = f([0, 8 * H + 17, 16 * H + 3, 24 * H, 24 * H + 5, 32 * H, 40 * H, 48 * H]);
    const rate = f([0.0001, 0.0002, NaN, 0.0001, 0.0001, 0.9, 0.0003, 0.0001]);
    const c = cleanFundingEvents(ts, rate, cfg);
    expect(Array.from(c.ts)).toEqual([0, 8 * H, 24 * H, 40 * H, 48 * H]);
    expect(c.floored).toBe(3);
    expect(c.quarantined.map((q) => [q.row, q.reason])).toEqual([[2, 'nan_rate'], [4, 'duplicate_timestamp'], [5, 'implausible_rate']]);
    expect(c.cadenceMs).toBe(8 * H);
    expect(c.phaseHour).toBe(0);
    expect(c.constant).toBe(false);
  });

  it('aligns settlements to bars as the sum over (open, close], and names the mode', () => {
    const fund = cleanFundingEvents(f([8 * H, 16 * H, 24 * H, 32 * H]), f([1e-4, 2e-4, 3e-4, 4e-4]), cfg);
    const open4h = f([0, 4, 8, 12, 16, 20, 24, 28].map((h) => h * H));
    const close4h = f([4, 8, 12, 16, 20, 24, 28, 32].map((h) => h * H));
    const a = alignFunding(open4h, close4h, fund, cfg);
    expect(Array.from(a.fundingRate)).toEqual([0, 1e-4, 0, 2e-4, 0, 3e-4, 0, 4e-4]);
    expect(a.mode).toBe('aligned');
    const openDay = f([0]);
    const closeDay = f([24 * H]);
    expect(alignFunding(openDay, closeDay, fund, cfg).fundingRate[0]).toBeCloseTo(6e-4, 15);
    // UTC+3 stamps (03/11/19) against 4h bars fall inside bars: misaligned
    const shifted = cleanFundingEvents(f([11 * H, 19 * H, 27 * H]), f([1e-4, 2e-4, 3e-4]), cfg);
    expect(alignFunding(open4h, close4h, shifted, cfg).mode).toBe('misaligned');
    // no settlement in the bars' span: missing; half the expected ones: partial; one value throughout: constant
    expect(alignFunding(f([100 * H]), f([104 * H]), fund, cfg).mode).toBe('missing');
    const sparse = cleanFundingEvents(f([8 * H, 32 * H]), f([1e-4, 2e-4]), cfg);
    expect(alignFunding(open4h, close4h, sparse, cfg).mode).toBe('partial');
    const flat = cleanFundingEvents(f([8 * H, 16 * H, 24 * H, 32 * H]), f([1e-4, 1e-4, 1e-4, 1e-4]), cfg);
    expect(alignFunding(open4h, close4h, flat, cfg).mode).toBe('constant');
  });
});

describe('open interest, point in time', () => {
  it('forward-fills never backward, with an optional staleness limit', () => {
    expect(Array.from(forwardFillOpenInterest(f([NaN, 1, NaN, NaN, 2, NaN]), 0).values)).toEqual([NaN, 1, 1, 1, 2, 2]);
    const lim = forwardFillOpenInterest(f([1, NaN, NaN, NaN]), 2);
    expect(Array.from(lim.values)).toEqual([1, 1, 1, NaN]);
    expect([lim.filled, lim.leading]).toEqual([2, 0]);
  });

  it('as-of join takes the last observation at or before each bar close', () => {
    const close = f([10, 20, 30, 40]);
    expect(Array.from(asOfJoin(close, f([5, 20, 21, 35]), f([1, 2, 3, 4]), 0))).toEqual([1, 2, 3, 4]);
    expect(Array.from(asOfJoin(close, f([15]), f([7]), 10))).toEqual([NaN, 7, NaN, NaN]);
  });
});

describe('trades to bars', () => {
  it('OHLC from prices, summed volume, counts and taker-buy volume', () => {
    const ts = f([0, 60_000, 60_000, 16 * 60_000]);
    const t = tradesToBars(ts, f([10, 12, 9, 11]), f([1, 2, 3, 4]), ['buy', 'sell', 'buy', 'buy'], gridFor('15m'));
    expect(t.length).toBe(2);
    const c = t.columns as Record<string, Float64Array>;
    expect([c['open']![0], c['high']![0], c['low']![0], c['close']![0], c['volume']![0], c['trades']![0], c['taker_buy_volume']![0]]).toEqual([10, 12, 9, 9, 6, 3, 4]);
    expect(c['ts']![1]).toBe(15 * 60_000);
  });
});
