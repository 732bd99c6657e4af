/**
 * Shared bits of the venue broker tests: fake keys, an injected clock whose sleep only records,
 * and a harness that opens a venue broker on a fresh trading fixture for the conformance suite.
 */
import { afterAll, expect } from 'vitest';
import type { FillRecord } from '../../../src/execution/types.js';
import { createVenueBroker, type BrokerErrorEvent, type VenueBroker, type VenueBrokerOptions } from '../../../src/execution/venues/index.js';
import type { BrokerHarness } from '../broker-conformance.js';
import type { SimVenue } from '../../fixtures/servers/venue-sim.js';
import type { TradingServer } from '../../fixtures/servers/trading-server.js';

/** Fake keys: long and distinctive so a search for them cannot hit by chance. Kraken's secrets are base64. */
export const FAKE_ENV: Record<string, string> = {
  BINANCE_API_KEY: 'fakeBinanceKey7Qx2LmZp9VwT4nRj8sKd',
  BINANCE_API_SECRET: 'fakeBinanceSecret3Hh6GfYt1UoPa5ZcXv',
  KRAKEN_API_KEY: 'fakeKrakenKey4Wq8ErTy2UiOp6AsDfGh',
  KRAKEN_API_SECRET: Buffer.from('fakeKrakenSecret9Jk3LzXc5VbNm1Qw').toString('base64'),
  KRAKEN_FUTURES_API_KEY: 'fakeKrakenFuturesKey6Tg1Yh8Uj3Ik5Ol',
  KRAKEN_FUTURES_API_SECRET: Buffer.from('fakeKrakenFuturesSecret2Rf7Ed4Ws9Qa').toString('base64'),
  APCA_API_KEY_ID: 'PKFAKEALPACA8R2T6Y4U0I3O',
  APCA_API_SECRET_KEY: 'fakeAlpacaSecret2Zx7Cv5Bn1Mq9We3Rt6Yu',
};

export interface TestClock {
  readonly sleeps: number[];
  readonly logs: string[];
  now(): number;
  sleep(ms: number): Promise<void>;
}

export function testClock(start = Date.UTC(2024, 0, 2, 15)): TestClock {
  let t = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    logs: [],
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
  };
}

export interface Opened {
  readonly broker: VenueBroker;
  readonly clock: TestClock;
  readonly errors: BrokerErrorEvent[];
}

/** Open `name` on `server` with fake keys, a test clock and a 1 s timeout (400 ms timed out healthy requests at load ~20 on 2 cores); errors collected. */
export async function openOn(name: string, server: TradingServer, symbols: readonly string[], extra: Partial<VenueBrokerOptions> = {}): Promise<Opened> {
  const clock = testClock();
  const broker = await createVenueBroker(name, {
    symbols, env: FAKE_ENV, baseUrl: server.baseUrl, now: clock.now, sleep: clock.sleep, timeoutMs: 1000, runId: 'test-run', rateLimitMs: 1,
    log: (line) => clock.logs.push(line), ...extra,
  });
  const errors: BrokerErrorEvent[] = [];
  broker.onError((e) => errors.push(e));
  return { broker, clock, errors };
}

/** Servers opened by a test file, closed after it. */
export function serverPool(): TradingServer[] {
  const servers: TradingServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });
  return servers;
}

/** A conformance harness on one venue of a fixture. */
export async function conformanceHarness(
  name: string, server: TradingServer, venue: SimVenue, symbol: string, partialFills: boolean, lotQty: number, venueSymbol = symbol,
): Promise<BrokerHarness> {
  venue.partial = partialFills;
  const { broker } = await openOn(name, server, [symbol]);
  return {
    broker, symbol, initialCash: broker.cash(), lotQty, partialQty: 2 * lotQty,
    price: () => venue.prices.get(venueSymbol)!,
    movePrice: (price) => {
      venue.setPrice(venueSymbol, price);
      broker.mark(symbol, price);
    },
    advance: async () => {
      venue.tick();
      await broker.sync();
    },
  };
}

/**
 * The book against the venue's own state after a fault: at most one venue order per client id, the
 * fills booked for each equal to what the venue filled, every venue trade booked once, and position
 * and cash equal to the venue's (spot: the quote balance; futures: wallet − position × entry, which
 * the fixtures keep equal to their cash).
 */
export function expectConsistent(
  broker: VenueBroker, venue: SimVenue, fills: readonly FillRecord[], clientIds: readonly string[], symbol: string, venueSymbol = symbol,
): void {
  for (const id of clientIds) {
    const onVenue = venue.orders.filter((o) => o.clientOrderId === broker.venueIdOf(id));
    expect(onVenue.length, `venue orders under ${id}`).toBeLessThanOrEqual(1);
    const booked = fills.filter((f) => f.orderId === broker.order(id)!.id).reduce((s, f) => s + f.qty, 0);
    expect(booked).toBeCloseTo(onVenue.reduce((s, o) => s + (o.side === 'buy' ? o.filled : -o.filled), 0), 9);
  }
  expect(venue.trades.length).toBe(fills.length);
  expect(broker.position(symbol)).toBeCloseTo(venue.position(venueSymbol), 9);
  expect(broker.cash()).toBeCloseTo(venue.cash, 6);
}
