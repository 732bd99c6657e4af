/**
 * Must-show 1 (freqtrade folder): every real file ingests and cleans. Rows, ranges and source gap
 * counts are the README's (../shared/data/README.md); timestamps are read independently (Arrow,
 * JSON.parse, DuckDB directly) and clean bar and gap counts computed here with plain loops.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { sharedDataDir, sharedFile, SHARED_SKIP_REASON } from '../../helpers/shared-data.js';
import { csvRows, distinct, featherTimes, fixedBuckets, fixedGaps, jsonTimes, parquetTimes, ymd, DAY, HOUR, MIN } from './independent.js';
import { tempLake, ingestAndClean, tsOf, fact, gateValue } from './shared-harness.js';

const lake = tempLake();
afterAll(() => lake.done());

interface Spec {
  readonly file: string;
  readonly rows: number;
  readonly first: string;
  readonly last: string;
  readonly interval: '1m' | '5m' | '30m' | '1h' | '8h';
  /** README "gaps": steps longer than the interval. */
  readonly sourceGaps?: number;
  readonly clean: '15m' | '1h' | '1d';
  readonly assetClass: string;
}

const t = (s: string): number => {
  const [d, hm] = s.split(' ');
  return ymd(d!, hm ?? '00:00');
};
const STEP = { '1m': MIN, '5m': 5 * MIN, '30m': 30 * MIN, '1h': HOUR, '8h': 8 * HOUR } as const;
const CLEAN = { '15m': 15 * MIN, '1h': HOUR, '1d': DAY } as const;

const SPECS: readonly Spec[] = [
  { file: 'ADA_BTC-5m.feather', rows: 5720, first: '2018-01-10 04:55', last: '2018-01-30 04:50', interval: '5m', sourceGaps: 5, clean: '15m', assetClass: 'crypto_spot' },
  { file: 'DASH_BTC-5m.feather', rows: 5758, first: '2018-01-10 04:55', last: '2018-01-30 04:50', interval: '5m', sourceGaps: 2, clean: '15m', assetClass: 'crypto_spot' },
  { file: 'ETC_BTC-5m.feather', rows: 5759, first: '2018-01-10 04:55', last: '2018-01-30 04:45', interval: '5m', sourceGaps: 0, clean: '15m', assetClass: 'crypto_spot' },
  { file: 'ETH_BTC-5m.feather', rows: 5760, first: '2018-01-10 04:55', last: '2018-01-30 04:50', interval: '5m', sourceGaps: 0, clean: '15m', assetClass: 'crypto_spot' },
  { file: 'LTC_BTC-5m.feather', rows: 5760, first: '2018-01-10 04:55', last: '2018-01-30 04:50', interval: '5m', sourceGaps: 0, clean: '15m', assetClass: 'crypto_spot' },
  { file: 'NXT_BTC-5m.feather', rows: 5760, first: '2018-01-10 04:55', last: '2018-01-30 04:50', interval: '5m', sourceGaps: 0, clean: '15m', assetClass: 'crypto_spot' },
  { file: 'TRX_BTC-5m.feather', rows: 5754, first: '2018-01-10 04:55', last: '2018-01-30 04:50', interval: '5m', sourceGaps: 6, clean: '15m', assetClass: 'crypto_spot' },
  { file: 'XLM_BTC-5m.feather', rows: 5760, first: '2018-01-10 04:55', last: '2018-01-30 04:50', interval: '5m', sourceGaps: 0, clean: '15m', assetClass: 'crypto_spot' },
  { file: 'XMR_BTC-5m.feather', rows: 5758, first: '2018-01-10 04:55', last: '2018-01-30 04:50', interval: '5m', sourceGaps: 2, clean: '15m', assetClass: 'crypto_spot' },
  { file: 'ZEC_BTC-5m.feather', rows: 5757, first: '2018-01-10 04:55', last: '2018-01-30 04:45', interval: '5m', sourceGaps: 2, clean: '15m', assetClass: 'crypto_spot' },
  { file: 'UNITTEST_BTC-1m.feather', rows: 13681, first: '2017-11-04 23:02', last: '2017-11-14 22:59', interval: '1m', sourceGaps: 538, clean: '15m', assetClass: 'crypto_spot' },
  { file: 'UNITTEST_BTC-1m.json', rows: 13681, first: '2017-11-04 23:02', last: '2017-11-14 22:59', interval: '1m', sourceGaps: 538, clean: '15m', assetClass: 'crypto_spot' },
  { file: 'UNITTEST_BTC-30m.feather', rows: 1920, first: '2017-12-03 13:00', last: '2018-01-12 12:30', interval: '30m', sourceGaps: 0, clean: '1h', assetClass: 'crypto_spot' },
  { file: 'XRP_ETH-1m.feather', rows: 2469, first: '2019-10-11 00:00', last: '2019-10-13 11:19', interval: '1m', sourceGaps: 676, clean: '15m', assetClass: 'crypto_spot' },
  { file: 'XRP_ETH-5m.feather', rows: 706, first: '2019-10-11 00:00', last: '2019-10-13 11:15', interval: '5m', sourceGaps: 6, clean: '15m', assetClass: 'crypto_spot' },
  { file: 'futures/XRP_USDT_USDT-5m-futures.feather', rows: 1999, first: '2021-11-15 00:00', last: '2021-11-21 22:30', interval: '5m', clean: '15m', assetClass: 'crypto_perp' },
  { file: 'futures/XRP_USDT_USDT-1h-futures.feather', rows: 100, first: '2021-11-17 01:00', last: '2021-11-21 04:00', interval: '1h', clean: '1h', assetClass: 'crypto_perp' },
  { file: 'futures/XRP_USDT_USDT-1h-futures.json.gz', rows: 100, first: '2021-11-17 01:00', last: '2021-11-21 04:00', interval: '1h', clean: '1h', assetClass: 'crypto_perp' },
  { file: 'futures/XRP_USDT_USDT-1h-mark.feather', rows: 100, first: '2021-11-15 06:00', last: '2021-11-19 09:00', interval: '1h', clean: '1h', assetClass: 'crypto_perp' },
  { file: 'futures/XRP_USDT_USDT-8h-mark.feather', rows: 91, first: '2021-11-18 00:00', last: '2021-12-18 00:00', interval: '8h', clean: '1d', assetClass: 'crypto_perp' },
];

