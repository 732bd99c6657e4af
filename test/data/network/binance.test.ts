/**
 * Binance spot through ccxt against the Binance fixture: market loading asks only the spot
 * exchange-info, klines are paged with since/limit, a 429 is waited out, a resume asks for the
 * tail only, and an unlisted symbol is refused with a did-you-mean.
 */
import { describe, expect, it } from 'vitest';
import { startBinanceFixture } from '../../fixtures/servers/binance.js';
import { fixtureBar, seedOf } from '../../fixtures/servers/fixture-server.js';
import { ingestNetwork } from '../../../src/data/network/ingest.js';
import { UserError } from '../../../src/core/errors.js';
import { useFixtureServer, T } from './helpers.js';

const H4 = 4 * 3600_000;
const NOW = T('2024-03-01T00:00:00Z');
const fx = useFixtureServer(() => startBinanceFixture({ spot: ['BTCUSDT', 'ETHUSDT', 'ETHBTC'], listedFrom: T('2023-06-01T00:00:00Z'), until: NOW }));

const setup = () => fx.setup('binance', { now: NOW, options: { rate_limit_ms: 1, page_limit: 60 } });

const starts = () => fx.server.requestsTo('/api/v3/klines').filter((r) => !r.fault).map((r) => Number(r.query['startTime']));

describe('binance spot', () => {
  it('loads spot markets only and downloads 4h bars in pages of 60', async () => {
    const { clock, source, store } = setup();
    const from = T('2024-01-01T00:00:00Z');
    const r = await ingestNetwork(source, store, { symbol: 'ETHUSDT', what: 'ohlcv', interval: '4h', start: from, end: T('2024-02-01T00:00:00Z') }, clock.deps);
    expect(fx.server.requests.map((q) => q.path).filter((p) => p.endsWith('exchangeInfo'))).toEqual(['/api/v3/exchangeInfo']);
    // 31 days × 6 bars = 186 bars → pages of 60, 60, 60, 6; endTime bounds every page at the window's end.
    expect(starts()).toEqual([from, from + 60 * H4, from + 120 * H4, from + 180 * H4]);
    expect(fx.server.requestsTo('/api/v3/klines').every((q) => q.query['endTime'] === String(T('2024-02-01T00:00:00Z') - 1))).toBe(true);
    const ds = r.dataset!;
    expect([ds.name, ds.assetClass, ds.table.length]).toEqual(['raw:ETHUSDT:4h', 'crypto_spot', 186]);
    const b = fixtureBar(seedOf('ETHUSDT'), from / H4 + 100);
    expect((ds.table.columns['close'] as Float64Array)[100]).toBeCloseTo(Number(b.close.toFixed(2)), 9);
  });

  it('waits out a 429 and resumes with the tail only', async () => {
    const { clock, source, store } = setup();
    const from = T('2024-01-01T00:00:00Z');
    fx.server.inject('/api/v3/klines', { kind: 'rate-limit', retryAfterS: 1 });
    await ingestNetwork(source, store, { symbol: 'BTCUSDT', what: 'ohlcv', interval: '4h', start: from, end: T('2024-01-11T00:00:00Z') }, clock.deps);
    expect(clock.sleeps).toEqual([1000]);
    fx.server.clearLog();
    const r = await ingestNetwork(source, store, { symbol: 'BTCUSDT', what: 'ohlcv', interval: '4h', start: from, end: T('2024-01-21T00:00:00Z') }, clock.deps);
    expect(starts()).toEqual([T('2024-01-11T00:00:00Z')]);
    expect(r.dataset!.table.length).toBe(120);
  });

  it('refuses a symbol binance spot does not list', async () => {
    const { clock, source, store } = setup();
    await expect(
      ingestNetwork(source, store, { symbol: 'ETHUSTD', what: 'ohlcv', interval: '4h', start: T('2024-01-01T00:00:00Z') }, clock.deps),
    ).rejects.toThrow(new UserError("binance does not list a spot market 'ETHUSTD'; did you mean 'ETHUSDT'? (3 listed)", 'symbol ETHUSTD'));
    expect(starts()).toEqual([]);
  });

  it('refuses funding on spot', async () => {
    const { clock, source, store } = setup();
    await expect(
      ingestNetwork(source, store, { symbol: 'BTCUSDT', what: 'funding', start: T('2024-01-01T00:00:00Z') }, clock.deps),
    ).rejects.toThrow(/only binanceusdm serves funding/);
  });
});
