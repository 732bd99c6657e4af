/**
 * Must-show 3 in a paper session: every broker fault the trading fixture injects — a timeout after
 * the venue placed the order, 429 with Retry-After, a 5xx, a connection dropped after and one
 * dropped before the venue acted, an order acknowledged and then lost, partial fills (every market
 * order fills half on arrival, the rest at the next bar) with polls dropped in between — hits a
 * venue session on the Binance spot fixture (the adapters' own fault tests:
 * test/execution/venues/faults.test.ts and the other venue files). Afterwards the book is consistent
 * with the venue: at most one venue order per client id, every venue trade booked once as a fill
 * (the orders log), cash and position equal to the venue's account. Each fault is visible: a
 * `broker <kind>` line in the session's errors log, and on the dashboard — PaperDash at 120×40 drawn
 * from the session's files (as `paper dash` reads them) at the bar the error was logged shows it.
 */
import React from 'react';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createVenueBroker, venueClientOrderId } from '../../src/execution/venues/index.js';
import type { FillRecord } from '../../src/execution/types.js';
import { PaperLoop } from '../../src/paper/loop.js';
import { paperPaths } from '../../src/paper/files.js';
import { VenueMirror } from '../../src/paper/venue-mirror.js';
import { DashSource } from '../../src/tui/paper/dash-data.js';
import { PaperDash } from '../../src/tui/paper/PaperDash.js';
import { startBinanceTradingFixture, type BinanceTradingFixture } from '../fixtures/servers/binance-trading.js';
import { FAKE_ENV } from '../execution/venues/harness.js';
import { frame, renderAt } from '../tui/render-at.js';
import { specOf, syntheticData, tempRoot } from './helpers.js';
import { VenueScript, barPrices, scriptedScheduler } from './venue-script.js';

let fx: BinanceTradingFixture | undefined;
afterAll(async () => {
  await fx?.server.close();
});

const lines = <T,>(path: string): T[] => readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as T);
const ORDER = 'POST /api/v3/order';