describe.skipIf(!sharedDataDir)('real files: freqtrade OHLCV (Feather with LZ4 frames, JSON, JSON.gz)', () => {
  for (const s of SPECS) {
    it(`${s.file}: ${s.rows} rows ${s.first} .. ${s.last}${s.sourceGaps !== undefined ? `, ${s.sourceGaps} gaps` : ''}, clean ${s.clean}`, async () => {
      const path = sharedFile(`freqtrade/${s.file}`);
      const ts = s.file.includes('.json') ? jsonTimes(path) : featherTimes(path);
      const { raw, clean, quarantined } = await ingestAndClean(lake.dir, path);
      expect(raw.table.length).toBe(s.rows);
      expect(raw.interval).toBe(s.interval);
      expect(raw.assetClass).toBe(s.assetClass);
      expect(tsOf(raw)).toEqual(ts);
      expect([tsOf(raw)[0], tsOf(raw).at(-1)]).toEqual([t(s.first), t(s.last)]);
      expect(quarantined).toBe(0);
      const step = STEP[s.interval];
      const src = fixedGaps(distinct(ts), step);
      if (s.sourceGaps !== undefined) expect(src.gaps).toBe(s.sourceGaps);
      const ds = clean[0]!;
      expect(ds.name.endsWith(`:${s.clean}`)).toBe(true);
      expect(fact(ds, `source gaps (${s.interval})`)).toBe(src.gaps);
      const buckets = fixedBuckets(ts, CLEAN[s.clean]);
      expect(tsOf(ds)).toEqual(buckets);
      const g = fixedGaps(buckets, CLEAN[s.clean]);
      expect(gateValue(ds, 'gaps')).toBe(g.gaps);
      expect(gateValue(ds, 'longest gap (bars)')).toBe(g.longest);
      // perpetual-swap bars with no funding loaded: the gate names the missing funding
      if (s.assetClass === 'crypto_perp') expect(gateValue(ds, 'funding alignment')).toBe('missing');
    });
  }

  it('the JSON and Feather copies of UNITTEST/BTC 1m clean to the same bars (to 1e-12 relative)', async () => {
    const a = (await ingestAndClean(lake.dir, sharedFile('freqtrade/UNITTEST_BTC-1m.feather'))).clean[0]!;
    const b = (await ingestAndClean(lake.dir, sharedFile('freqtrade/UNITTEST_BTC-1m.json'))).clean[0]!;
    expect(tsOf(a)).toEqual(tsOf(b));
    const ca = a.table.columns['close'] as Float64Array;
    const cb = b.table.columns['close'] as Float64Array;
    for (let i = 0; i < ca.length; i++) expect(Math.abs(ca[i]! - cb[i]!) / ca[i]!).toBeLessThan(1e-12);
  });

  it('mark-price candles with null volume get volume 0 and a fact saying so', async () => {
    const r = await ingestAndClean(lake.dir, sharedFile('freqtrade/futures/XRP_USDT_USDT-1h-mark.feather'));
    expect(Array.from(r.raw.table.columns['volume'] as Float64Array).every((v) => v === 0)).toBe(true);
    expect(r.facts.some((f) => f.startsWith('volume is empty in every row'))).toBe(true);
  });
});

