/**
 * Alpaca through its SDK against the Alpaca trading fixture: the broker conformance suite (whole
 * shares, shorts allowed), the regular-session refusal from /v2/clock, and faults on /v2/orders.
 */
import { describe, expect, it } from 'vitest';
import type { FillRecord } from '../../../src/execution/types.js';
import { describeBrokerConformance } from '../broker-conformance.js';
import { startAlpacaTradingFixture, type AlpacaTradingOptions } from '../../fixtures/servers/alpaca-trading.js';
import { conformanceHarness, FAKE_ENV, openOn, serverPool } from './harness.js';

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
