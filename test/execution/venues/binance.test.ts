/**
 * Binance spot and USDⓈ-M venue brokers through ccxt against the Binance trading fixture: the
 * broker conformance suite on both, and the venue rules read from exchangeInfo.
 */
import { describe, expect, it } from 'vitest';
import { describeBrokerConformance } from '../broker-conformance.js';
import { startBinanceTradingFixture } from '../../fixtures/servers/binance-trading.js';
import { conformanceHarness, openOn, serverPool } from './harness.js';

const servers = serverPool();

async function fixture() {
  const fx = await startBinanceTradingFixture({ prices: { BTCUSDT: 40_000, ETHUSDT: 2_000 } });
  servers.push(fx.server);
  return fx;
}

describeBrokerConformance('binance spot (ccxt, fixture)', async ({ partialFills }) => {
  const fx = await fixture();
  return conformanceHarness('binance', fx.server, fx.spot, 'BTCUSDT', partialFills, 0.125);
}, { longOnly: true, stops: 'stop+limit' });

describeBrokerConformance('binanceusdm perpetual (ccxt, fixture)', async ({ partialFills }) => {
  const fx = await fixture();
  return conformanceHarness('binanceusdm', fx.server, fx.futures, 'BTCUSDT', partialFills, 0.125);
}, { stops: 'stop+limit' });

describe('binanceusdm stops are algo orders', () => {
  it('go to /fapi/v1/algoOrder as STOP_MARKET / STOP with triggerPrice and clientAlgoId; cancelled there; a triggered one is read through actualOrderId', async () => {
    const fx = await fixture();
    const { broker } = await openOn('binanceusdm', fx.server, ['BTCUSDT']);
    expect(broker.submit({ clientId: 'a-1', symbol: 'BTCUSDT', qty: -0.125, type: 'stop', price: 36_000 }).accepted).toBe(true);
    expect(broker.submit({ clientId: 'a-2', symbol: 'BTCUSDT', qty: 0.125, type: 'stop', price: 44_000, limitPrice: 44_500 }).accepted).toBe(true);
    await broker.sync();
    const posts = fx.server.requestsTo('POST /fapi/v1/algoOrder').map((r) => r.params);
    expect(posts.map((p) => [p['algoType'], p['type'], p['side'], p['quantity'], p['triggerPrice'], p['price']])).toEqual([
      ['CONDITIONAL', 'STOP_MARKET', 'SELL', '0.125', '36000', undefined],
      ['CONDITIONAL', 'STOP', 'BUY', '0.125', '44000', '44500'],
    ]);
    expect(posts.map((p) => p['clientAlgoId'])).toEqual([broker.venueIdOf('a-1'), broker.venueIdOf('a-2')]);
    expect(fx.server.requestsTo('POST /fapi/v1/order')).toHaveLength(0); // nothing in the regular book
    expect(broker.cancel('a-2')).toBe(true);
    await broker.sync();
    expect(fx.server.requestsTo('DELETE /fapi/v1/algoOrder')).toHaveLength(1);
    expect(fx.futures.byClientId(broker.venueIdOf('a-2')!)!.status).toBe('cancelled');
    // the sell stop triggers below 36 000 and fills at the market: the fill comes from the order it became
    fx.futures.setPrice('BTCUSDT', 35_500);
    fx.futures.tick();
    await broker.sync();
    expect(broker.order('a-1')!.status).toBe('filled');
    expect(broker.position('BTCUSDT')).toBe(-0.125);
    expect(fx.server.requestsTo('GET /fapi/v1/order').some((r) => r.params['orderId'] === String(fx.futures.byClientId(broker.venueIdOf('a-1')!)!.id))).toBe(true);
    expect(broker.cash()).toBeCloseTo(fx.futures.cash, 6);
  });
});

describe('binance venue rules', () => {
  it('refuses what exchangeInfo forbids, naming the rule and the number', async () => {
    const fx = await fixture();
    const { broker } = await openOn('binance', fx.server, ['BTCUSDT']);
    const refuse = (qty: number, type: 'market' | 'limit' = 'market', price?: number) => {
      const r = broker.submit({ clientId: `r-${qty}-${price}`, symbol: 'BTCUSDT', qty, type, ...(price !== undefined ? { price } : {}) });
      return r.accepted ? 'accepted' : r.reason;
    };
    expect(refuse(0.0015)).toMatch(/quantity 0.0015 of BTCUSDT is not a multiple of binance's lot 0.001/);
    // 0.0001 × 40,000 = 4 < NOTIONAL minNotional 5 — but 0.0001 is below the lot first; 0.001 at a limit of 4,000 is worth 4
    expect(refuse(0.001, 'limit', 4000)).toMatch(/value 4.00 of BTCUSDT is below binance's minimum order value 5/);
    expect(refuse(0.01, 'limit', 40000.005)).toMatch(/price 40000.005 of BTCUSDT is not on binance's tick 0.01/);
    expect(refuse(-0.01)).toMatch(/would leave a short position \(0 held\)/);
    expect(refuse(0.01)).toBe('accepted');
    // nothing refused reached the venue
    await broker.sync();
    expect(fx.server.requestsTo('POST /api/v3/order')).toHaveLength(1);
  });
});

describe('binance spot: a replaced order', () => {
  it('a working stop selling the whole holding, cancelled and re-sent at another level in the same bar: the cancel goes out first, so the venue does not refuse the new stop for the balance the old one holds', async () => {
    const fx = await fixture();
    const { broker, errors } = await openOn('binance', fx.server, ['BTCUSDT']);
    broker.submit({ clientId: 'buy', symbol: 'BTCUSDT', qty: 0.5, type: 'market' });
    await broker.sync();
    broker.submit({ clientId: 'stop-1', symbol: 'BTCUSDT', qty: -0.5, type: 'stop', price: 38_000 });
    await broker.sync();
    expect(fx.spot.orders.find((o) => o.type === 'stop')!.status).toBe('open');
    // the next bar: the stop moves up (cancel the old one, send the new one)
    expect(broker.cancel('stop-1')).toBe(true);
    expect(broker.submit({ clientId: 'stop-2', symbol: 'BTCUSDT', qty: -0.5, type: 'stop', price: 39_000 }).accepted).toBe(true);
    await broker.sync();
    expect(errors).toEqual([]);
    expect(fx.spot.orders.filter((o) => o.type === 'stop').map((o) => [o.price, o.status])).toEqual([[38_000, 'cancelled'], [39_000, 'open']]);
    expect(broker.order('stop-2')!.status).toBe('open');
  });
});
