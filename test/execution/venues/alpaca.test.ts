/**
 * Alpaca through its SDK against the Alpaca trading fixture: the broker conformance suite (whole
 * shares, shorts allowed), the regular-session refusal from /v2/clock, and each injected fault on
 * /v2/orders — timeout, 429, 5xx, dropped connections, partial fills across dropped polls, an order
 * acknowledged but lost, an order already on the venue under its client id — leaving the book
 * consistent with the venue.
 */
import { describe, expect, it } from 'vitest';
import type { FillRecord } from '../../../src/execution/types.js';
import { describeBrokerConformance } from '../broker-conformance.js';
import { startAlpacaTradingFixture, type AlpacaTradingOptions } from '../../fixtures/servers/alpaca-trading.js';
import { conformanceHarness, expectConsistent, FAKE_ENV, openOn, serverPool } from './harness.js';

const servers = serverPool();

async function fixture(opts: AlpacaTradingOptions = {}) {
  const fx = await startAlpacaTradingFixture(opts);
  servers.push(fx.server);
  return fx;
}

describeBrokerConformance('alpaca (SDK, fixture)', async ({ partialFills }) => {
  const fx = await fixture();
  return conformanceHarness('alpaca', fx.server, fx.venue, 'AAPL', partialFills, 2);
}, { stops: 'stop+limit' });

