/**
 * A paper session through a venue adapter (`--broker binance`, paper/venue-mirror.ts) against the
 * Binance trading fixture on 127.0.0.1 (test/fixtures/servers/binance-trading.ts): the orders of
 * the simulated book are mirrored to the venue under `<session>-<order id>`, each exactly once, and
 * injected faults (a 503 and a 429 on order placement) surface in the session's errors log and in
 * the head the dashboard reads — with no order doubled on the venue.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { PaperLoop } from '../../src/paper/loop.js';
import { paperPaths } from '../../src/paper/files.js';
import { openVenueMirror } from '../../src/paper/venue-mirror.js';
import { startBinanceTradingFixture, type BinanceTradingFixture } from '../fixtures/servers/binance-trading.js';
import { FAKE_ENV } from '../execution/venues/harness.js';
import { specOf, syntheticData, tempRoot, virtualScheduler } from './helpers.js';

let fx: BinanceTradingFixture | undefined;
afterAll(async () => {
  await fx?.server.close();
});

describe('paper session mirrored to a venue fixture', () => {
  it('orders go out once each; a 503 and a 429 show in the errors log and the head', async () => {
    Object.assign(process.env, FAKE_ENV);
    fx = await startBinanceTradingFixture({ prices: { BTCUSDT: 40_000 }, cash: 1_000_000 });
    const root = tempRoot();
    const spec = specOf('venue', { model: 'sma_cross', params: { symbol: 'BTCUSDT', fast: 10, slow: 40, size: 'units:0.01' }, broker: 'binance', from: '2021-03-01T00:00:00.000Z', to: '2021-04-15T00:00:00.000Z' });
    const loop = PaperLoop.create(spec, root, syntheticData());
    loop.attachVenue(await openVenueMirror(spec, loop, { baseUrl: fx.server.baseUrl }));
    fx.server.inject('POST /api/v3/order', { kind: 'server-error', status: 503 }, 1);
    fx.server.inject('POST /api/v3/order', { kind: 'rate-limit', retryAfterS: 1 }, 1);
    const out = await loop.run({ scheduler: virtualScheduler() });
    expect(out.head.status).toBe('finished');
    const placed = out.result!.orders.filter((o) => o.reason !== 'stop' && o.qty !== 0);
    expect(placed.length).toBeGreaterThan(2);
    // every order reached the venue once: distinct client ids in the accepted POSTs
    const posts = fx.server.requestsTo('POST /api/v3/order');
    const served = posts.filter((r) => r.fault === undefined).map((r) => r.params['newClientOrderId']);
    expect(posts.filter((r) => r.fault !== undefined).length).toBe(2);
    expect(served.length).toBe(placed.length); // the faulted two were retried, none doubled
    expect(new Set(served).size).toBe(placed.length);
    const errors = readFileSync(paperPaths(root, 'venue').logs.errors, 'utf8');
    expect(errors).toMatch(/broker (server|rate-limit)/);
    expect(out.head.errors).toBeGreaterThanOrEqual(2);
    expect(out.head.drift.against).toBe('binance vs sim');
  }, 120_000);
});
