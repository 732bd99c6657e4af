/**
 * Alpaca bars against the Alpaca fixture: next_page_token paging, a 429 carrying only
 * X-RateLimit-Reset waited out to the reset second, a resume that starts after the last bar held,
 * key errors naming the environment variables, and unknown symbols (empty answer / invalid symbol).
 */
import { describe, expect, it } from 'vitest';
import { ALPACA_FIXTURE_KEYS, alpacaFixtureTimes, startAlpacaFixture } from '../../fixtures/servers/alpaca.js';
import { fixtureBar, seedOf } from '../../fixtures/servers/fixture-server.js';
import { ingestNetwork } from '../../../src/data/network/ingest.js';
import { UserError } from '../../../src/core/errors.js';
import { useFixtureServer, T, type FakeClock } from './helpers.js';

const DAY = 86_400_000;
const NOW = T('2024-03-04T12:00:00Z');
const KEYS = { APCA_API_KEY_ID: ALPACA_FIXTURE_KEYS.id, APCA_API_SECRET_KEY: ALPACA_FIXTURE_KEYS.secret };
let current: FakeClock | undefined;
const fx = useFixtureServer(() => startAlpacaFixture({ listedFrom: T('2020-01-01T00:00:00Z'), until: NOW, clock: () => current?.deps.now() ?? NOW }));

function setup(env: Record<string, string> = KEYS) {
  const s = fx.setup('alpaca', { now: NOW, env, options: { rate_limit_ms: 0, page_limit: 100 } });
  current = s.clock;
  return s;
}

const barRequests = () => fx.server.requestsTo('/bars').filter((r) => !r.fault);

