/**
 * Kraken Futures linear perpetuals through ccxt's krakenfutures class against the Kraken Futures
 * trading fixture (which checks every private call's APIKey and Authent signature): the broker
 * conformance suite with venue stops, the symbol and rules, a look-up after the venue forgot a
 * finished order (rebuilt from /fills), and each injected fault leaving the book consistent — at
 * most one venue order per client id, every venue trade booked once, position and cash equal to the
 * venue's, the fault reported as an error event.
 */
import { describe, expect, it } from 'vitest';
import type { FillRecord } from '../../../src/execution/types.js';
import { describeBrokerConformance } from '../broker-conformance.js';
import { startKrakenFuturesTradingFixture, STATUS_WINDOW_MS } from '../../fixtures/servers/krakenfutures-trading.js';
import { conformanceHarness, expectConsistent, FAKE_ENV, openOn, serverPool } from './harness.js';

const servers = serverPool();
const keys = { key: FAKE_ENV['KRAKEN_FUTURES_API_KEY']!, secret: FAKE_ENV['KRAKEN_FUTURES_API_SECRET']! };

async function fixture() {
  const fx = await startKrakenFuturesTradingFixture({ keys });
  servers.push(fx.server);
  return fx;
}

async function open() {
  const fx = await fixture();
  const o = await openOn('krakenfutures', fx.server, ['XBTUSD']);
  const fills: FillRecord[] = [];
  o.broker.onFill((f) => fills.push(f));
  return { ...o, fx, venue: fx.venue, fills };
}

describeBrokerConformance('krakenfutures perpetual (ccxt, fixture)', async ({ partialFills }) => {
  const fx = await fixture();
  return conformanceHarness('krakenfutures', fx.server, fx.venue, 'XBTUSD', partialFills, 0.125, 'PF_XBTUSD');
}, { stops: 'stop+limit' });

