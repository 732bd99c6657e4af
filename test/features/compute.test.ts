/** computeFeatures: column layout, the daily join, funding joins, daily bars from intraday, merging. */
import { describe, expect, it } from 'vitest';
import { computeFeatures } from '../../src/features/compute.js';
import { dailyFromIntraday } from '../../src/features/daily-bars.js';
import { buildFeatureDataset, downsampleIndices } from '../../src/features/feature-dataset.js';
import { parseSpecs } from '../../src/features/spec.js';
import { rsi, sma, rollingZScore, signPersistence, realizedVol } from '../../src/features/indicators/index.js';
import { DAY, HOUR } from '../../src/core/time.js';
import { UserError } from '../../src/core/errors.js';
import { makeMarket, barsDataset, T0 } from './fixtures.js';
import { expectClose } from './helpers.js';

const { h4, d1, funding } = makeMarket(30, 5);
const c = (ds: typeof h4, name: string) => ds.table.columns[name] as Float64Array;

describe('computeFeatures', () => {
  it('returns ts and one column per output, equal to the kernels', () => {
    const f = computeFeatures(h4, ['sma:10', 'rsi:14', 'rvol:12']);
    expect(Object.keys(f.columns)).toEqual(['ts', 'sma_10', 'rsi_14', 'rvol_12']);
    expect(f.length).toBe(h4.table.length);
    expectClose(f.columns['sma_10'] as Float64Array, sma(c(h4, 'close'), 10), 0);
    expectClose(f.columns['rsi_14'] as Float64Array, rsi(c(h4, 'close'), 14), 0);
    // crypto 4h bars: 2190 bars a year
    expectClose(f.columns['rvol_12'] as Float64Array, realizedVol(c(h4, 'close'), 12, 2190), 0);
  });

  it('daily:sma:3 on 4h bars: each 4h bar sees the SMA of the three daily closes before its day', () => {
    const f = computeFeatures(h4, ['daily:sma:3'], { daily: d1 });
    const dsma = sma(c(d1, 'close'), 3);
    const y = f.columns['daily_sma_3'] as Float64Array;
    const ts = c(h4, 'ts');
    for (let i = 0; i < ts.length; i++) {
      const day = Math.floor((ts[i]! - T0) / DAY); // the daily bar in progress
      const want = day >= 1 ? dsma[day - 1]! : NaN; // the latest one that had closed
      expect(Object.is(y[i], want) || y[i] === want, `row ${i}`).toBe(true);
    }
    expect(Number.isFinite(y[3 * 6]!)).toBe(true); // day 3 00:00 sees days 0..2
    expect(Number.isNaN(y[3 * 6 - 1]!)).toBe(true); // day 2 20:00 does not
  });

  it('a 1d dataset is its own daily source (daily values lag by one bar)', () => {
    const f = computeFeatures(d1, ['daily:sma:2', 'sma:2']);
    const a = f.columns['daily_sma_2'] as Float64Array;
    const b = f.columns['sma_2'] as Float64Array;
    for (let k = 1; k < d1.table.length; k++) expect(a[k]).toBe(b[k - 1]);
  });

  it('funding features from events equal those from the per-bar funding_rate column', () => {
    const specs = ['funding_mean:3', 'funding_z:5', 'funding_persist'];
    const fromEvents = computeFeatures(h4, specs, { funding });
    const fromBars = computeFeatures(h4, specs);
    for (const k of ['funding_mean_3', 'funding_z_5', 'funding_persist']) {
      expectClose(fromBars.columns[k] as Float64Array, fromEvents.columns[k] as Float64Array, 0);
    }
    // a bar sees only fundings settled by its open: the bar whose close settles one does not
    const rate = c(funding, 'rate');
    const ev = c(funding, 'ts');
    const persist = signPersistence(rate);
    const z = rollingZScore(rate, 5);
    const ts = c(h4, 'ts');
    const y = fromEvents.columns['funding_persist'] as Float64Array;
    const yz = fromEvents.columns['funding_z_5'] as Float64Array;
    let j = -1;
    for (let i = 0; i < ts.length; i++) {
      while (j + 1 < ev.length && ev[j + 1]! <= ts[i]!) j++;
      expect(y[i]).toBe(j >= 0 ? persist[j] : NaN);
      expect(Object.is(yz[i], j >= 0 ? z[j] : NaN)).toBe(true);
    }
  });

  it('@column selects the input series', () => {
    const f = computeFeatures(h4, ['sma:4@volume']);
    expectClose(f.columns['sma_4_volume'] as Float64Array, sma(c(h4, 'volume'), 4), 0);
  });

  it('explains what is missing', () => {
    expect(() => computeFeatures(h4, ['daily:sma:3'])).toThrow("daily:sma:3: daily:sma:3 needs the symbol's daily bars (BTCUSDT:1d)");
    const plain = barsDataset('X:4h', '4h', c(h4, 'ts'), { open: c(h4, 'open'), high: c(h4, 'high'), low: c(h4, 'low'), close: c(h4, 'close'), volume: c(h4, 'volume') });
    expect(() => computeFeatures(plain, ['funding_z:5'])).toThrow('funding_z needs funding data: load X:funding or bars with a funding_rate column');
    expect(() => computeFeatures(plain, ['sma:3@oi'])).toThrow(UserError);
    expect(() => computeFeatures(plain, ['sma:-3'])).toThrow('sma: period must be a positive integer, got -3');
  });
});

describe('dailyFromIntraday', () => {
  it('groups 4h bars by UTC day like the fixture\'s own daily bars', () => {
    const d = dailyFromIntraday(h4);
    expect(d).toMatchObject({ name: 'BTCUSDT:1d', interval: '1d', stage: 'derived' });
    for (const k of ['ts', 'open', 'high', 'low', 'close']) expectClose(c(d, k), c(d1, k), 1e-15);
    expectClose(c(d, 'volume'), c(d1, 'volume'), 1e-12);
  });
  it('refuses session bars and daily input', () => {
    const session = barsDataset('SPY:4h', '4h', Float64Array.from([T0]), { open: Float64Array.from([1]), high: Float64Array.from([1]), low: Float64Array.from([1]), close: Float64Array.from([1]), close_ts: Float64Array.from([T0 + 2 * HOUR]) });
    expect(() => dailyFromIntraday(session)).toThrow('load SPY:1d');
    expect(() => dailyFromIntraday(d1)).toThrow('intraday bars only');
  });
});

describe('buildFeatureDataset', () => {
  it('merges new columns into the previous result for the same bars, and starts afresh for changed bars', () => {
    const first = buildFeatureDataset(h4, parseSpecs(['sma:5']), {}, undefined).dataset;
    const second = buildFeatureDataset(h4, parseSpecs(['rsi:3', 'sma:5']), {}, first).dataset;
    expect(Object.keys(second.table.columns)).toEqual(['ts', 'sma_5', 'rsi_3']);
    expect(second.meta?.['specs']).toEqual(['rsi:3', 'sma:5']);
    const other = { ...h4, digest: 'different' };
    expect(Object.keys(buildFeatureDataset(other, parseSpecs(['rsi:3']), {}, second).dataset.table.columns)).toEqual(['ts', 'rsi_3']);
  });
  it('downsampleIndices keeps at most the requested points and always the last row', () => {
    expect(downsampleIndices(5, 10)).toEqual([0, 1, 2, 3, 4]);
    const idx = downsampleIndices(1001, 400);
    expect(idx.length).toBeLessThanOrEqual(400);
    expect(idx.at(-1)).toBe(1000);
    expect(downsampleIndices(0, 10)).toEqual([]);
  });
});
