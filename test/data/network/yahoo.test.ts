/**
 * Yahoo through yahoo-finance2's chart() with its `fetch` option pointed at the Yahoo fixture:
 * chunked multi-request downloads, a 429 waited out (Retry-After) and a 502 on the schedule, a
 * resume that asks only after the last bar held, an empty range, and an unknown symbol (404).
 */
import { describe, expect, it } from 'vitest';
import { startYahooFixture, yahooAdjFactor, yahooFixtureTimes } from '../../fixtures/servers/yahoo.js';
import { fixtureBar, seedOf } from '../../fixtures/servers/fixture-server.js';
import { ingestNetwork } from '../../../src/data/network/ingest.js';
import { UserError } from '../../../src/core/errors.js';
import { useFixtureServer, T } from './helpers.js';

const DAY = 86_400_000;
const NOW = T('2024-03-04T12:00:00Z');
const fx = useFixtureServer(() => startYahooFixture({ listedFrom: T('2020-01-01T00:00:00Z'), until: NOW }));

const setup = () => fx.setup('yahoo', { now: NOW, options: { rate_limit_ms: 0, chunk_days_daily: 100 } });

/** Chart requests after the symbol check (which asks for 10 days of daily bars). */
const chunks = () =>
  fx.server
    .requestsTo('/v8/finance/chart/')
    .filter((r) => !r.fault)
    .slice(1)
    .map((r) => [Number(r.query['period1']), Number(r.query['period2'])]);

