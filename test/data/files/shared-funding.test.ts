/**
 * Must-show 1 (funding files): the 14 funding-rate fetcher CSVs (five venues written in UTC+3) and
 * freqtrade's 8h funding file ingest and clean; settlement counts, ranges and gaps are the README's
 * and are recounted here from the text; aligning funding to bars is checked against sums by hand.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { sharedDataDir, sharedFile, SHARED_SKIP_REASON } from '../../helpers/shared-data.js';
import { csvRows, distinct, featherTimes, fixedGaps, ymd, DAY, HOUR } from './independent.js';
import { tempLake, ingestAndClean, tsOf, fact, gateValue } from './shared-harness.js';
import { readFeather } from '../../../src/data/files/feather.js';

const lake = tempLake();
afterAll(() => lake.done());

interface Venue {
  readonly venue: string;
  readonly from: string;
  readonly to: string;
  readonly rows: number;
  readonly local3: boolean;
  readonly cadence: number;
  /** After flooring and the tz shift: gap runs and the longest, in settlements (README). */
  readonly gaps: number;
  readonly longest: number;
}

const VENUES: readonly Venue[] = [
  { venue: 'binance', from: '2020-01-01', to: '2024-01-01', rows: 4383, local3: true, cadence: 8 * HOUR, gaps: 0, longest: 0 },
  { venue: 'bybit', from: '2021-01-01', to: '2024-01-01', rows: 3285, local3: true, cadence: 8 * HOUR, gaps: 0, longest: 0 },
  { venue: 'htx', from: '2021-01-01', to: '2024-01-01', rows: 3284, local3: true, cadence: 8 * HOUR, gaps: 1, longest: 2 },
  { venue: 'kucoin', from: '2021-01-01', to: '2024-01-01', rows: 3285, local3: true, cadence: 8 * HOUR, gaps: 0, longest: 0 },
  { venue: 'mexc', from: '2021-01-01', to: '2024-01-01', rows: 3285, local3: true, cadence: 8 * HOUR, gaps: 0, longest: 0 },
  { venue: 'gate', from: '2020-01-01', to: '2024-01-01', rows: 4290, local3: false, cadence: 8 * HOUR, gaps: 1, longest: 93 },
  { venue: 'dydx', from: '2022-01-01', to: '2024-01-01', rows: 17520, local3: false, cadence: HOUR, gaps: 0, longest: 0 },
];

/** Settlement times from the text, shifted to UTC and floored to the hour when ≤ 60 s after it. */
function settlements(path: string, local3: boolean): number[] {
  return csvRows(path).map((r) => {
    const [d, tm] = r[1]!.split(' ');
    const t = ymd(d!, tm!) - (local3 ? 3 * HOUR : 0);
    const h = Math.floor(t / HOUR) * HOUR;
    return t - h <= 60_000 ? h : t;
  });
}

describe.skipIf(!sharedDataDir)('real files: historical-funding-rates-fetcher (7 venues × BTC, ETH)', () => {
  for (const sym of ['BTC-USDT', 'ETH-USDT'] as const) {
    for (const v of VENUES) {
      const file = `historical-funding-rates-fetcher/${sym}/${sym}_${v.venue}_${v.from}_${v.to}_funding_history.csv`;
      it(`${sym} ${v.venue}: ${v.rows} settlements${v.local3 ? ' (UTC+3 → --tz-offset +03:00)' : ''}, ${v.gaps} gaps`, async () => {
        const path = sharedFile(file);
        const expected = settlements(path, v.local3);
        const { raw, clean } = await ingestAndClean(lake.dir, path, { preset: 'funding-csv', symbol: sym, name: `${sym}-${v.venue}`, ...(v.local3 ? { tzOffset: '+03:00' } : {}) });
        expect(raw.kind).toBe('funding');
        expect(raw.table.length).toBe(v.rows);
        const ds = clean[0]!;
        expect(ds.name).toBe(`${sym}-${v.venue}:funding`);
        expect(tsOf(ds)).toEqual(distinct(expected));
        const g = fixedGaps(distinct(expected), v.cadence);
        expect([g.gaps, g.longest]).toEqual([v.gaps, v.longest]);
        expect(gateValue(ds, 'gaps')).toBe(v.gaps);
        expect(gateValue(ds, 'longest gap (settlements)')).toBe(v.longest);
        if (v.venue === 'binance') expect(fact(ds, 'stamps floored to the hour')).toBe(2233);
        if (v.venue === 'kucoin') expect(fact(ds, 'settlement hours (UTC)')).toBe('04/12/20');
        if (v.venue === 'binance') expect(fact(ds, 'settlement hours (UTC)')).toBe('00/08/16');
        // Gate's missing December 2020 (93 settlements) fails the gate; the others pass.
        expect(ds.gate!.pass).toBe(v.venue !== 'gate');
        expect(gateValue(ds, 'funding alignment')).toBe(v.venue === 'gate' ? 'partial' : 'aligned');
      });
    }
  }

  it('without --tz-offset the UTC+3 files land off the settlement schedule and the gate says misaligned', async () => {
    const path = sharedFile('historical-funding-rates-fetcher/BTC-USDT/BTC-USDT_binance_2020-01-01_2024-01-01_funding_history.csv');
    const { clean, facts } = await ingestAndClean(lake.dir, path, { preset: 'funding-csv', name: 'BTC-binance-local' });
    expect(facts.some((f) => f.includes('pass --tz-offset +03:00'))).toBe(true);
    const ds = clean[0]!;
    expect(fact(ds, 'settlement hours (UTC)')).toBe('03/11/19');
    expect(gateValue(ds, 'funding alignment')).toBe('misaligned');
    expect(ds.gate!.pass).toBe(false);
  });

  it('refuses a symbol the file does not hold, naming it', async () => {
    const path = sharedFile('historical-funding-rates-fetcher/ETH-USDT/ETH-USDT_gate_2020-01-01_2024-01-01_funding_history.csv');
    await expect(ingestAndClean(lake.dir, path, { preset: 'funding-csv', symbol: 'BTC-USDT' })).rejects.toThrow(/symbol 'BTC-USDT' is not in the file \(it has ETH-USDT\)/);
  });
});

