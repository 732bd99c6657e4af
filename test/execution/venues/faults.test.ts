/**
 * Must-show 3 of the paper-trading issue on the Binance fixtures: every injected fault — a timeout
 * after the venue placed the order, 429 with Retry-After, 5xx, a dropped connection (before and
 * after the venue acted), partial fills seen across a dropped poll, an order acknowledged and then
 * lost — leaves the book consistent: at most one venue order per client id, every venue trade booked
 * once as a fill, position and cash equal to the venue's; and each fault is reported as a broker
 * error event. Also: the fake keys never appear in anything the broker logs, reports or returns.
 */
import { describe, expect, it } from 'vitest';
import type { FillRecord } from '../../../src/execution/types.js';
import { startBinanceTradingFixture } from '../../fixtures/servers/binance-trading.js';
import { FAKE_ENV, openOn, serverPool, expectConsistent } from './harness.js';

const servers = serverPool();

async function open(name: 'binance' | 'binanceusdm') {
  const fx = await startBinanceTradingFixture({ prices: { BTCUSDT: 40_000, ETHUSDT: 2_000 } });
  servers.push(fx.server);
  const venue = name === 'binance' ? fx.spot : fx.futures;
  const o = await openOn(name, fx.server, ['BTCUSDT']);
  const fills: FillRecord[] = [];
  o.broker.onFill((f) => fills.push(f));
  const prefix = name === 'binance' ? '/api/v3' : '/fapi/v1';
  return { ...o, fx, venue, fills, prefix };
}

