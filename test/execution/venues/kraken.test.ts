/**
 * Kraken spot through ccxt against the Kraken trading fixture: the broker conformance suite (long
 * only), the venue's ordermin / costmin / tick rules, and a timeout after placement (Kraken looks
 * orders up by cl_ord_id in OpenOrders and ClosedOrders).
 */
import { describe, expect, it } from 'vitest';
import type { FillRecord } from '../../../src/execution/types.js';
import { describeBrokerConformance } from '../broker-conformance.js';
import { startKrakenTradingFixture } from '../../fixtures/servers/kraken-trading.js';
import { conformanceHarness, openOn, serverPool } from './harness.js';

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
