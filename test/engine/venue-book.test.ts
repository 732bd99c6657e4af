/**
 * The Trader driving a venue broker directly (engine/venue-book.ts): the portfolio engine's orders go
 * to a VenueBroker (ccxt) on the Binance trading fixture on 127.0.0.1, and the venue's fills are
 * booked as they arrive. The fixture fills a market order at its price on arrival (venue-sim.ts), so
 * with the fixture's price set to each bar's close, the venue run is a same-close backtest whose only
 * cost is the venue's fee: the independent fact is `runBacktest` with `fill: same_close`, taker and
 * maker fee = the fixture's rate, no slippage, impact or funding — its orders, fills and NAV must be
 * the venue run's. The fixture's own account (its matching engine, not the book) must end where the
 * book ends. Model stops reach the venue as stop orders for the model's sleeve; the book passes the
 * broker conformance suite over a venue adapter.
 */
import { describe, expect, it } from 'vitest';
import { prepareRun } from '../../src/backtest/engine-setup.js';
import { runBacktest } from '../../src/backtest/engine.js';
import { prepareBacktest } from '../../src/backtest/run-backtest.js';
import type { EdgelabConfig } from '../../src/config/schema.js';
import { HistoricalClock } from '../../src/engine/clock.js';
import { Trader } from '../../src/engine/trader.js';
import { VenueBook } from '../../src/engine/venue-book.js';
import type { SimulatedBrokerSetup } from '../../src/execution/simulated-broker.js';
import type { Model } from '../../src/models/types.js';
import { planOf } from '../../src/paper/spec.js';
import { startBinanceTradingFixture } from '../fixtures/servers/binance-trading.js';
import { describeBrokerConformance } from '../execution/broker-conformance.js';
import { conformanceHarness, openOn, serverPool } from '../execution/venues/harness.js';
import { baseConfig, specOf, syntheticData } from '../paper/helpers.js';

const servers = serverPool();
const FEE = 0.001; // the spot fixture's fee rate (binance-trading.ts default)

/** Same-close fills, the venue's fee as the only cost, no funding: what the fixture does. */
function venueLikeConfig(): EdgelabConfig {
  const bt = baseConfig.backtest;
  const fee = { maker_bps: FEE * 1e4, taker_bps: FEE * 1e4, slippage_bps: 0, impact_coef: 0 };
  return {
    ...baseConfig,
    backtest: {
      ...bt, initial_capital: 100_000, costs: { default: fee },
      execution: { ...bt.execution, fill: 'same_close', funding: false, lots: { default: { lot_size: 0.001, min_qty: 0.001, min_notional: 5 } } },
    },
  };
}

const SPEC = specOf('vb', {
  model: 'sma_cross', params: { symbol: 'BTCUSDT', fast: 10, slow: 40, size: 'units:0.05' },
  from: '2021-03-01T00:00:00.000Z', to: '2021-05-01T00:00:00.000Z', config: venueLikeConfig(),
});

async function venueRun(wrapModel?: (m: Model) => Model) {
  const fx = await startBinanceTradingFixture({ prices: { BTCUSDT: 40_000 }, cash: 100_000, feeRate: FEE });
  servers.push(fx.server);
  const { broker, errors } = await openOn('binance', fx.server, ['BTCUSDT']);
  const { input } = prepareBacktest(planOf(SPEC), syntheticData(), false, (m) => (wrapModel ? wrapModel(m) : m));
  const prep = prepareRun(input);
  const trader = new Trader(input, prep, (setup: SimulatedBrokerSetup) => new VenueBook(setup, broker, 'vb'));
  const events: string[] = [];
  trader.broker.onEvent((e) => events.push(`${e.kind}: ${e.message}`));
  const clock = new HistoricalClock(prep.clock.times, prep.clock.offset, 0, prep.kEnd);
  for (let e = clock.next(); e !== null; e = clock.next()) {
    trader.step(e);
    // the venue's market is the bar's close: orders sent at this close fill there
    fx.spot.setPrice('BTCUSDT', trader.mark[0]!);
    fx.spot.tick();
    await trader.broker.sync(trader.mark);
  }
  return { fx, broker, errors, events, trader, result: trader.finish() };
}