describe.each(['binance', 'binanceusdm'] as const)('%s: faults leave the book consistent', (name) => {
  it('a timeout after the venue placed the order: looked up by client id, adopted, not sent twice', async () => {
    const { broker, venue, fills, errors, fx, prefix } = await open(name);
    fx.server.inject(`POST ${prefix}/order`, { kind: 'timeout' });
    expect(broker.submit({ clientId: 'o1', symbol: 'BTCUSDT', qty: 0.125, type: 'market' }).accepted).toBe(true);
    await broker.sync();
    expect(fx.server.requestsTo(`POST ${prefix}/order`)).toHaveLength(1);
    expect(fx.server.requestsTo(`GET ${prefix}/order`).length).toBeGreaterThanOrEqual(1);
    expect(broker.order('o1')!.status).toBe('filled');
    expect(fills.map((f) => f.qty)).toEqual([0.125]);
    expect(errors.map((e) => [e.kind, e.clientId])).toContainEqual(['timeout', 'o1']);
    expectConsistent(broker, venue, fills, ['o1'], 'BTCUSDT');
  });

  it('429 with Retry-After: waits exactly the venue\'s 3 s, finds nothing under the id, sends once', async () => {
    const { broker, venue, fills, errors, fx, clock, prefix } = await open(name);
    fx.server.inject(`POST ${prefix}/order`, { kind: 'rate-limit', retryAfterS: 3 });
    broker.submit({ clientId: 'o1', symbol: 'BTCUSDT', qty: 0.125, type: 'market' });
    await broker.sync();
    expect(clock.sleeps).toContain(3000);
    expect(fx.server.requestsTo(`POST ${prefix}/order`).map((r) => r.fault ?? 'ok')).toEqual(['rate-limit', 'ok']);
    expect(errors.map((e) => e.kind)).toContain('rate-limit');
    expect(broker.order('o1')!.status).toBe('filled');
    expectConsistent(broker, venue, fills, ['o1'], 'BTCUSDT');
  });

  it('5xx twice: backoff 500 ms then 1000 ms (base·factor^(k−1)), one order', async () => {
    const { broker, venue, fills, errors, fx, clock, prefix } = await open(name);
    fx.server.inject(`POST ${prefix}/order`, { kind: 'server-error', status: 503 }, 2);
    broker.submit({ clientId: 'o1', symbol: 'BTCUSDT', qty: 0.125, type: 'market' });
    await broker.sync();
    expect(clock.sleeps).toEqual([500, 1000]);
    expect(errors.filter((e) => e.kind === 'server')).toHaveLength(2);
    expect(venue.orders).toHaveLength(1);
    expectConsistent(broker, venue, fills, ['o1'], 'BTCUSDT');
  });

  it('a connection dropped after the venue acted, and one dropped before: one order each, positions reconciled', async () => {
    const { broker, venue, fills, errors, fx, prefix } = await open(name);
    fx.server.inject(`POST ${prefix}/order`, { kind: 'drop', processed: true });
    fx.server.inject(`POST ${prefix}/order`, { kind: 'drop', processed: false });
    broker.submit({ clientId: 'a', symbol: 'BTCUSDT', qty: 0.125, type: 'market' });
    broker.submit({ clientId: 'b', symbol: 'BTCUSDT', qty: 0.25, type: 'market' });
    await broker.sync();
    expect(venue.orders.map((o) => o.qty).sort()).toEqual([0.125, 0.25]);
    expect(errors.filter((e) => e.kind === 'network').map((e) => e.clientId)).toEqual(['a', 'b']);
    expect(broker.position('BTCUSDT')).toBeCloseTo(0.375, 9);
    expectConsistent(broker, venue, fills, ['a', 'b'], 'BTCUSDT');
  });

  it('partial fills across dropped polls: the part filled while away is booked once, by the reconcile after the reconnect', async () => {
    const { broker, venue, fills, errors, fx, prefix } = await open(name);
    venue.partial = true;
    broker.submit({ clientId: 'p', symbol: 'BTCUSDT', qty: 0.25, type: 'market' });
    await broker.sync();
    expect(fills.map((f) => f.qty)).toEqual([0.125]);
    venue.tick(); // the rest fills on the venue while our polls fail
    fx.server.inject(`GET ${prefix}/order`, { kind: 'drop', processed: false }, 4);
    await broker.sync(); // all 4 poll attempts dropped → reported; the connection comes back → reconcile polls and books the rest
    expect(errors.filter((e) => e.kind === 'network' && e.clientId === 'p')).toHaveLength(4);
    expect(fills.map((f) => f.qty)).toEqual([0.125, 0.125]);
    await broker.sync();
    expect(fills).toHaveLength(2);
    expect(broker.order('p')!.status).toBe('filled');
    expectConsistent(broker, venue, fills, ['p'], 'BTCUSDT');
  });

  it('an order acknowledged and then lost by the venue: reported, sent again once under the same id', async () => {
    const { broker, venue, fills, errors, fx, prefix } = await open(name);
    fx.server.inject(`POST ${prefix}/order`, { kind: 'lost' });
    broker.submit({ clientId: 'l', symbol: 'BTCUSDT', qty: 0.125, type: 'limit', price: 30_000 });
    await broker.sync(); // acknowledged; the poll finds nothing → lost → resent
    expect(errors.map((e) => e.kind)).toContain('lost');
    expect(fx.server.requestsTo(`POST ${prefix}/order`)).toHaveLength(2);
    expect(venue.orders).toHaveLength(1);
    expect(broker.order('l')!.status).toBe('open');
    venue.setPrice('BTCUSDT', 29_000);
    venue.tick();
    await broker.sync();
    expect(fills.map((f) => [f.qty, f.price])).toEqual([[0.125, 30_000]]);
    expectConsistent(broker, venue, fills, ['l'], 'BTCUSDT');
  });

  it('fake keys never appear in anything the broker logs, reports or returns', async () => {
    const { broker, venue, fills, errors, fx, clock, prefix } = await open(name);
    for (const kind of ['timeout', 'rate-limit', 'server-error'] as const) fx.server.inject(`POST ${prefix}/order`, kind === 'timeout' ? { kind } : kind === 'rate-limit' ? { kind, retryAfterS: 1 } : { kind });
    const results = [broker.submit({ clientId: 'k1', symbol: 'BTCUSDT', qty: 0.125, type: 'market' }), broker.submit({ clientId: 'k2', symbol: 'NOPE', qty: 1, type: 'market' })];
    await broker.sync();
    await broker.reconnect();
    // the keys did reach the venue (so the search below could have found them)
    expect(fx.server.requests.some((r) => r.headers['x-mbx-apikey'] === FAKE_ENV['BINANCE_API_KEY'])).toBe(true);
    const everything = JSON.stringify({ logs: clock.logs, errors, results, fills, order: broker.order('k1'), foreign: broker.foreignOrders() });
    expect(clock.logs.length + errors.length).toBeGreaterThan(0);
    for (const secret of Object.values(FAKE_ENV)) expect(everything).not.toContain(secret);
    expectConsistent(broker, venue, fills, ['k1'], 'BTCUSDT');
  });
});
