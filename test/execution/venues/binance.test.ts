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
}, { stops: 'refused' });

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