describe('the Trader drives a venue broker (VenueBook over ccxt, Binance fixture)', () => {
  it('orders, fills and NAV equal a same-close backtest with the venue fee; the venue account ends where the book does', async () => {
    const { fx, events, errors, trader, result } = await venueRun();
    const { input } = prepareBacktest(planOf(SPEC), syntheticData(), false, (m) => m);
    const expected = runBacktest(input);
    expect(expected.fills.length).toBeGreaterThan(4);
    // every order the portfolio engine placed reached the venue once, under <prefix>-<order id>
    expect(result.orders.map((o) => [o.symbol, o.qty, o.type, o.placedAt, o.status])).toEqual(expected.orders.map((o) => [o.symbol, o.qty, o.type, o.placedAt, o.status]));
    const posts = fx.server.requestsTo('POST /api/v3/order');
    expect(posts).toHaveLength(expected.orders.length);
    // fills: the venue's price (the close) and fee (rounded to 8 decimals by the venue)
    // (the venue reports cumulative cost to 8 decimals: price = cost ÷ quantity is the close to ~1e-7)
    expect(result.fills.map((f) => f.qty)).toEqual(expected.fills.map((f) => f.qty));
    result.fills.forEach((f, i) => {
      expect(f.price).toBeCloseTo(expected.fills[i]!.price, 6);
      expect(f.fee).toBeCloseTo(expected.fills[i]!.fee, 7);
    });
    // NAV: a step records before the venue's fills arrive (they come in the sync after it), so the
    // steps that placed an order differ by that fill's fee; every other step is the backtest's
    const placedAt = new Set(expected.orders.map((o) => o.placedAt));
    let compared = 0;
    for (let r = 0; r < expected.nav.length; r++) {
      if (placedAt.has(expected.ts[r]!)) continue;
      expect(result.nav[r]).toBeCloseTo(expected.nav[r]!, 5);
      compared++;
    }
    expect(compared).toBeGreaterThan(expected.nav.length - expected.orders.length - 1);
    expect(result.trades.map((t) => [t.symbol, t.side, t.maxQty])).toEqual(expected.trades.map((t) => [t.symbol, t.side, t.maxQty]));
    result.trades.forEach((t, i) => expect(t.pnl).toBeCloseTo(expected.trades[i]!.pnl, 5));
    // the fixture's own books (cash −= qty × price + fee per trade) against the Trader's account
    expect(trader.broker.account.position[0]).toBeCloseTo(fx.spot.position('BTCUSDT'), 9);
    expect(trader.broker.account.cash).toBeCloseTo(fx.spot.cash, 6);
    expect(fx.spot.trades).toHaveLength(result.fills.length);
    expect(events).toEqual([]);
    expect(errors).toEqual([]);
  }, 120_000);

  it('a model stop goes to the venue for the sleeve, and its venue fill closes the model', async () => {
    // sma_cross with a protective stop 3 % under the close whenever it is long
    const withStop = (m: Model): Model => ({
      ...m,
      decide(ctx) {
        const d = m.decide(ctx);
        const close = ctx.bar('BTCUSDT').close;
        if (d === null || d === undefined) return d;
        return (d.weights['BTCUSDT'] ?? 0) > 0 ? { ...d, stops: { BTCUSDT: { stop: Math.round(close * 0.97) } } } : d;
      },
    });
    const { fx, trader, result } = await venueRun(withStop);
    const stopPosts = fx.server.requestsTo('POST /api/v3/order').filter((r) => r.params['type'] === 'STOP_LOSS');
    expect(stopPosts.length).toBeGreaterThan(0);
    // each venue stop sells the model's whole sleeve (its position here, one model) at the level it asked for
    const stops = fx.spot.orders.filter((o) => o.type === 'stop');
    for (const o of stops) {
      expect(o.side).toBe('sell');
      expect(o.qty).toBeCloseTo(0.05, 9);
    }
    const fired = stops.filter((o) => o.status === 'filled');
    expect(fired.length).toBeGreaterThan(0);
    const stopFills = result.fills.filter((f) => f.reason === 'stop');
    expect(stopFills.length).toBe(fired.length);
    expect(trader.broker.account.position[0]).toBeCloseTo(fx.spot.position('BTCUSDT'), 9);
    expect(trader.broker.account.cash).toBeCloseTo(fx.spot.cash, 6);
    // no stop left working on the venue without a position under it
    const open = stops.filter((o) => o.status === 'open');
    expect(open.reduce((s, o) => s + o.qty, 0)).toBeLessThanOrEqual(fx.spot.position('BTCUSDT') + 1e-9);
  }, 120_000);
});

describeBrokerConformance('VenueBook over binance spot (ccxt, fixture)', async ({ partialFills }) => {
  const fx = await startBinanceTradingFixture({ prices: { BTCUSDT: 40_000 } });
  servers.push(fx.server);
  const h = await conformanceHarness('binance', fx.server, fx.spot, 'BTCUSDT', partialFills, 0.125);
  const { input } = prepareBacktest(planOf(SPEC), syntheticData(), false, (m) => m);
  const prep = prepareRun(input);
  const book = new Trader(input, prep, (setup: SimulatedBrokerSetup) => new VenueBook(setup, h.broker, 'conf')).broker;
  return { ...h, broker: book, advance: async () => { fx.spot.tick(); await book.sync(); } };
}, { longOnly: true, stops: 'stop+limit' });
