/**
 * The paper loop's venue mirror (src/paper/venue-mirror.ts) on a real VenueBroker and the Binance
 * USDⓈ-M fixture: a bar's order goes out once through a timeout and a 429, its fill is recorded as
 * a venue_fill, and each fault reaches the loop's error sink (what the paper loop writes to
 * errors.jsonl and shows on the dashboard) with the order's id — and without any key.
 */
import { describe, expect, it } from 'vitest';
import type { OrderRecord } from '../../../src/execution/types.js';
import { VenueMirror, type MirrorHost } from '../../../src/paper/venue-mirror.js';
import type { PaperSpec } from '../../../src/paper/spec.js';
import { startBinanceTradingFixture } from '../../fixtures/servers/binance-trading.js';
import { FAKE_ENV, openOn, serverPool } from './harness.js';

const servers = serverPool();

describe('paper venue mirror on binanceusdm', () => {
  it('faults end up in the errors sink; the order is placed once and its fill recorded', async () => {
    const fx = await startBinanceTradingFixture();
    servers.push(fx.server);
    const { broker } = await openOn('binanceusdm', fx.server, ['BTCUSDT']);
    const errors: [string, string][] = [];
    const records: object[] = [];
    const host: MirrorHost = {
      trader: { input: { symbols: [{ symbol: 'BTCUSDT' }] } },
      error: (kind, message) => errors.push([kind, message]),
      record: (entry) => records.push(entry),
    };
    const mirror = new VenueMirror('binanceusdm', broker, { id: 'paper-9' } as PaperSpec, host);
    fx.server.inject('POST /fapi/v1/order', { kind: 'rate-limit', retryAfterS: 1 });
    fx.server.inject('POST /fapi/v1/order', { kind: 'timeout' });
    const order: OrderRecord = { id: 3, symbol: 'BTCUSDT', qty: 0.125, type: 'market', price: null, placedAt: 0, model: null, reason: 'rebalance', status: 'open', closedAt: null };
    await mirror.afterBar([order], Float64Array.of(40_000));
    expect(fx.futures.orders).toHaveLength(1);
    expect(fx.futures.orders[0]!.clientOrderId).toBe(broker.venueIdOf('paper-9-3'));
    expect(errors.map(([k]) => k)).toEqual(expect.arrayContaining(['broker rate-limit', 'broker timeout']));
    expect(errors.every(([, m]) => m.includes('(order paper-9-3)') || !m.includes('order'))).toBe(true);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ kind: 'venue_fill', venue: 'binanceusdm', qty: 0.125, price: 40_000 });
    // the same bar replayed after a resume sends nothing new
    await mirror.afterBar([order], Float64Array.of(40_000));
    expect(fx.server.requestsTo('POST /fapi/v1/order').map((r) => r.fault)).toEqual(['rate-limit', 'timeout']);
    expect(fx.futures.orders).toHaveLength(1);
    const text = JSON.stringify({ errors, records });
    for (const secret of Object.values(FAKE_ENV)) expect(text).not.toContain(secret);
  });
});
