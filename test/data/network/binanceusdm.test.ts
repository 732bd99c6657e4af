/**
 * Binance USDⓈ-M through ccxt against the Binance fixture server: bars, funding and open interest,
 * paged with ccxt's since/limit, rate limits waited out, resumes that fetch only the tail, and an
 * unlisted symbol refused with a did-you-mean. The lake is a real Parquet lake in a temp folder.
 */
import { describe, expect, it } from 'vitest';
import { startBinanceFixture, fixtureFundingRate, fixtureOpenInterest } from '../../fixtures/servers/binance.js';
import { fixtureBar, seedOf } from '../../fixtures/servers/fixture-server.js';
import { CcxtSource } from '../../../src/data/network/ccxt-source.js';
import { ingestNetwork } from '../../../src/data/network/ingest.js';
import { CancelledError, UserError } from '../../../src/core/errors.js';
import { useFixtureServer, testNetworkConfig, T } from './helpers.js';

const M15 = 15 * 60_000;
const NOW = T('2024-01-05T00:07:00Z');
const fx = useFixtureServer(() => startBinanceFixture({ listedFrom: T('2023-11-01T00:00:00Z'), until: NOW }));

const setup = (pageLimit = 100) =>
  fx.setup('binanceusdm', { now: NOW, options: { rate_limit_ms: 1, page_limit: pageLimit, funding_page_limit: 4, oi_page_limit: 50 } });

const klineStarts = () => fx.server.requestsTo('/fapi/v1/klines').filter((r) => !r.fault).map((r) => Number(r.query['startTime']));