describe('yahoo chart', () => {
  it('downloads a year of daily bars in four 100-day chart requests', async () => {
    const { clock, source, store } = setup();
    const from = T('2023-01-01T00:00:00Z');
    const to = T('2024-01-01T00:00:00Z');
    const r = await ingestNetwork(source, store, { symbol: 'spy', what: 'ohlcv', interval: '1d', start: from, end: to }, clock.deps);
    expect(chunks()).toEqual([
      [from / 1000, (from + 100 * DAY) / 1000],
      [(from + 100 * DAY) / 1000, (from + 200 * DAY) / 1000],
      [(from + 200 * DAY) / 1000, (from + 300 * DAY) / 1000],
      [(from + 300 * DAY) / 1000, to / 1000],
    ]);
    const ds = r.dataset!;
    expect([ds.name, ds.assetClass, ds.source]).toEqual(['raw:SPY:1d', 'etf', 'yahoo']);
    const expected = yahooFixtureTimes('1d', from, to);
    expect(ds.table.length).toBe(expected.length);
    expect(expected.length).toBe(260);
    expect(Array.from(ds.table.columns['ts'] as Float64Array)).toEqual(expected);
    const i = 77;
    const b = fixtureBar(seedOf('SPY'), Math.floor(expected[i]! / DAY));
    expect((ds.table.columns['open'] as Float64Array)[i]).toBeCloseTo(b.open, 3);
    expect((ds.table.columns['close'] as Float64Array)[i]).toBeCloseTo(b.close, 3);
    expect((ds.table.columns['adj_close'] as Float64Array)[i]).toBeCloseTo(b.close * yahooAdjFactor, 3);
    expect(ds.meta?.['exchange_tz']).toBe('America/New_York');
  });

  it('waits out a 429 (Retry-After 2 s) and a 502 (schedule), then resumes with the tail only', async () => {
    const { clock, source, store } = setup();
    const from = T('2023-10-02T00:00:00Z');
    fx.server.inject('/v8/finance/chart/', { kind: 'rate-limit', retryAfterS: 2 });
    fx.server.inject('/v8/finance/chart/', { kind: 'server-error', status: 502 });
    const r1 = await ingestNetwork(source, store, { symbol: 'AAPL', what: 'ohlcv', interval: '1d', start: from, end: T('2024-01-01T00:00:00Z') }, clock.deps);
    expect(clock.sleeps).toEqual([2000, 2000]);
    expect(r1.stats.retries.map((e) => [e.status, e.waitMs, e.fromServer])).toEqual([[429, 2000, true], [502, 2000, false]]);
    const last = r1.after!.to;
    expect(last).toBe(T('2023-12-29T14:30:00Z'));
    fx.server.clearLog();
    const r2 = await ingestNetwork(source, store, { symbol: 'AAPL', what: 'ohlcv', interval: '1d', start: from, end: T('2024-02-01T00:00:00Z') }, clock.deps);
    // One chunk, starting one second after the last bar held.
    expect(chunks()).toEqual([[last / 1000 + 1, T('2024-02-01T00:00:00Z') / 1000]]);
    // January 2024 has 23 weekdays (the fixture keeps no holidays).
    expect(r2.fetched.map((f) => [f.side, f.rows])).toEqual([['tail', 23]]);
    expect(r2.dataset!.table.length).toBe(yahooFixtureTimes('1d', from, T('2024-02-01T00:00:00Z')).length);
  });

  it('keeps hourly bars and drops the session still open at now', async () => {
    const { clock, source, store } = setup();
    const r = await ingestNetwork(source, store, { symbol: 'SPY', what: 'ohlcv', interval: '1h', start: T('2024-02-26T00:00:00Z') }, clock.deps);
    // now = Mon 4 Mar 12:00 UTC: the last complete hourly bar opened Fri 1 Mar 20:30.
    const ts = r.dataset!.table.columns['ts'] as Float64Array;
    expect(ts.length).toBe(35);
    expect(ts[ts.length - 1]).toBe(T('2024-03-01T20:30:00Z'));
  });

  it('returns no dataset for a range with no trading days', async () => {
    const { clock, source, store } = setup();
    const r = await ingestNetwork(source, store, { symbol: 'SPY', what: 'ohlcv', interval: '1d', start: T('2024-01-06T00:00:00Z'), end: T('2024-01-08T00:00:00Z') }, clock.deps);
    expect(r.dataset).toBeUndefined();
    expect(await store.coverage(r.key)).toBeUndefined();
  });

  it('keeps going past an empty chunk (a chunk with no bars is not the end of the window)', async () => {
    const { clock, source, store } = setup();
    fx.server.inject('/v8/finance/chart/', { kind: 'empty' }, 2); // the symbol check and the first chunk
    const from = T('2023-01-01T00:00:00Z');
    const r = await ingestNetwork(source, store, { symbol: 'SPY', what: 'ohlcv', interval: '1d', start: from, end: T('2023-09-01T00:00:00Z') }, clock.deps);
    // The symbol check and 3 chunks of 100 days; the check and the first chunk came back empty.
    expect(fx.server.requestsTo('/v8/finance/chart/').map((q) => q.fault ?? 'ok')).toEqual(['empty', 'empty', 'ok', 'ok']);
    const ts = r.dataset!.table.columns['ts'] as Float64Array;
    expect(ts[0]).toBeGreaterThanOrEqual(from + 100 * DAY);
    expect(r.dataset!.table.length).toBe(yahooFixtureTimes('1d', from + 100 * DAY, T('2023-09-01T00:00:00Z')).length);
  });

  it('names a symbol Yahoo does not know (HTTP 404) and writes nothing', async () => {
    const { clock, source, store } = setup();
    const p = ingestNetwork(source, store, { symbol: 'SPYY', what: 'ohlcv', interval: '1d', start: T('2024-01-01T00:00:00Z') }, clock.deps);
    await expect(p).rejects.toThrow(UserError);
    await expect(p).rejects.toThrow("yahoo has no symbol 'SPYY' (No data found, symbol may be delisted)");
    expect(await store.coverage({ source: 'yahoo', symbol: 'SPYY', interval: '1d' })).toBeUndefined();
  });

  it('refuses an interval Yahoo does not serve', async () => {
    const { clock, source, store } = setup();
    await expect(
      ingestNetwork(source, store, { symbol: 'SPY', what: 'ohlcv', interval: '4h', start: T('2024-01-01T00:00:00Z') }, clock.deps),
    ).rejects.toThrow(/yahoo has no 4h bars/);
  });
});
