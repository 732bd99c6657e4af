/**
 * A paper session on a venue (`--broker binance`): the loop's Trader trades on the Binance trading
 * fixture on 127.0.0.1 directly, through a VenueBook over the ccxt adapter (engine/venue-book.ts,
 * PaperLoop.attachVenue). Checked against facts from outside the book:
 *
 *   - the orders are the backtest's (same closes, same quantities: units sizing does not depend on
 *     NAV), each reaching the venue once under `<session>-<order id>` through a 503 and a 429,
 *     which show in the errors log with the order id and in the head;
 *   - every fill is the venue's: at the fixture's price, with its fee (0.1 % of the value), booked
 *     once (the fixture's trade list), journaled in the orders log;
 *   - the book's cash and position equal the fixture's own account; the drift monitor's figure is
 *     the venue book's NAV minus the simulated Trader's on the same bars, recomputed here;
 *   - a venue session stopped mid-way resumes and finishes, each order on the venue once.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { runBacktestReport } from '../../src/backtest/run-backtest.js';
import { PaperLoop } from '../../src/paper/loop.js';
import { paperPaths } from '../../src/paper/files.js';
import { planOf } from '../../src/paper/spec.js';
import { openVenueMirror } from '../../src/paper/venue-mirror.js';
import { venueClientOrderId } from '../../src/execution/venues/index.js';
import { startBinanceTradingFixture, type BinanceTradingFixture } from '../fixtures/servers/binance-trading.js';
import { FAKE_ENV } from '../execution/venues/harness.js';
import { specOf, syntheticData, tempRoot, virtualScheduler } from './helpers.js';

let fx: BinanceTradingFixture | undefined;
afterAll(async () => {
  await fx?.server.close();
});

const lines = <T,>(path: string): T[] => readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as T);
const PRICE = 40_000;

describe('paper session trading on a venue fixture', () => {
  it("the Trader's orders go to the venue once each through faults; the venue's fills are the book", async () => {
    Object.assign(process.env, FAKE_ENV);
    fx = await startBinanceTradingFixture({ prices: { BTCUSDT: PRICE }, cash: 1_000_000 });
    const root = tempRoot();
    const spec = specOf('venue', { model: 'sma_cross', params: { symbol: 'BTCUSDT', fast: 10, slow: 40, size: 'units:0.01' }, broker: 'binance', from: '2021-03-01T00:00:00.000Z', to: '2021-04-15T00:00:00.000Z' });
    const loop = PaperLoop.create(spec, root, syntheticData());
    loop.attachVenue(await openVenueMirror(spec, loop, { baseUrl: fx.server.baseUrl }));
    fx.server.inject('POST /api/v3/order', { kind: 'server-error', status: 503 }, 1);
    fx.server.inject('POST /api/v3/order', { kind: 'rate-limit', retryAfterS: 1 }, 1);
    const out = await loop.run({ scheduler: virtualScheduler() });
    expect(out.head.status).toBe('finished');
    const result = out.result!;
    // the decisions are the backtest's: same closes, same quantities
    const backtest = (await runBacktestReport(planOf(spec), syntheticData(), { probes: false })).result;
    expect(backtest.orders.length).toBeGreaterThan(2);
    expect(result.orders.map((o) => [o.placedAt, o.qty, o.type])).toEqual(backtest.orders.map((o) => [o.placedAt, o.qty, o.type]));
    // each reached the venue once: one accepted POST per order, under <session>-<id>
    const posts = fx.server.requestsTo('POST /api/v3/order');
    expect(posts.filter((r) => r.fault !== undefined).map((r) => r.fault)).toEqual(['server-error', 'rate-limit']);
    const ids = result.orders.map((o) => venueClientOrderId('venue', `venue-${o.id}`));
    expect(fx.spot.orders.map((o) => o.clientOrderId)).toEqual(ids);
    // the venue's fills: at its price, its fee, each booked once and journaled
    expect(result.fills.length).toBe(fx.spot.trades.length);
    for (const f of result.fills) {
      expect(f.price).toBeCloseTo(PRICE, 6);
      expect(f.fee).toBeCloseTo(Math.abs(f.qty) * PRICE * 0.001, 8);
    }
    const logged = lines<{ kind: string; qty: number }>(paperPaths(root, 'venue').logs.orders).filter((r) => r.kind === 'fill');
    expect(logged.map((f) => f.qty)).toEqual(result.fills.map((f) => f.qty));
    // the book is the venue's account
    expect(out.head.cash).toBeCloseTo(fx.spot.cash, 6);
    const held = out.head.positions.find((p) => p.symbol === 'BTCUSDT')?.qty ?? 0;
    expect(held).toBeCloseTo(fx.spot.position('BTCUSDT'), 9);
    // drift: the venue book's NAV − the simulated Trader's on the same bars, at the same mark
    const mark = loop.trader.mark[0]!;
    const simCash = backtest.cash[backtest.cash.length - 1]!; // fills, fees and the perpetual's funding
    const simQty = backtest.fills.reduce((q, f) => q + f.qty, 0);
    expect(out.head.drift.against).toBe('binance vs sim');
    expect(out.head.drift.navDiff).toBeCloseTo(fx.spot.cash + fx.spot.position('BTCUSDT') * mark - (simCash + simQty * mark), 4);
    // faults: in the errors log with the order's id, and counted in the head
    const errors = lines<{ kind: string; message: string }>(paperPaths(root, 'venue').logs.errors);
    expect(errors.map((e) => e.kind)).toEqual(expect.arrayContaining(['broker server', 'broker rate-limit']));
    expect(errors.filter((e) => e.kind === 'broker server')[0]!.message).toMatch(/\(order venue-\d+\)/);
    expect(out.head.errors).toBeGreaterThanOrEqual(2);
    // a finished session does not run again, but opens
    expect(() => PaperLoop.open(root, 'venue', syntheticData())).not.toThrow(); // a finished session opens (for status)
  }, 120_000);

  it('a venue session stopped mid-way resumes from its venue journal (venue-resume.test.ts has the full comparison)', async () => {
    Object.assign(process.env, FAKE_ENV);
    fx ??= await startBinanceTradingFixture({ prices: { BTCUSDT: PRICE }, cash: 1_000_000 });
    const root = tempRoot();
    const spec = specOf('venue-stop', { model: 'sma_cross', params: { symbol: 'BTCUSDT', fast: 10, slow: 40, size: 'units:0.01' }, broker: 'binance', from: '2021-03-01T00:00:00.000Z', to: '2021-04-15T00:00:00.000Z' });
    const loop = PaperLoop.create(spec, root, syntheticData());
    loop.attachVenue(await openVenueMirror(spec, loop, { baseUrl: fx.server.baseUrl }));
    const out = await loop.run({ scheduler: virtualScheduler(), bars: 20 });
    expect(out.head.status).toBe('stopped');
    const resumed = PaperLoop.open(root, 'venue-stop', syntheticData());
    await resumed.reattachVenue(await openVenueMirror(resumed.spec, resumed, { baseUrl: fx.server.baseUrl }));
    const end = await resumed.run({ scheduler: virtualScheduler() });
    expect(end.head.status).toBe('finished');
    // nothing sent twice: every order of the whole session (before and after the stop) is on the venue once
    const ids = end.result!.orders.map((o) => venueClientOrderId('venue-stop', `venue-stop-${o.id}`));
    expect(end.result!.orders.length).toBeGreaterThan(2);
    for (const id of ids) expect(fx.spot.orders.filter((o) => o.clientOrderId === id), id).toHaveLength(1);
  }, 120_000);
});