describe('alpaca bars', () => {
  it('follows next_page_token through three pages of a year of daily bars', async () => {
    const { clock, source, store } = setup();
    const from = T('2023-01-01T00:00:00Z');
    const to = T('2024-01-01T00:00:00Z');
    const r = await ingestNetwork(source, store, { symbol: 'SPY', what: 'ohlcv', interval: '1d', start: from, end: to }, clock.deps);
    const reqs = barRequests();
    expect(reqs.map((q) => q.query['page_token'] !== undefined)).toEqual([false, true, true]);
    expect(reqs.every((q) => q.query['start'] === '2023-01-01T00:00:00Z' && q.query['end'] === '2023-12-31T23:59:59.999Z')).toBe(true);
    expect(reqs.every((q) => q.query['timeframe'] === '1Day' && q.query['limit'] === '100' && q.query['feed'] === 'iex')).toBe(true);
    expect(reqs[0]!.headers['apca-api-key-id']).toBe(ALPACA_FIXTURE_KEYS.id);
    expect(r.stats.pages).toBe(3);
    const ds = r.dataset!;
    expect([ds.name, ds.source, ds.assetClass]).toEqual(['raw:SPY:1d', 'alpaca', 'equity']);
    expect(Object.keys(ds.table.columns)).toEqual(['ts', 'open', 'high', 'low', 'close', 'volume', 'trades', 'vwap']);
    const times = alpacaFixtureTimes('1Day', from, to);
    expect(Array.from(ds.table.columns['ts'] as Float64Array)).toEqual(times);
    const b = fixtureBar(seedOf('SPY'), Math.floor(times[150]! / DAY));
    expect((ds.table.columns['high'] as Float64Array)[150]).toBeCloseTo(b.high, 9);
    expect((ds.table.columns['vwap'] as Float64Array)[150]).toBeCloseTo((b.open + b.close) / 2, 9);
  });

  it('waits out a 429 until X-RateLimit-Reset and a 500 on the schedule', async () => {
    const { clock, source, store } = setup();
    fx.server.inject('/bars', { kind: 'rate-limit', retryAfterS: 3 });
    fx.server.inject('/bars', { kind: 'server-error' });
    const r = await ingestNetwork(source, store, { symbol: 'QQQ', what: 'ohlcv', interval: '1d', start: T('2024-01-01T00:00:00Z'), end: T('2024-02-01T00:00:00Z') }, clock.deps);
    expect(clock.sleeps).toEqual([3000, 2000]);
    expect(r.stats.retries.map((e) => [e.status, e.reason, e.fromServer])).toEqual([[429, 'rate-limit', true], [500, 'server', false]]);
    expect(r.dataset!.table.length).toBe(23);
  });

  it('resumes with a request that starts just after the last bar held', async () => {
    const { clock, source, store } = setup();
    const from = T('2023-06-01T00:00:00Z');
    const r1 = await ingestNetwork(source, store, { symbol: 'AAPL', what: 'ohlcv', interval: '1h', start: from, end: T('2023-07-01T00:00:00Z') }, clock.deps);
    expect(r1.after!.to).toBe(T('2023-06-30T20:00:00Z'));
    fx.server.clearLog();
    const r2 = await ingestNetwork(source, store, { symbol: 'AAPL', what: 'ohlcv', interval: '1h', start: from, end: T('2023-07-15T00:00:00Z') }, clock.deps);
    expect(barRequests().map((q) => q.query['start'])).toEqual(['2023-06-30T20:00:00.001Z']);
    expect(r2.fetched.map((f) => [f.side, f.rows])).toEqual([['tail', 7 * 10]]);
    expect(r2.dataset!.table.length).toBe(alpacaFixtureTimes('1Hour', from, T('2023-07-15T00:00:00Z')).length);
  });

  it('treats an empty page on a resume as "nothing newer" (no error once the lake has rows)', async () => {
    const { clock, source, store } = setup();
    const from = T('2024-01-01T00:00:00Z');
    await ingestNetwork(source, store, { symbol: 'SPY', what: 'ohlcv', interval: '1d', start: from, end: T('2024-01-15T00:00:00Z') }, clock.deps);
    fx.server.inject('/bars', { kind: 'empty' });
    const r = await ingestNetwork(source, store, { symbol: 'SPY', what: 'ohlcv', interval: '1d', start: from, end: T('2024-02-01T00:00:00Z') }, clock.deps);
    expect(r.fetched.map((f) => [f.side, f.rows])).toEqual([['tail', 0]]);
    expect(r.dataset!.table.length).toBe(10);
  });

  it('names the environment variables when keys are missing, before any request', async () => {
    const { clock, source, store } = setup({});
    await expect(
      ingestNetwork(source, store, { symbol: 'SPY', what: 'ohlcv', interval: '1d', start: T('2024-01-01T00:00:00Z') }, clock.deps),
    ).rejects.toThrow('alpaca needs API keys: set APCA_API_KEY_ID and APCA_API_SECRET_KEY in the environment');
    expect(fx.server.requests).toHaveLength(0);
  });

  it('names the environment variables when the keys are refused (403)', async () => {
    const { clock, source, store } = setup({ APCA_API_KEY_ID: 'wrong', APCA_API_SECRET_KEY: 'wrong' });
    await expect(
      ingestNetwork(source, store, { symbol: 'SPY', what: 'ohlcv', interval: '1d', start: T('2024-01-01T00:00:00Z') }, clock.deps),
    ).rejects.toThrow(/alpaca refused the API keys \(HTTP 403: forbidden\.\); check APCA_API_KEY_ID and APCA_API_SECRET_KEY/);
  });

  it('reports a symbol Alpaca answers with no bars at all, writing nothing', async () => {
    const { clock, source, store } = setup();
    const p = ingestNetwork(source, store, { symbol: 'ZZZZ', what: 'ohlcv', interval: '1d', start: T('2024-01-01T00:00:00Z') }, clock.deps);
    await expect(p).rejects.toThrow(UserError);
    await expect(p).rejects.toThrow(/alpaca returned no bars for 'ZZZZ'.*check the symbol/);
    expect(await store.coverage({ source: 'alpaca', symbol: 'ZZZZ', interval: '1d' })).toBeUndefined();
  });

  it("names the symbol on Alpaca's invalid-symbol answer", async () => {
    const { clock, source, store } = setup();
    fx.server.inject('/bars', { kind: 'unknown-symbol' });
    await expect(
      ingestNetwork(source, store, { symbol: 'BRK.Z', what: 'ohlcv', interval: '1d', start: T('2024-01-01T00:00:00Z') }, clock.deps),
    ).rejects.toThrow("alpaca refused bars for 'BRK.Z' (HTTP 400): invalid symbol: BRK.Z");
  });
});