describe('binanceusdm bars', () => {
  it('downloads 288 15m bars in three pages of 100 through ccxt since/limit', async () => {
    const { source, store, clock } = setup(100);
    const from = T('2024-01-01T00:00:00Z');
    const r = await ingestNetwork(source, store, { symbol: 'BTCUSDT', what: 'ohlcv', interval: '15m', start: from, end: T('2024-01-04T00:00:00Z') }, clock.deps);
    expect(fx.server.requestsTo('/fapi/v1/exchangeInfo')).toHaveLength(1);
    expect(klineStarts()).toEqual([from, from + 100 * M15, from + 200 * M15]);
    expect(fx.server.requestsTo('/fapi/v1/klines').map((q) => q.query['limit'])).toEqual(['100', '100', '100']);
    expect(r.stats.pages).toBe(3);
    const ds = r.dataset!;
    expect(ds.name).toBe('raw:BTCUSDT:15m');
    expect(ds.stage).toBe('raw');
    expect(ds.source).toBe('binanceusdm');
    expect(ds.assetClass).toBe('crypto_perp');
    expect(ds.table.length).toBe(288);
    const ts = ds.table.columns['ts'] as Float64Array;
    expect(ts[0]).toBe(from);
    expect(ts[287]).toBe(from + 287 * M15);
    // Columns land where they belong: compare with the fixture's own formula (prices rounded to cents).
    const x = from / M15 + 10;
    const bar = fixtureBar(seedOf('BTCUSDT'), x);
    expect((ds.table.columns['open'] as Float64Array)[10]).toBeCloseTo(Number(bar.open.toFixed(2)), 9);
    expect((ds.table.columns['close'] as Float64Array)[10]).toBeCloseTo(Number(bar.close.toFixed(2)), 9);
    expect((ds.table.columns['high'] as Float64Array)[10]).toBeCloseTo(Number(bar.high.toFixed(2)), 9);
    expect((ds.table.columns['volume'] as Float64Array)[10]).toBeCloseTo(bar.volume, 9);
    // Kline field 9, the taker-buy base volume (the fixture sends 45% of the volume, 3 decimals).
    expect((ds.table.columns['taker_buy_volume'] as Float64Array)[10]).toBeCloseTo(Number((bar.volume * 0.45).toFixed(3)), 9);
    expect(Object.keys(ds.table.columns)).toEqual(['ts', 'open', 'high', 'low', 'close', 'volume', 'taker_buy_volume']);
    expect(r.after).toMatchObject({ from, to: from + 287 * M15, rows: 288, segments: 1 });
  });

  it('drops the bar still forming at "now" (Binance serves it)', async () => {
    const { source, store, clock } = setup(1000);
    const r = await ingestNetwork(source, store, { symbol: 'BTCUSDT', what: 'ohlcv', interval: '15m', start: T('2024-01-04T20:00:00Z') }, clock.deps);
    const ts = r.dataset!.table.columns['ts'] as Float64Array;
    // now = 00:07; the 00:00 bar closes at 00:15, so the last complete bar opened at 23:45.
    expect(ts[ts.length - 1]).toBe(T('2024-01-04T23:45:00Z'));
    expect(r.dataset!.table.length).toBe(16);
  });

  it('waits out a 429 with Retry-After: 3 s and carries on', async () => {
    const { source, store, clock } = setup(100);
    fx.server.inject('/fapi/v1/klines', { kind: 'rate-limit', retryAfterS: 3 });
    const r = await ingestNetwork(source, store, { symbol: 'BTCUSDT', what: 'ohlcv', interval: '15m', start: T('2024-01-01T00:00:00Z'), end: T('2024-01-02T00:00:00Z') }, clock.deps);
    expect(r.stats.retries).toEqual([{ attempt: 1, waitMs: 3000, reason: 'rate-limit', status: 429, fromServer: true }]);
    expect(clock.sleeps).toEqual([3000]);
    expect(fx.server.requestsTo('/fapi/v1/klines').map((q) => q.fault ?? 'ok')).toEqual(['rate-limit', 'ok']);
    expect(r.dataset!.table.length).toBe(96);
  });

  it('waits out a 418 ban with Retry-After and a 5xx on the backoff schedule', async () => {
    const { source, store, clock } = setup(100);
    fx.server.inject('/fapi/v1/klines', { kind: 'ban', retryAfterS: 2 });
    fx.server.inject('/fapi/v1/klines', { kind: 'server-error', status: 503 });
    const r = await ingestNetwork(source, store, { symbol: 'ETHUSDT', what: 'ohlcv', interval: '15m', start: T('2024-01-01T00:00:00Z'), end: T('2024-01-01T12:00:00Z') }, clock.deps);
    // attempt 1 → 418 (server says 2 s); attempt 2 → 503 (schedule: base·factor^1 = 2000 ms).
    expect(clock.sleeps).toEqual([2000, 2000]);
    expect(r.stats.retries.map((e) => [e.attempt, e.status, e.fromServer])).toEqual([[1, 418, true], [2, 503, false]]);
    expect(r.dataset!.table.length).toBe(48);
  });

  it('refuses a ban longer than max_retry_after_ms with a message, writing nothing', async () => {
    const { source, store, clock } = setup(100);
    fx.server.inject('/fapi/v1/klines', { kind: 'ban', retryAfterS: 3600 });
    const p = ingestNetwork(source, store, { symbol: 'BTCUSDT', what: 'ohlcv', interval: '15m', start: T('2024-01-01T00:00:00Z') }, clock.deps);
    await expect(p).rejects.toThrow(UserError);
    await expect(p).rejects.toThrow(/banned/);
    expect(clock.sleeps).toEqual([]);
    expect(await store.coverage({ source: 'binanceusdm', symbol: 'BTCUSDT', interval: '15m' })).toBeUndefined();
  });

  it('resumes by fetching only the missing tail', async () => {
    const { source, store, clock } = setup(100);
    const from = T('2024-01-01T00:00:00Z');
    await ingestNetwork(source, store, { symbol: 'BTCUSDT', what: 'ohlcv', interval: '15m', start: from, end: T('2024-01-03T00:00:00Z') }, clock.deps);
    fx.server.clearLog();
    const r = await ingestNetwork(source, store, { symbol: 'BTCUSDT', what: 'ohlcv', interval: '15m', start: from, end: T('2024-01-04T00:00:00Z') }, clock.deps);
    // The lake held 00:00 Jan 1 .. 23:45 Jan 2; the only request starts at the next bar, 00:00 Jan 3.
    expect(klineStarts()).toEqual([T('2024-01-03T00:00:00Z')]);
    expect(r.fetched).toEqual([{ from: T('2024-01-03T00:00:00Z'), to: T('2024-01-04T00:00:00Z'), side: 'tail', rows: 96, segments: 1 }]);
    expect(r.dataset!.table.length).toBe(288);
    expect(r.after).toMatchObject({ rows: 288, segments: 2 });
    const ts = r.dataset!.table.columns['ts'] as Float64Array;
    for (let i = 1; i < ts.length; i++) expect(ts[i]! - ts[i - 1]!).toBe(M15);
  });

  it('asks for nothing when the lake already covers the window', async () => {
    const { source, store, clock } = setup(100);
    const req = { symbol: 'BTCUSDT', what: 'ohlcv' as const, interval: '15m' as const, start: T('2024-01-01T00:00:00Z'), end: T('2024-01-01T06:00:00Z') };
    await ingestNetwork(source, store, req, clock.deps);
    fx.server.clearLog();
    const r = await ingestNetwork(source, store, req, clock.deps);
    expect(klineStarts()).toEqual([]);
    expect(r.fetched).toEqual([]);
    expect(r.dataset!.table.length).toBe(24);
  });

  it('stops cleanly on an empty page and writes nothing', async () => {
    const { source, store, clock } = setup(100);
    fx.server.inject('/fapi/v1/klines', { kind: 'empty' });
    const r = await ingestNetwork(source, store, { symbol: 'BTCUSDT', what: 'ohlcv', interval: '15m', start: T('2024-01-01T00:00:00Z') }, clock.deps);
    expect(fx.server.requestsTo('/fapi/v1/klines')).toHaveLength(1);
    expect(r.dataset).toBeUndefined();
    expect(r.fetched[0]!.rows).toBe(0);
    expect(await store.coverage(r.key)).toBeUndefined();
  });

  it('Ctrl+C between pages stops the download and stores nothing of the unfinished range', async () => {
    const { store, clock } = setup(100);
    const controller = new AbortController();
    const deps = { ...clock.deps, signal: controller.signal, progress: () => controller.abort() };
    const config = testNetworkConfig(fx.server.baseUrl, { binanceusdm: { base_url: fx.server.baseUrl, rate_limit_ms: 1, page_limit: 100 } });
    const source = new CcxtSource('binanceusdm', config, deps);
    const p = ingestNetwork(source, store, { symbol: 'BTCUSDT', what: 'ohlcv', interval: '15m', start: T('2024-01-01T00:00:00Z'), end: T('2024-01-04T00:00:00Z') }, deps);
    await expect(p).rejects.toBeInstanceOf(CancelledError);
    expect(klineStarts()).toHaveLength(1);
    expect(await store.coverage({ source: 'binanceusdm', symbol: 'BTCUSDT', interval: '15m' })).toBeUndefined();
  });
});