describe('alpaca rules and faults', () => {
  it('refuses fractional shares of a non-fractionable asset and any order while the market is closed', async () => {
    const fx = await fixture({ isOpen: false, nextOpen: '2024-01-03T14:30:00Z', nextClose: '2024-01-03T21:00:00Z' });
    const { broker } = await openOn('alpaca', fx.server, ['AAPL']);
    const r1 = broker.submit({ clientId: 'f', symbol: 'AAPL', qty: 1.5, type: 'market' });
    expect(r1.accepted ? '' : r1.reason).toMatch(/quantity 1.5 of AAPL is not a multiple of alpaca's lot 1/);
    const r2 = broker.submit({ clientId: 'c', symbol: 'AAPL', qty: 1, type: 'market' });
    expect(r2.accepted ? '' : r2.reason).toMatch(/the market for AAPL is closed \(regular session opens 2024-01-03T14:30:00.000Z\)/);
    await broker.sync();
    expect(fx.server.requestsTo('POST /v2/orders')).toHaveLength(0);
  });

  it('a timeout after placement and a 429: one order on the venue, one fill, errors reported, keys never shown', async () => {
    const fx = await fixture();
    const { broker, errors, clock } = await openOn('alpaca', fx.server, ['AAPL']);
    const fills: FillRecord[] = [];
    broker.onFill((f) => fills.push(f));
    fx.server.inject('POST /v2/orders', { kind: 'rate-limit', retryAfterS: 2 });
    fx.server.inject('POST /v2/orders', { kind: 'timeout' });
    broker.submit({ clientId: 'a', symbol: 'AAPL', qty: 3, type: 'market' });
    await broker.sync();
    expect(fx.venue.orders).toHaveLength(1);
    expect(clock.sleeps[0]).toBe(2000);
    expect(errors.map((e) => e.kind)).toEqual(expect.arrayContaining(['rate-limit', 'timeout']));
    expect(fills.map((f) => [f.qty, f.price, f.fee])).toEqual([[3, 190, 0]]);
    expect(broker.position('AAPL')).toBe(fx.venue.position('AAPL'));
    expect(broker.cash()).toBeCloseTo(fx.venue.cash, 6);
    const everything = JSON.stringify({ logs: clock.logs, errors, fills, order: broker.order('a') });
    for (const secret of Object.values(FAKE_ENV)) expect(everything).not.toContain(secret);
  });
});

async function openAlpaca() {
  const fx = await fixture();
  const o = await openOn('alpaca', fx.server, ['AAPL']);
  const fills: FillRecord[] = [];
  o.broker.onFill((f) => fills.push(f));
  return { ...o, fx, venue: fx.venue, fills };
}

describe('alpaca: each injected fault leaves the book consistent', () => {
  it('5xx twice: two server errors reported, one order', async () => {
    const { broker, venue, fills, errors, fx } = await openAlpaca();
    fx.server.inject('POST /v2/orders', { kind: 'server-error', status: 502 }, 2);
    broker.submit({ clientId: 'o1', symbol: 'AAPL', qty: 4, type: 'market' });
    await broker.sync();
    expect(errors.filter((e) => e.kind === 'server')).toHaveLength(2);
    expect(venue.orders).toHaveLength(1);
    expectConsistent(broker, venue, fills, ['o1'], 'AAPL');
  });

  it('connections dropped after and before the venue acted: one order each, position reconciled', async () => {
    const { broker, venue, fills, errors, fx } = await openAlpaca();
    fx.server.inject('POST /v2/orders', { kind: 'drop', processed: true });
    fx.server.inject('POST /v2/orders', { kind: 'drop', processed: false });
    broker.submit({ clientId: 'a', symbol: 'AAPL', qty: 4, type: 'market' });
    broker.submit({ clientId: 'b', symbol: 'AAPL', qty: -10, type: 'market' });
    await broker.sync();
    expect(venue.orders.map((o) => o.qty).sort((x, y) => x - y)).toEqual([4, 10]);
    expect(errors.filter((e) => e.kind === 'network').map((e) => e.clientId)).toEqual(['a', 'b']);
    expect(broker.position('AAPL')).toBe(-6);
    expectConsistent(broker, venue, fills, ['a', 'b'], 'AAPL');
  });

  it('partial fills across dropped polls: the rest filled while away is booked once after the reconnect', async () => {
    const { broker, venue, fills, errors, fx } = await openAlpaca();
    venue.partial = true;
    broker.submit({ clientId: 'p', symbol: 'AAPL', qty: 4, type: 'market' });
    await broker.sync();
    expect(fills.map((f) => f.qty)).toEqual([2]);
    venue.tick();
    fx.server.inject('GET /v2/orders:by_client_order_id', { kind: 'drop', processed: false }, 4);
    await broker.sync();
    await broker.sync();
    expect(errors.some((e) => e.kind === 'network' && e.clientId === 'p')).toBe(true);
    expect(fills.map((f) => f.qty)).toEqual([2, 2]);
    await broker.sync();
    expect(fills).toHaveLength(2);
    expect(broker.order('p')!.status).toBe('filled');
    expectConsistent(broker, venue, fills, ['p'], 'AAPL');
  });

  it('an order already on the venue under its client_order_id (placed before a crash): the 422 "must be unique" is a duplicate, the order adopted and its fill booked once', async () => {
    const { broker, venue, fills, errors, fx } = await openAlpaca();
    broker.submit({ clientId: 'd', symbol: 'AAPL', qty: 3, type: 'market' });
    // the venue took this order from the process before (it filled at once); this broker never heard of it
    venue.place({ clientOrderId: broker.venueIdOf('d')!, symbol: 'AAPL', side: 'buy', qty: 3, type: 'market' });
    await broker.sync();
    expect(fx.server.requestsTo('POST /v2/orders')).toHaveLength(1);
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/duplicate client order id \(HTTP 422 code 40010001: client_order_id must be unique\)/)]);
    expect(venue.orders).toHaveLength(1);
    expect(broker.order('d')!.status).toBe('filled');
    expect(fills.map((f) => [f.qty, f.price])).toEqual([[3, 190]]);
    expectConsistent(broker, venue, fills, ['d'], 'AAPL');
  });

  it('an order acknowledged and then lost: reported, sent again once under the same client_order_id', async () => {
    const { broker, venue, fills, errors, fx } = await openAlpaca();
    fx.server.inject('POST /v2/orders', { kind: 'lost' });
    broker.submit({ clientId: 'l', symbol: 'AAPL', qty: 2, type: 'limit', price: 180 });
    await broker.sync();
    expect(errors.map((e) => e.kind)).toContain('lost');
    expect(fx.server.requestsTo('POST /v2/orders')).toHaveLength(2);
    expect(venue.orders).toHaveLength(1);
    venue.setPrice('AAPL', 175);
    venue.tick();
    await broker.sync();
    expect(fills.map((f) => [f.qty, f.price])).toEqual([[2, 180]]);
    expectConsistent(broker, venue, fills, ['l'], 'AAPL');
  });
});