describe('a venue paper session through every injected broker fault', () => {
  it('keeps its book equal to the venue, and shows each fault in the errors log and on the dashboard', async () => {
    fx = await startBinanceTradingFixture({ prices: { BTCUSDT: 40_000 }, cash: 1_000_000 });
    const venue = fx.spot;
    venue.partial = true;
    // one fault per order sent, in this order (a fault entry is used by the next matching request)
    fx.server.inject(ORDER, { kind: 'timeout' });
    fx.server.inject(ORDER, { kind: 'rate-limit', retryAfterS: 1 });
    fx.server.inject(ORDER, { kind: 'server-error', status: 503 });
    fx.server.inject(ORDER, { kind: 'drop', processed: true });
    fx.server.inject(ORDER, { kind: 'drop', processed: false });
    fx.server.inject(ORDER, { kind: 'lost' });

    const root = tempRoot();
    const data = syntheticData();
    const spec = specOf('faults', { model: 'sma_cross', params: { symbol: 'BTCUSDT', fast: 5, slow: 20, size: 'units:0.01' }, broker: 'binance', from: '2021-03-01T00:00:00.000Z', to: '2021-04-15T00:00:00.000Z' });
    const loop = PaperLoop.create(spec, root, data);
    const broker = await createVenueBroker('binance', {
      symbols: ['BTCUSDT'], env: FAKE_ENV, runId: spec.id, baseUrl: fx.server.baseUrl, timeoutMs: 1000, rateLimitMs: 1,
      sleep: () => Promise.resolve(), // retries wait no wall time here (their delays are the adapter tests')
    });
    loop.attachVenue(new VenueMirror('binance', broker, spec, loop));
    const script = new VenueScript(venue, 'BTCUSDT', barPrices(spec, data, 'BTCUSDT'));

    // the dashboard, drawn from the files whenever the session logged a new error
    const frames: string[] = [];
    let seen = 0;
    let pollsDropped = false;
    const out = await loop.run({
      pollMs: 0,
      scheduler: scriptedScheduler(() => {
        // partial fills: once the faults on sending are used up, drop two polls of a part-filled order
        const sendFaultsUsed = fx!.server.requestsTo(ORDER).filter((r) => r.fault !== undefined).length === 6;
        if (!pollsDropped && sendFaultsUsed && venue.orders.some((o) => o.status === 'open' && o.type === 'market' && o.filled > 0)) {
          fx!.server.inject('GET /api/v3/order', { kind: 'drop', processed: false }, 2);
          pollsDropped = true;
        }
        return loop.trader.progress.lastStep + 1;
      }, script),
      onCommit: (head) => {
        if (head.errors <= seen) return;
        seen = head.errors;
        const d = new DashSource(root, spec.id).read();
        const r = renderAt(<PaperDash data={d} width={120} height={40} now={d.head!.wallAt} colors={[]} />, { columns: 120, rows: 40 });
        frames.push(frame(r));
        r.unmount();
      },
    });
    expect(out.head.status).toBe('finished');

    // every fault was injected
    const injected = fx.server.requests.filter((r) => r.fault !== undefined).map((r) => `${r.method} ${r.path} ${r.fault}`);
    expect(injected).toEqual(expect.arrayContaining([
      `${ORDER} timeout`, `${ORDER} rate-limit`, `${ORDER} server-error`, `${ORDER} drop`, `${ORDER} lost`, 'GET /api/v3/order drop',
    ]));

    // the book is consistent with the venue: one order per client id, each venue trade booked once
    expect(new Set(venue.orders.map((o) => o.clientOrderId)).size).toBe(venue.orders.length);
    const fills = lines<FillRecord & { kind: string }>(paperPaths(root, spec.id).logs.orders).filter((l) => l.kind === 'fill');
    expect(fills.length).toBe(venue.trades.length);
    // per venue order: the fills booked under its client id add up to what the venue filled, at its average price
    for (const o of venue.orders) {
      const mine = fills.filter((f) => venueClientOrderId(spec.id, `${spec.id}-${f.orderId}`) === o.clientOrderId);
      const qty = mine.reduce((q, f) => q + Math.abs(f.qty), 0);
      expect(qty, `booked of venue order ${o.id}`).toBeCloseTo(o.filled, 9);
      if (qty > 0) expect(mine.reduce((v, f) => v + Math.abs(f.qty) * f.price, 0)).toBeCloseTo(o.cost, 4);
    }
    // partial fills happened: some venue order filled in more than one trade
    expect(venue.orders.some((o) => o.trades.length > 1)).toBe(true);
    expect(out.head.cash).toBeCloseTo(venue.cash, 6);
    expect(out.head.positions.find((p) => p.symbol === 'BTCUSDT')?.qty ?? 0).toBeCloseTo(venue.position('BTCUSDT'), 9);

    // each fault is in the errors log and was on the dashboard
    const errors = lines<{ kind: string; message: string }>(paperPaths(root, spec.id).logs.errors);
    const kinds = ['broker timeout', 'broker rate-limit', 'broker server', 'broker network', 'broker lost'];
    for (const kind of kinds) {
      expect(errors.some((e) => e.kind === kind), `${kind} in errors.jsonl`).toBe(true);
      expect(frames.some((f) => f.includes(`! ${kind}:`)), `${kind} on the dashboard`).toBe(true);
    }
    expect(out.head.errors).toBe(errors.length);
    // no fake key anywhere in what the session wrote
    const written = ['orders', 'errors', 'trades', 'performance', 'venue'].map((n) => readFileSync(paperPaths(root, spec.id).logs[n as 'orders'], 'utf8')).join('\n') + frames.join('\n');
    for (const secret of Object.values(FAKE_ENV)) expect(written).not.toContain(secret);
  }, 120_000);
});
