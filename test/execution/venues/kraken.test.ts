/**
 * Kraken spot through ccxt against the Kraken trading fixture: the broker conformance suite (long
 * only), the venue's ordermin / costmin / tick rules, a timeout after placement (Kraken looks
 * orders up by cl_ord_id in OpenOrders and ClosedOrders), and each other injected fault — 429,
 * 5xx, dropped connections, partial fills across dropped polls, an order acknowledged but lost —
 * leaving the book consistent with the venue.
 */
import { describe, expect, it } from 'vitest';
import type { FillRecord } from '../../../src/execution/types.js';
import { describeBrokerConformance } from '../broker-conformance.js';
import { startKrakenTradingFixture } from '../../fixtures/servers/kraken-trading.js';
import { conformanceHarness, expectConsistent, openOn, serverPool } from './harness.js';

const servers = serverPool();

async function fixture() {
  const fx = await startKrakenTradingFixture();
  servers.push(fx.server);
  return fx;
}

describeBrokerConformance('kraken spot (ccxt, fixture)', async ({ partialFills }) => {
  const fx = await fixture();
  // the fixture books XBTUSD under Kraken's pair id
  return conformanceHarness('kraken', fx.server, fx.venue, 'XBTUSD', partialFills, 0.25, 'XXBTZUSD');
}, { longOnly: true, stops: 'stop+limit' });

