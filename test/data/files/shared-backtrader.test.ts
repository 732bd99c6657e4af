/**
 * Must-show 1 (backtrader folder): every real file ingests and cleans. Row counts and ranges are
 * the README's (../shared/data/README.md); timestamps, clean bar counts and gap counts are also
 * computed here independently from the file text (independent.ts), never with the engine's code.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { sharedDataDir, sharedFile, SHARED_SKIP_REASON } from '../../helpers/shared-data.js';
import { csvRows, ymd, distinct, fixedBuckets, fixedGaps, monthBuckets, weekdayGaps, sessionBuckets, DAY, MIN } from './independent.js';
import { tempLake, ingestAndClean, tsOf, fact, gateValue } from './shared-harness.js';

const lake = tempLake();
afterAll(() => lake.done());

interface DailySpec {
  readonly file: string;
  readonly rows: number;
  readonly first: string;
  readonly last: string;
  readonly preset?: 'yahoo' | 'backtrader';
}

// From ../shared/data/README.md.
const DAILY: readonly DailySpec[] = [
  { file: 'orcl-1995-2014.txt', rows: 5036, first: '1995-01-03', last: '2014-12-31' },
  { file: 'orcl-2003-2005.txt', rows: 756, first: '2003-01-02', last: '2005-12-30' },
  { file: 'orcl-2014.txt', rows: 252, first: '2014-01-02', last: '2014-12-31' },
  { file: 'yhoo-1996-2014.txt', rows: 4713, first: '1996-04-12', last: '2014-12-31' },
  { file: 'yhoo-1996-2015.txt', rows: 4965, first: '1996-04-12', last: '2015-12-31' },
  { file: 'yhoo-2003-2005.txt', rows: 756, first: '2003-01-02', last: '2005-12-30' },
  { file: 'yhoo-2014.txt', rows: 252, first: '2014-01-02', last: '2014-12-31' },
  { file: 'nvda-1999-2014.txt', rows: 4012, first: '1999-01-22', last: '2014-12-31' },
  { file: 'nvda-2014.txt', rows: 252, first: '2014-01-02', last: '2014-12-31' },
  { file: '2006-day-001.txt', rows: 255, first: '2006-01-02', last: '2006-12-29' },
  { file: '2005-2006-day-001.txt', rows: 512, first: '2005-01-03', last: '2006-12-29' },
  { file: '2006-day-001-optix.txt', rows: 255, first: '2006-01-02', last: '2006-12-29' },
  { file: '2006-volume-day-001.txt', rows: 255, first: '2006-01-02', last: '2006-12-29' },
];

describe.skipIf(!sharedDataDir)('real files: backtrader daily (Yahoo and backtrader layouts)', () => {
  for (const spec of DAILY) {
    it(`${spec.file}: ${spec.rows} rows ${spec.first} .. ${spec.last}, weekday gaps as counted by hand`, async () => {
      const path = sharedFile(`backtrader/${spec.file}`);
      const expectedTs = csvRows(path).map((r) => ymd(r[0]!));
      const { raw, clean, quarantined } = await ingestAndClean(lake.dir, path);
      expect(raw.table.length).toBe(spec.rows);
      expect(tsOf(raw)).toEqual(expectedTs);
      expect(tsOf(raw)[0]).toBe(ymd(spec.first));
      expect(tsOf(raw).at(-1)).toBe(ymd(spec.last));
      expect(quarantined).toBe(0);
      const [ds] = clean;
      expect(ds!.name).toMatch(/:1d$/);
      expect(ds!.table.length).toBe(distinct(expectedTs).length);
      const g = weekdayGaps(distinct(expectedTs));
      expect(gateValue(ds!, 'gaps')).toBe(g.gaps);
      expect(gateValue(ds!, 'longest gap (bars)')).toBe(g.longest);
      expect(ds!.gate!.pass).toBe(true);
    });
  }

  it('the long stock histories have exactly one gap: the four-weekday market closure after 2001-09-10', async () => {
    const { clean } = await ingestAndClean(lake.dir, sharedFile('backtrader/orcl-1995-2014.txt'));
    expect(gateValue(clean[0]!, 'gaps')).toBe(1);
    expect(String(fact(clean[0]!, 'longest gap'))).toBe('4 after 2001-09-10 00:00');
  });

  it('keeps open interest, adj_close and the optix extra columns', async () => {
    const a = await ingestAndClean(lake.dir, sharedFile('backtrader/2006-volume-day-001.txt'));
    expect(Object.keys(a.raw.table.columns)).toEqual(['ts', 'open', 'high', 'low', 'close', 'volume', 'open_interest']);
    expect((a.raw.table.columns['open_interest'] as Float64Array)[0]).toBe(1511674);
    expect(a.facts).toContain('CRLF line endings');
    const b = await ingestAndClean(lake.dir, sharedFile('backtrader/2006-day-001-optix.txt'));
    expect(Object.keys(b.raw.table.columns)).toContain('optix_pess');
    const c = await ingestAndClean(lake.dir, sharedFile('backtrader/nvda-2014.txt'));
    expect((c.clean[0]!.table.columns['adj_close'] as Float64Array)[0]).toBe(15.096152);
  });
});

describe.skipIf(!sharedDataDir)('real files: backtrader coarse bars (2-day, weekly, 2-week, monthly)', () => {
  const WEEK_ANCHOR = 4 * DAY;
  const cases = [
    { file: '2006-day-002.txt', rows: 129, first: '2006-01-03', last: '2006-12-29', to: '1w' },
    { file: '2006-week-001.txt', rows: 52, first: '2006-01-06', last: '2006-12-29', to: '1w' },
    { file: '2006-week-002.txt', rows: 26, first: '2006-01-13', last: '2006-12-29', to: '1M' },
    { file: '2006-month-001.txt', rows: 12, first: '2006-01-31', last: '2006-12-29', to: '1M' },
  ] as const;
  for (const c of cases) {
    it(`${c.file}: ${c.rows} rows, cleaned to ${c.to} buckets counted by hand`, async () => {
      const path = sharedFile(`backtrader/${c.file}`);
      const ts = csvRows(path).map((r) => ymd(r[0]!));
      const { raw, clean } = await ingestAndClean(lake.dir, path);
      expect(raw.table.length).toBe(c.rows);
      expect([tsOf(raw)[0], tsOf(raw).at(-1)]).toEqual([ymd(c.first), ymd(c.last)]);
      const ds = clean[0]!;
      expect(ds.name.endsWith(`:${c.to}`)).toBe(true);
      const buckets = c.to === '1w' ? fixedBuckets(ts, 7 * DAY, WEEK_ANCHOR) : monthBuckets(ts);
      expect(tsOf(ds)).toEqual(buckets);
      const g = c.to === '1w' ? fixedGaps(buckets, 7 * DAY) : { gaps: 0, longest: 0 };
      expect(gateValue(ds, 'gaps')).toBe(g.gaps);
      // a weekly bar opens on Monday; the file dates it on the week's last trading day
      if (c.to === '1w') expect(new Date(tsOf(ds)[0]!).getUTCDay()).toBe(1);
    });
  }
});

describe.skipIf(!sharedDataDir)('real files: backtrader intraday (naive local time, session bars)', () => {
  it('2006-min-005.txt: 2142 5-minute rows 2006-01-02 09:05 .. 01-30 17:30; 15m session bars counted by hand', async () => {
    const path = sharedFile('backtrader/2006-min-005.txt');
    const ts = csvRows(path).map((r) => ymd(r[0]!, r[1]!));
    const { raw, clean, facts } = await ingestAndClean(lake.dir, path);
    expect(raw.table.length).toBe(2142);
    expect(tsOf(raw)).toEqual(ts);
    expect(facts.some((f) => f.includes('naive local time'))).toBe(true);
    const ds = clean[0]!;
    const { buckets, open } = sessionBuckets(ts, 15 * MIN);
    expect(open).toBe(9 * 60 * MIN + 5 * MIN);
    expect(tsOf(ds)).toEqual(buckets);
    expect(gateValue(ds, 'gaps')).toBe(0);
    // session bars carry their end: the last bar of each day ends at the session close (17:35)
    const closeTs = ds.table.columns['close_ts'] as Float64Array;
    expect(closeTs[ds.table.length - 1]).toBe(ymd('2006-01-30', '17:35'));
  });

  it('2006-01-02-volume-min-001.txt: malformed header (7 names, 8 fields), CRLF, 30889 rows; 595 two-minute steps', async () => {
    const path = sharedFile('backtrader/2006-01-02-volume-min-001.txt');
    const rows = csvRows(path);
    expect(rows[0]!.length).toBe(8);
    const ts = rows.map((r) => ymd(r[0]!, r[1]!));
    const { raw, clean, facts } = await ingestAndClean(lake.dir, path);
    expect(raw.table.length).toBe(30889);
    expect(tsOf(raw)).toEqual(ts);
    expect([tsOf(raw)[0], tsOf(raw).at(-1)]).toEqual([ymd('2006-01-02', '09:01'), ymd('2006-02-27', '22:00')]);
    expect(facts.some((f) => f.startsWith('malformed header: it names 7 columns but rows have 8 fields'))).toBe(true);
    expect(facts).toContain('CRLF line endings');
    expect((raw.table.columns['volume'] as Float64Array)[0]).toBe(5699);
    // two-minute steps within a day (README: 595), counted from the text
    let twoMinute = 0;
    let longer = 0;
    for (let i = 1; i < ts.length; i++) {
      if (rows[i]![0] !== rows[i - 1]![0]) continue;
      const step = ts[i]! - ts[i - 1]!;
      if (step === 2 * MIN) twoMinute++;
      else if (step > 2 * MIN) longer++;
    }
    expect(twoMinute).toBe(595);
    const ds = clean[0]!;
    expect(tsOf(ds)).toEqual(sessionBuckets(ts, 15 * MIN).buckets);
    // the source-level gap count includes every intraday step of two minutes or more
    expect(fact(ds, 'source gaps (1m)')).toBeGreaterThanOrEqual(twoMinute + longer);
  });

  it('ticksample.csv: 135 trade ticks with ms timestamps (one repeated) become 15m bars of summed volume', async () => {
    const path = sharedFile('backtrader/ticksample.csv');
    const rows = csvRows(path);
    const ts = rows.map((r) => {
      const [d, t] = r[0]!.split('T');
      return ymd(d!, t!);
    });
    expect(ts.length - distinct(ts).length).toBe(1);
    const { raw, clean, quarantined } = await ingestAndClean(lake.dir, path);
    expect(raw.kind).toBe('trades');
    expect(raw.table.length).toBe(135);
    expect([tsOf(raw)[0], tsOf(raw).at(-1)]).toEqual([ymd('2015-09-23', '20:57:42.146'), ymd('2015-09-23', '21:00:00.238')]);
    expect(quarantined).toBe(0);
    const ds = clean[0]!;
    expect(tsOf(ds)).toEqual(fixedBuckets(ts, 15 * MIN));
    const vol = ds.table.columns['volume'] as Float64Array;
    expect(vol[0]! + vol[1]!).toBe(rows.reduce((s, r) => s + Number(r[5]), 0));
  });

  it('bidask.csv (MM/DD/YYYY quotes, mid price) and bidask2.csv (DD/MM/YY dealt prices, mapped by position)', async () => {
    const a = await ingestAndClean(lake.dir, sharedFile('backtrader/bidask.csv'));
    expect(a.raw.table.length).toBe(10);
    expect([tsOf(a.raw)[0], tsOf(a.raw).at(-1)]).toEqual([ymd('2010-02-03', '16:53:50'), ymd('2010-02-03', '16:53:59')]);
    expect((a.raw.table.columns['price'] as Float64Array)[0]).toBeCloseTo((0.5346 + 0.5347) / 2, 12);
    expect(a.clean[0]!.table.length).toBe(1);
    const b = await ingestAndClean(lake.dir, sharedFile('backtrader/bidask2.csv'), { map: 'ts=#1+#2,price=#6,amount=#8', tsFormat: 'dmy', kind: 'trades' });
    expect(b.raw.table.length).toBe(10);
    expect([tsOf(b.raw)[0], tsOf(b.raw).at(-1)]).toEqual([ymd('2016-03-01', '23:43:11'), ymd('2016-03-01', '23:54:27')]);
    expect((b.raw.table.columns['price'] as Float64Array)[0]).toBe(130.52);
    expect((b.raw.table.columns['amount'] as Float64Array)[0]).toBe(1_000_000);
    expect(b.clean[0]!.table.length).toBe(2);
  });
});

if (!sharedDataDir) describe('real files: backtrader', () => it.skip(SHARED_SKIP_REASON, () => {}));