describe.skipIf(!sharedDataDir)('real files: freqtrade funding (rate in open, ms jitter) aligned to bars', () => {
  const fundingPath = (): string => sharedFile('freqtrade/futures/XRP_USDT_USDT-8h-funding_rate.feather');

  it('91 settlements 2021-11-18 00:00:00.017 .. 12-18 00:00:00.014; 32 on the hour, the rest floored', async () => {
    const ts = featherTimes(fundingPath());
    expect(ts.filter((x) => x % HOUR === 0).length).toBe(32);
    const { raw, clean } = await ingestAndClean(lake.dir, fundingPath());
    expect(raw.kind).toBe('funding');
    expect(raw.table.length).toBe(91);
    expect([tsOf(raw)[0], tsOf(raw).at(-1)]).toEqual([ymd('2021-11-18', '00:00:00.017'), ymd('2021-12-18', '00:00:00.014')]);
    const ds = clean[0]!;
    expect(tsOf(ds)).toEqual(ts.map((x) => Math.floor(x / HOUR) * HOUR));
    expect(fact(ds, 'stamps floored to the hour')).toBe(59);
    const rate = ds.table.columns['rate'] as Float64Array;
    expect(Array.from(rate).filter((r) => r === 0.0001).length).toBe(70);
    expect(ds.gate!.pass).toBe(true);
  });

  it('8h mark candles → 1d bars carry the sum of the day’s settlements in (open, close]', async () => {
    const { ingestFile } = await import('../../../src/data/files/ingest.js');
    const { dataset: fundRaw } = await ingestFile(fundingPath(), lake.dir, {});
    const { cleanDataset } = await import('../../../src/data/clean/clean-dataset.js');
    const { config } = await import('./shared-harness.js');
    const { dataset: bars } = await ingestFile(sharedFile('freqtrade/futures/XRP_USDT_USDT-8h-mark.feather'), lake.dir, {});
    const res = cleanDataset({ raw: bars, targets: '1d', funding: fundRaw }, config);
    const ds = res.datasets[0]!;
    // every settlement lands on the day grid, but the file stops with the bars: the last day bar
    // (12-18) lacks its three settlements and 11-18 00:00 closes the day before the first bar
    expect(gateValue(ds, 'funding alignment')).toBe('partial');
    expect(String(fact(ds, 'funding settlements'))).toBe('90 of 93 expected');
    // by hand: settlement s (floored) belongs to the day bar whose open < s ≤ open + 1 day
    const f = readFeather(fundingPath()).table;
    const fts = f.columns['date'] as Float64Array;
    const frate = f.columns['open'] as Float64Array;
    const perDay = new Map<number, number>();
    for (let i = 0; i < fts.length; i++) {
      const s = Math.floor(fts[i]! / HOUR) * HOUR;
      const open = Math.ceil(s / DAY) * DAY - DAY;
      perDay.set(open, (perDay.get(open) ?? 0) + frate[i]!);
    }
    const got = ds.table.columns['funding_rate'] as Float64Array;
    tsOf(ds).forEach((open, i) => expect(got[i]).toBeCloseTo(perDay.get(open) ?? 0, 15));
  });

  it('1h futures bars that start before the funding history: mode partial, first carry at the bar closing 11-18 00:00', async () => {
    const { ingestFile } = await import('../../../src/data/files/ingest.js');
    const { cleanDataset } = await import('../../../src/data/clean/clean-dataset.js');
    const { config } = await import('./shared-harness.js');
    const { dataset: fundRaw } = await ingestFile(fundingPath(), lake.dir, {});
    const { dataset: bars } = await ingestFile(sharedFile('freqtrade/futures/XRP_USDT_USDT-1h-futures.feather'), lake.dir, {});
    const ds = cleanDataset({ raw: bars, funding: fundRaw }, config).datasets[0]!;
    expect(gateValue(ds, 'funding alignment')).toBe('partial');
    const fr = ds.table.columns['funding_rate'] as Float64Array;
    const ts = tsOf(ds);
    const first = fr.findIndex((x) => x !== 0);
    expect(ts[first]).toBe(ymd('2021-11-17', '23:00'));
    expect(fr.filter((x) => x !== 0).length).toBe(10); // settlements 11-18 00:00 … 11-21 00:00
  });
});

if (!sharedDataDir) describe('real files: funding', () => it.skip(SHARED_SKIP_REASON, () => {}));