describe.skipIf(!sharedDataDir)('real files: freqtrade and Kraken trades', () => {
  it('XRP_ETH trades (Parquet and JSON.gz): 12477 trades, 2490 repeated timestamps kept, 15m bars with taker-buy volume', async () => {
    const path = sharedFile('freqtrade/XRP_ETH-trades.parquet');
    const ts = await parquetTimes(path, 'timestamp');
    expect(ts.length - distinct(ts).length).toBe(2490);
    const p = await ingestAndClean(lake.dir, path);
    expect(p.raw.kind).toBe('trades');
    expect(p.raw.table.length).toBe(12477);
    expect(tsOf(p.raw)).toEqual(ts);
    expect([tsOf(p.raw)[0], tsOf(p.raw).at(-1)]).toEqual([ymd('2019-10-11', '00:00:11.620'), ymd('2019-10-13', '11:19:28.844')]);
    const ds = p.clean[0]!;
    expect(tsOf(ds)).toEqual(fixedBuckets(ts, 15 * MIN));
    expect(gateValue(ds, 'gaps')).toBe(fixedGaps(fixedBuckets(ts, 15 * MIN), 15 * MIN).gaps);
    const trades = ds.table.columns['trades'] as Float64Array;
    expect(trades.reduce((s, x) => s + x, 0)).toBe(12477);
    const j = await ingestAndClean(lake.dir, sharedFile('freqtrade/XRP_ETH-trades.json.gz'));
    expect(j.raw.table.length).toBe(12477);
    expect(tsOf(j.clean[0]!)).toEqual(tsOf(ds));
    expect(Array.from(j.clean[0]!.table.columns['taker_buy_volume'] as Float64Array)).toEqual(Array.from(ds.table.columns['taker_buy_volume'] as Float64Array));
  });

  for (const [file, rows, first, last] of [
    ['kraken/trades_csv/BCHEUR.csv', 148, '2023-01-01 00:03:56', '2023-01-01 23:19:47'],
    ['kraken/trades_csv/incremental_q2/BCHEUR.csv', 486, '2023-01-02 00:48:56', '2023-01-02 23:17:03'],
  ] as const) {
    it(`${file}: ${rows} trades (no header, unix seconds), 15m bars and gaps counted by hand`, async () => {
      const path = sharedFile(`freqtrade/${file}`);
      const ts = csvRows(path, false).map((r) => Number(r[0]) * 1000);
      const { raw, clean } = await ingestAndClean(lake.dir, path, { preset: 'kraken-trades' });
      expect(raw.table.length).toBe(rows);
      expect(tsOf(raw)).toEqual(ts);
      const [d0, t0] = first.split(' ');
      const [d1, t1] = last.split(' ');
      expect([tsOf(raw)[0], tsOf(raw).at(-1)]).toEqual([ymd(d0!, t0!), ymd(d1!, t1!)]);
      const buckets = fixedBuckets(ts, 15 * MIN);
      const ds = clean[0]!;
      expect(tsOf(ds)).toEqual(buckets);
      const g = fixedGaps(buckets, 15 * MIN);
      expect(gateValue(ds, 'gaps')).toBe(g.gaps);
      expect(gateValue(ds, 'longest gap (bars)')).toBe(g.longest);
      expect(ds.gate!.pass).toBe(false); // a thinly traded day: many empty 15-minute buckets
    });
  }
});

if (!sharedDataDir) describe('real files: freqtrade', () => it.skip(SHARED_SKIP_REASON, () => {}));