describe('kraken rules and faults', () => {
  it('refuses below ordermin, off the price tick, and short sales; a timeout after placement makes one order', async () => {
    const fx = await fixture();
    const { broker, errors } = await openOn('kraken', fx.server, ['XBTUSD']);
    const why = (r: ReturnType<typeof broker.submit>) => (r.accepted ? 'accepted' : r.reason);
    expect(why(broker.submit({ clientId: 'm', symbol: 'XBTUSD', qty: 0.00005, type: 'market' }))).toMatch(/below kraken's minimum 0.0001/);
    expect(why(broker.submit({ clientId: 't', symbol: 'XBTUSD', qty: 0.01, type: 'limit', price: 39_999.95 }))).toMatch(/not on kraken's tick 0.1/);
    expect(why(broker.submit({ clientId: 's', symbol: 'XBTUSD', qty: -0.01, type: 'market' }))).toMatch(/would leave a short position/);
    const fills: FillRecord[] = [];
    broker.onFill((f) => fills.push(f));
    fx.server.inject('POST /0/private/AddOrder', { kind: 'timeout' });
    broker.submit({ clientId: 'a', symbol: 'XBTUSD', qty: 0.5, type: 'market' });
    await broker.sync();
    expect(fx.venue.orders).toHaveLength(1);
    expect(errors.map((e) => e.kind)).toContain('timeout');
    expect(fills).toHaveLength(1);
    // fee from the venue: 0.5 × 40,000 × 0.26 %
    expect(fills[0]!.fee).toBeCloseTo(52, 6);
    expect(broker.position('XBTUSD')).toBe(0.5);
    expect(broker.cash()).toBeCloseTo(fx.venue.cash, 6);
  });
});

async function openKraken() {
  const fx = await fixture();
  const o = await openOn('kraken', fx.server, ['XBTUSD']);
  const fills: FillRecord[] = [];
  o.broker.onFill((f) => fills.push(f));
  return { ...o, fx, venue: fx.venue, fills };
}

describe('kraken spot: each injected fault leaves the book consistent', () => {
  it('429 with Retry-After: waits the venue\'s 2 s, sends once', async () => {
    const { broker, venue, fills, errors, fx, clock } = await openKraken();
    fx.server.inject('POST /0/private/AddOrder', { kind: 'rate-limit', retryAfterS: 2 });
    broker.submit({ clientId: 'o1', symbol: 'XBTUSD', qty: 0.25, type: 'market' });
    await broker.sync();
    expect(clock.sleeps).toContain(2000);
    expect(errors.map((e) => e.kind)).toContain('rate-limit');
    expect(venue.orders).toHaveLength(1);
    expectConsistent(broker, venue, fills, ['o1'], 'XBTUSD', 'XXBTZUSD');
  });

  it('5xx twice: two server errors reported, one order', async () => {
    const { broker, venue, fills, errors, fx } = await openKraken();
    fx.server.inject('POST /0/private/AddOrder', { kind: 'server-error', status: 502 }, 2);
    broker.submit({ clientId: 'o1', symbol: 'XBTUSD', qty: 0.25, type: 'market' });
    await broker.sync();
    expect(errors.filter((e) => e.kind === 'server')).toHaveLength(2);
    expect(venue.orders).toHaveLength(1);
    expectConsistent(broker, venue, fills, ['o1'], 'XBTUSD', 'XXBTZUSD');
  });

  it('connections dropped after and before the venue acted: one order each, position reconciled', async () => {
    const { broker, venue, fills, errors, fx } = await openKraken();
    fx.server.inject('POST /0/private/AddOrder', { kind: 'drop', processed: true });
    broker.submit({ clientId: 'a', symbol: 'XBTUSD', qty: 0.5, type: 'market' });
    await broker.sync();
    // spot is long-only: the sell is accepted once the buy is booked
    fx.server.inject('POST /0/private/AddOrder', { kind: 'drop', processed: false });
    broker.submit({ clientId: 'b', symbol: 'XBTUSD', qty: -0.25, type: 'market' });
    await broker.sync();
    expect(venue.orders.map((o) => o.qty).sort()).toEqual([0.25, 0.5]);
    expect(errors.filter((e) => e.kind === 'network').map((e) => e.clientId)).toEqual(['a', 'b']);
    expect(broker.position('XBTUSD')).toBeCloseTo(0.25, 9);
    expectConsistent(broker, venue, fills, ['a', 'b'], 'XBTUSD', 'XXBTZUSD');
  });

  it('partial fills across dropped polls: the rest filled while away is booked once after the reconnect', async () => {
    const { broker, venue, fills, errors, fx } = await openKraken();
    venue.partial = true;
    broker.submit({ clientId: 'p', symbol: 'XBTUSD', qty: 0.5, type: 'market' });
    await broker.sync();
    expect(fills.map((f) => f.qty)).toEqual([0.25]);
    venue.tick();
    fx.server.inject('POST /0/private/OpenOrders', { kind: 'drop', processed: false }, 4);
    fx.server.inject('POST /0/private/ClosedOrders', { kind: 'drop', processed: false }, 4);
    await broker.sync();
    await broker.sync();
    expect(errors.some((e) => e.kind === 'network' && e.clientId === 'p')).toBe(true);
    expect(fills.map((f) => f.qty)).toEqual([0.25, 0.25]);
    await broker.sync();
    expect(fills).toHaveLength(2);
    expect(broker.order('p')!.status).toBe('filled');
    expectConsistent(broker, venue, fills, ['p'], 'XBTUSD', 'XXBTZUSD');
  });

  it('an order acknowledged and then lost: reported, sent again once under the same cl_ord_id', async () => {
    const { broker, venue, fills, errors, fx } = await openKraken();
    fx.server.inject('POST /0/private/AddOrder', { kind: 'lost' });
    broker.submit({ clientId: 'l', symbol: 'XBTUSD', qty: 0.25, type: 'limit', price: 30_000 });
    await broker.sync();
    expect(errors.map((e) => e.kind)).toContain('lost');
    expect(fx.server.requestsTo('POST /0/private/AddOrder')).toHaveLength(2);
    expect(venue.orders).toHaveLength(1);
    venue.setPrice('XXBTZUSD', 29_000);
    venue.tick();
    await broker.sync();
    expect(fills.map((f) => [f.qty, f.price])).toEqual([[0.25, 30_000]]);
    expectConsistent(broker, venue, fills, ['l'], 'XBTUSD', 'XXBTZUSD');
  });
});