describe('krakenfutures symbols, rules and look-ups', () => {
  it('trades PF_XBTUSD under any usual spelling; refuses off-lot and off-tick orders; keys and signatures were checked', async () => {
    const fx = await fixture();
    for (const typed of ['PF_XBTUSD', 'XBTUSD', 'BTCUSD', 'BTC/USD:USD']) {
      const { broker } = await openOn('krakenfutures', fx.server, [typed]);
      expect(broker.submit({ clientId: `s-${typed}`, symbol: typed, qty: 0.0001, type: 'market' }).accepted).toBe(true);
    }
    await expect(openOn('krakenfutures', fx.server, ['DOGEUSD'])).rejects.toThrow(/does not list a linear perpetual 'DOGEUSD'/);
    const { broker } = await openOn('krakenfutures', fx.server, ['XBTUSD']);
    const why = (r: ReturnType<typeof broker.submit>) => (r.accepted ? 'accepted' : r.reason);
    // contractValueTradePrecision 4 → lot 0.0001; tickSize 1
    expect(why(broker.submit({ clientId: 'l', symbol: 'XBTUSD', qty: 0.00015, type: 'market' }))).toMatch(/not a multiple of krakenfutures's lot 0.0001/);
    expect(why(broker.submit({ clientId: 't', symbol: 'XBTUSD', qty: 0.01, type: 'limit', price: 39_999.5 }))).toMatch(/not on krakenfutures's tick 1/);
    expect(why(broker.submit({ clientId: 'x', symbol: 'XBTUSD', qty: 0.01, type: 'stop', price: 41_000, limitPrice: 41_000.5 }))).toMatch(/limit price 41000.5 .* tick 1/);
    expect(why(broker.submit({ clientId: 'lm', symbol: 'XBTUSD', qty: 0.01, type: 'market', limitPrice: 41_000 }))).toMatch(/a limit price goes with a stop order only/);
    expect(why(broker.submit({ clientId: 'sl', symbol: 'XBTUSD', qty: 0.01, type: 'stop', price: 41_000, limitPrice: -1 }))).toMatch(/stop-limit order needs a positive limit price/);
    expect(why(broker.submit({ clientId: 'short', symbol: 'XBTUSD', qty: -0.01, type: 'market' }))).toBe('accepted');
    expect(fx.verified()).toBeGreaterThan(0);
    const unsigned = await fetch(`${fx.server.baseUrl}/derivatives/api/v3/openpositions`, { headers: { APIKey: keys.key, Authent: 'bm90IGEgc2lnbmF0dXJl' } });
    expect(await unsigned.json()).toMatchObject({ result: 'error', error: 'authenticationError' });
  });

  it('an order polled after the venue dropped it from orders/status is rebuilt from its fills: price, fee (maker 0.02 %), filled', async () => {
    const { broker, venue, fills, fx } = await open();
    broker.submit({ clientId: 'lim', symbol: 'XBTUSD', qty: 0.5, type: 'limit', price: 39_000 });
    await broker.sync();
    expect(broker.order('lim')!.status).toBe('open');
    venue.setPrice('PF_XBTUSD', 38_500);
    venue.tick(); // fills at 39,000
    venue.time += STATUS_WINDOW_MS + 1; // and is forgotten by orders/status
    await broker.sync();
    const status = fx.server.requestsTo('GET /derivatives/api/v3/orders/status').at(-1)!;
    expect(status.params['cliOrdIds']).toBe(broker.venueIdOf('lim'));
    expect(broker.order('lim')!.status).toBe('filled');
    // 0.5 × 39,000 = 19,500; maker fee 0.0002 × 19,500 = 3.9
    expect(fills.map((f) => [f.qty, f.price])).toEqual([[0.5, 39_000]]);
    expect(fills[0]!.fee).toBeCloseTo(3.9, 9);
    expectConsistent(broker, venue, fills, ['lim'], 'XBTUSD', 'PF_XBTUSD');
  });
});

describe('krakenfutures: faults leave the book consistent', () => {
  it('a timeout after the venue placed the order: looked up by cliOrdId, adopted, not sent twice', async () => {
    const { broker, venue, fills, errors, fx } = await open();
    fx.server.inject('POST /derivatives/api/v3/sendorder', { kind: 'timeout' });
    broker.submit({ clientId: 'o1', symbol: 'XBTUSD', qty: 0.125, type: 'market' });
    await broker.sync();
    expect(fx.server.requestsTo('POST /derivatives/api/v3/sendorder')).toHaveLength(1);
    expect(broker.order('o1')!.status).toBe('filled');
    expect(fills.map((f) => f.qty)).toEqual([0.125]);
    // taker 0.0005 × 0.125 × 40,000 = 2.5
    expect(fills[0]!.fee).toBeCloseTo(2.5, 9);
    expect(errors.map((e) => [e.kind, e.clientId])).toContainEqual(['timeout', 'o1']);
    expectConsistent(broker, venue, fills, ['o1'], 'XBTUSD', 'PF_XBTUSD');
  });

  it('429 with Retry-After (apiLimitExceeded): waits exactly 2 s, sends once', async () => {
    const { broker, venue, fills, errors, fx, clock } = await open();
    fx.server.inject('POST /derivatives/api/v3/sendorder', { kind: 'rate-limit', retryAfterS: 2 });
    broker.submit({ clientId: 'o1', symbol: 'XBTUSD', qty: -0.125, type: 'market' });
    await broker.sync();
    expect(clock.sleeps).toContain(2000);
    expect(errors.map((e) => e.kind)).toContain('rate-limit');
    expect(venue.orders).toHaveLength(1);
    expectConsistent(broker, venue, fills, ['o1'], 'XBTUSD', 'PF_XBTUSD');
  });

  it('5xx twice: backoff 500 ms then 1000 ms, one order', async () => {
    const { broker, venue, fills, errors, fx, clock } = await open();
    fx.server.inject('POST /derivatives/api/v3/sendorder', { kind: 'server-error', status: 502 }, 2);
    broker.submit({ clientId: 'o1', symbol: 'XBTUSD', qty: 0.125, type: 'market' });
    await broker.sync();
    expect(clock.sleeps).toEqual([500, 1000]);
    expect(errors.filter((e) => e.kind === 'server')).toHaveLength(2);
    expect(venue.orders).toHaveLength(1);
    expectConsistent(broker, venue, fills, ['o1'], 'XBTUSD', 'PF_XBTUSD');
  });

  it('connections dropped after and before the venue acted: one order each, positions reconciled', async () => {
    const { broker, venue, fills, errors, fx } = await open();
    fx.server.inject('POST /derivatives/api/v3/sendorder', { kind: 'drop', processed: true });
    fx.server.inject('POST /derivatives/api/v3/sendorder', { kind: 'drop', processed: false });
    broker.submit({ clientId: 'a', symbol: 'XBTUSD', qty: 0.125, type: 'market' });
    broker.submit({ clientId: 'b', symbol: 'XBTUSD', qty: -0.5, type: 'market' });
    await broker.sync();
    expect(venue.orders.map((o) => o.qty).sort()).toEqual([0.125, 0.5]);
    expect(errors.filter((e) => e.kind === 'network').map((e) => e.clientId)).toEqual(['a', 'b']);
    expect(broker.position('XBTUSD')).toBeCloseTo(-0.375, 9);
    expectConsistent(broker, venue, fills, ['a', 'b'], 'XBTUSD', 'PF_XBTUSD');
  });

  it('partial fills across dropped polls: the rest filled while away is booked once after the reconnect', async () => {
    const { broker, venue, fills, errors, fx } = await open();
    venue.partial = true;
    broker.submit({ clientId: 'p', symbol: 'XBTUSD', qty: 0.25, type: 'market' });
    await broker.sync();
    expect(fills.map((f) => f.qty)).toEqual([0.125]);
    venue.tick();
    fx.server.inject('GET /derivatives/api/v3/orders/status', { kind: 'drop', processed: false }, 4);
    await broker.sync();
    expect(errors.filter((e) => e.kind === 'network' && e.clientId === 'p')).toHaveLength(4);
    expect(fills.map((f) => f.qty)).toEqual([0.125, 0.125]);
    await broker.sync();
    expect(fills).toHaveLength(2);
    expect(broker.order('p')!.status).toBe('filled');
    expectConsistent(broker, venue, fills, ['p'], 'XBTUSD', 'PF_XBTUSD');
  });

  it('an order acknowledged and then lost: reported, sent again once under the same cliOrdId', async () => {
    const { broker, venue, fills, errors, fx } = await open();
    fx.server.inject('POST /derivatives/api/v3/sendorder', { kind: 'lost' });
    broker.submit({ clientId: 'l', symbol: 'XBTUSD', qty: 0.125, type: 'limit', price: 30_000 });
    await broker.sync();
    expect(errors.map((e) => e.kind)).toContain('lost');
    expect(fx.server.requestsTo('POST /derivatives/api/v3/sendorder')).toHaveLength(2);
    expect(venue.orders).toHaveLength(1);
    venue.setPrice('PF_XBTUSD', 29_000);
    venue.tick();
    await broker.sync();
    expect(fills.map((f) => [f.qty, f.price])).toEqual([[0.125, 30_000]]);
    expectConsistent(broker, venue, fills, ['l'], 'XBTUSD', 'PF_XBTUSD');
  });
});
