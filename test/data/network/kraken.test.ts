/**
 * Kraken spot through ccxt against the Kraken fixture: OHLC paged by `since` (seconds, exclusive),
 * the in-progress last row dropped, Kraken's in-body rate-limit error and an HTTP 429 waited out,
 * a resume that asks only after the last bar held, and an unknown pair refused.
 */
import { describe, expect, it } from 'vitest';
import { startKrakenFixture } from '../../fixtures/servers/kraken.js';
import { fixtureBar, seedOf } from '../../fixtures/servers/fixture-server.js';
import { ingestNetwork } from '../../../src/data/network/ingest.js';
import { UserError } from '../../../src/core/errors.js';
import { useFixtureServer, T } from './helpers.js';

const H = 3600_000;
const NOW = T('2024-01-06T00:30:00Z');
const fx = useFixtureServer(() => startKrakenFixture({ listedFrom: T('2023-12-01T00:00:00Z'), until: NOW, pageSize: 50 }));

const setup = () => fx.setup('kraken', { now: NOW, options: { rate_limit_ms: 1, page_limit: 720 } });

const sinces = () => fx.server.requestsTo('/0/public/OHLC').filter((r) => !r.fault).map((r) => Number(r.query['since']));

describe('kraken OHLC', () => {
  it('downloads 120 hourly bars in pages of 50, asking by since (seconds)', async () => {
    const { clock, source, store } = setup();
    const from = T('2024-01-01T00:00:00Z');
    const r = await ingestNetwork(source, store, { symbol: 'XBTUSD', what: 'ohlcv', interval: '1h', start: from, end: T('2024-01-06T00:00:00Z') }, clock.deps);
    // ccxt asks since = since_ms/1000 − one interval, because Kraken returns rows strictly after `since`.
    expect(sinces()).toEqual([from / 1000 - 3600, (from + 49 * H) / 1000, (from + 99 * H) / 1000]);
    expect(fx.server.requestsTo('/0/public/OHLC').map((q) => q.query['pair'])).toEqual(['XXBTZUSD', 'XXBTZUSD', 'XXBTZUSD']);
    expect(r.stats.pages).toBe(3);
    const ds = r.dataset!;
    expect(ds.name).toBe('raw:BTCUSD:1h');
    expect(ds.assetClass).toBe('crypto_spot');
    expect(ds.table.length).toBe(120);
    const ts = ds.table.columns['ts'] as Float64Array;
    expect([ts[0], ts[119]]).toEqual([from, from + 119 * H]);
    const b = fixtureBar(seedOf('XBTUSD'), from / H + 7);
    expect((ds.table.columns['close'] as Float64Array)[7]).toBeCloseTo(Number(b.close.toFixed(1)), 9);
    expect((ds.table.columns['low'] as Float64Array)[7]).toBeCloseTo(Number(b.low.toFixed(1)), 9);
  });

  it('drops the row still forming at now (Kraken always sends it last)', async () => {
    const { clock, source, store } = setup();
    const r = await ingestNetwork(source, store, { symbol: 'BTC/USD', what: 'ohlcv', interval: '1h', start: T('2024-01-05T12:00:00Z') }, clock.deps);
    const ts = r.dataset!.table.columns['ts'] as Float64Array;
    expect(ts[ts.length - 1]).toBe(T('2024-01-05T23:00:00Z'));
    expect(r.dataset!.table.length).toBe(12);
  });

  it("waits out Kraken's in-body EAPI:Rate limit exceeded (schedule) and an HTTP 429 (Retry-After)", async () => {
    const { clock, source, store } = setup();
    fx.server.inject('/0/public/OHLC', { kind: 'rate-limit', inBody: true });
    fx.server.inject('/0/public/OHLC', { kind: 'rate-limit', retryAfterS: 5 });
    const r = await ingestNetwork(source, store, { symbol: 'ETHUSD', what: 'ohlcv', interval: '1h', start: T('2024-01-04T00:00:00Z'), end: T('2024-01-05T00:00:00Z') }, clock.deps);
    expect(clock.sleeps).toEqual([1000, 5000]);
    expect(r.stats.retries.map((e) => [e.reason, e.status ?? null, e.fromServer])).toEqual([
      ['rate-limit', 200, false],
      ['rate-limit', 429, true],
    ]);
    expect(r.dataset!.table.length).toBe(24);
  });

  it('resumes after the last bar held', async () => {
    const { clock, source, store } = setup();
    const from = T('2024-01-01T00:00:00Z');
    await ingestNetwork(source, store, { symbol: 'XBTUSD', what: 'ohlcv', interval: '1h', start: from, end: T('2024-01-03T00:00:00Z') }, clock.deps);
    fx.server.clearLog();
    const r = await ingestNetwork(source, store, { symbol: 'XBTUSD', what: 'ohlcv', interval: '1h', start: from, end: T('2024-01-04T00:00:00Z') }, clock.deps);
    // Held up to 23:00 Jan 2; the tail starts at 00:00 Jan 3, i.e. since = 23:00 Jan 2 in seconds.
    expect(sinces()).toEqual([T('2024-01-02T23:00:00Z') / 1000]);
    expect(r.fetched.map((f) => [f.side, f.rows])).toEqual([['tail', 24]]);
    expect(r.dataset!.table.length).toBe(72);
  });

  it('ends the download on an empty page without storing anything', async () => {
    const { clock, source, store } = setup();
    fx.server.inject('/0/public/OHLC', { kind: 'empty' });
    const r = await ingestNetwork(source, store, { symbol: 'XBTUSD', what: 'ohlcv', interval: '1h', start: T('2024-01-01T00:00:00Z') }, clock.deps);
    expect(fx.server.requestsTo('/0/public/OHLC')).toHaveLength(1);
    expect(r.dataset).toBeUndefined();
    expect(await store.coverage(r.key)).toBeUndefined();
  });

  it('refuses a pair Kraken does not list, with a did-you-mean, leaving the lake empty', async () => {
    const { clock, source, store } = setup();
    const p = ingestNetwork(source, store, { symbol: 'BTCUSE', what: 'ohlcv', interval: '1h', start: T('2024-01-01T00:00:00Z') }, clock.deps);
    await expect(p).rejects.toThrow(UserError);
    await expect(p).rejects.toThrow("kraken does not list a spot market 'BTCUSE'; did you mean 'BTCUSD'?");
    expect(sinces()).toEqual([]);
    expect(await store.coverage({ source: 'kraken', symbol: 'BTCUSE', interval: '1h' })).toBeUndefined();
  });

  it("names the pair when Kraken answers EQuery:Unknown asset pair", async () => {
    const { clock, source, store } = setup();
    fx.server.inject('/0/public/OHLC', { kind: 'unknown-symbol' });
    await expect(
      ingestNetwork(source, store, { symbol: 'SOLUSD', what: 'ohlcv', interval: '1h', start: T('2024-01-01T00:00:00Z') }, clock.deps),
    ).rejects.toThrow(/kraken does not list 'SOLUSD'.*Unknown asset pair/);
  });

  it('refuses an interval Kraken does not offer', async () => {
    const { clock, source, store } = setup();
    await expect(
      ingestNetwork(source, store, { symbol: 'XBTUSD', what: 'ohlcv', interval: '8h', start: T('2024-01-01T00:00:00Z') }, clock.deps),
    ).rejects.toThrow(/kraken has no 8h bars/);
  });
});