describe('binanceusdm symbols', () => {
  it('refuses a symbol the exchange does not list, naming it with a did-you-mean', async () => {
    const { source, store, clock } = setup(100);
    const p = ingestNetwork(source, store, { symbol: 'BTCUSDX', what: 'ohlcv', interval: '15m', start: T('2024-01-01T00:00:00Z') }, clock.deps);
    await expect(p).rejects.toThrow(UserError);
    await expect(p).rejects.toThrow("binanceusdm does not list a USDⓈ-M contract 'BTCUSDX'; did you mean 'BTCUSDT'?");
    expect(fx.server.requestsTo('/fapi/v1/klines')).toHaveLength(0);
  });

  it("turns the exchange's own -1121 Invalid symbol answer into a message naming the symbol", async () => {
    const { source, store, clock } = setup(100);
    fx.server.inject('/fapi/v1/klines', { kind: 'unknown-symbol' });
    const p = ingestNetwork(source, store, { symbol: 'SOLUSDT', what: 'ohlcv', interval: '15m', start: T('2024-01-01T00:00:00Z') }, clock.deps);
    await expect(p).rejects.toThrow(/binanceusdm does not list 'SOLUSDT'.*Invalid symbol/);
    expect(clock.sleeps).toEqual([]);
  });
});

describe('binanceusdm funding and open interest', () => {
  it('downloads funding events in pages of 4 and resumes from the last event', async () => {
    const { source, store, clock } = setup();
    const from = T('2024-01-01T00:00:00Z');
    const r = await ingestNetwork(source, store, { symbol: 'BTCUSDT', what: 'funding', start: from, end: T('2024-01-04T00:00:00Z') }, clock.deps);
    const starts = fx.server.requestsTo('/fapi/v1/fundingRate').map((q) => Number(q.query['startTime']));
    // 9 events (3 a day); pages of 4 → 4, 4, 1, then an empty page ends it (funding has no fixed
    // step, so only an empty answer says "nothing newer"); each page starts 1 ms after the last event.
    expect(starts).toEqual([from, from + 3 * 8 * 3600e3 + 1, from + 7 * 8 * 3600e3 + 1, from + 8 * 8 * 3600e3 + 1]);
    expect(r.stats.pages).toBe(3);
    expect(r.dataset!.name).toBe('raw:BTCUSDT:funding');
    expect(r.dataset!.kind).toBe('funding');
    const rate = r.dataset!.table.columns['rate'] as Float64Array;
    expect(rate.length).toBe(9);
    expect(rate[2]).toBeCloseTo(fixtureFundingRate('BTCUSDT', from / (8 * 3600e3) + 2), 12);
    fx.server.clearLog();
    const r2 = await ingestNetwork(source, store, { symbol: 'BTCUSDT', what: 'funding', start: from, end: T('2024-01-05T00:00:00Z') }, clock.deps);
    expect(fx.server.requestsTo('/fapi/v1/fundingRate').map((q) => Number(q.query['startTime']))[0]).toBe(T('2024-01-03T16:00:00Z') + 1);
    expect(r2.dataset!.table.length).toBe(12);
  });

  it('downloads open interest within Binance’s 30-day horizon, in pages of 50', async () => {
    const { source, store, clock } = setup();
    const r = await ingestNetwork(source, store, { symbol: 'BTCUSDT', what: 'oi', period: '1h', start: T('2023-11-01T00:00:00Z') }, clock.deps);
    expect(r.stats.notes.join(' ')).toMatch(/30 days/);
    expect(r.key.interval).toBe('oi-1h');
    expect(r.dataset!.name).toBe('raw:BTCUSDT:oi');
    const ts = r.dataset!.table.columns['ts'] as Float64Array;
    const first = Math.ceil((NOW - 30 * 86400e3) / 3600e3) * 3600e3;
    expect(ts[0]).toBe(first);
    // The fixture publishes a period's figure once the period is over: the last is 23:00 on Jan 4.
    expect(ts[ts.length - 1]).toBe(T('2024-01-04T23:00:00Z'));
    expect(ts.length).toBe((T('2024-01-04T23:00:00Z') - first) / 3600e3 + 1);
    // 719 hourly figures in pages of 50 → 15 pages, then one empty answer at 00:00 Jan 5 ends it.
    const reqs = fx.server.requestsTo('/futures/data/openInterestHist');
    expect(reqs.length).toBe(16);
    expect(r.stats.pages).toBe(15);
    expect(Number(reqs[1]!.query['startTime'])).toBe(first + 50 * 3600e3);
    // ccxt bounds each page: endTime = startTime + period · limit.
    expect(Number(reqs[1]!.query['endTime'])).toBe(first + 100 * 3600e3);
    const oi = r.dataset!.table.columns['open_interest'] as Float64Array;
    expect(oi[5]).toBeCloseTo(fixtureOpenInterest('BTCUSDT', first / 3600e3 + 5), 6);
  });
});
