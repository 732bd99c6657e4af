/**
 * The kill switch flattens (docs/paper.md "Safety"): `paper kill` during a replay cancels the
 * working orders, closes every position at the last close through the broker — the closing orders,
 * fills and the round-trip trade recorded in the logs — and stops. Checked on the PaperBroker (the
 * closing fill priced here from the last close and the configured taker costs) and mirrored to a
 * venue fixture (Binance spot on 127.0.0.1): the venue's position is closed too, once, under the
 * idempotent client id `<session>-kill-<symbol>`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { PaperLoop } from '../../src/paper/loop.js';
import { paperPaths } from '../../src/paper/files.js';
import { openVenueMirror } from '../../src/paper/venue-mirror.js';
import type { PaperSpec } from '../../src/paper/spec.js';
import { controlSession } from '../../src/paper/control-command.js';
import { startBinanceTradingFixture, type BinanceTradingFixture } from '../fixtures/servers/binance-trading.js';
import { FAKE_ENV } from '../execution/venues/harness.js';
import { venueClientOrderId } from '../../src/execution/venues/client-id.js';
import { specOf, syntheticData, tempRoot, virtualScheduler } from './helpers.js';

const lines = <T,>(path: string): T[] => (existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as T) : []);

let fx: BinanceTradingFixture | undefined;
afterAll(async () => {
  await fx?.server.close();
});

interface Fill { kind: string; qty: number; price: number; refPrice: number; fee: number; reason: string; symbol: string }

/** Run until the book holds a position, then `paper kill`; the loop's head when it stopped. */
async function killWhenLong(spec: PaperSpec, root: string, loop: PaperLoop) {
  const sched = virtualScheduler();
  let killedAt = -1;
  const out = await loop.run({
    scheduler: sched, pollMs: 1,
    onCommit: (h) => {
      sched.advance(5);
      if (killedAt < 0 && h.positions.some((p) => p.qty !== 0) && h.bars > 40) {
        controlSession(root, spec.id, 'kill');
        killedAt = h.step;
      }
    },
  });
  return { out, killedAt };
}

describe('kill switch: cancel, flatten, record, stop', () => {
  it('PaperBroker: positions closed at the last close with the taker costs, the fills and trade logged', async () => {
    const root = tempRoot();
    const spec = specOf('flat', { model: 'sma_cross', params: { symbol: 'BTCUSDT', fast: 10, slow: 40 }, from: '2021-03-01T00:00:00.000Z', to: '2021-06-01T00:00:00.000Z' });
    const loop = PaperLoop.create(spec, root, syntheticData());
    const { out, killedAt } = await killWhenLong(spec, root, loop);
    expect(killedAt).toBeGreaterThan(0);
    expect(out.head.status).toBe('killed');
    expect(out.head.positions.filter((p) => p.qty !== 0)).toEqual([]);
    expect(out.head.openOrders).toEqual([]);
    const paths = paperPaths(root, 'flat');
    const fills = lines<Fill>(paths.logs.orders).filter((r) => r.kind === 'fill');
    const closing = fills.filter((f) => f.reason === 'kill_switch');
    expect(closing.length).toBe(1);
    const c = closing[0]!;
    // the position before the kill: every earlier fill summed
    const held = fills.filter((f) => f.reason !== 'kill_switch').reduce((q, f) => q + f.qty, 0);
    expect(c.qty).toBeCloseTo(-held, 9);
    const mark = loop.trader.mark[0]!;
    expect(c.refPrice).toBe(mark);
    const { slippage, taker } = loop.trader.prep.rates[0]!; // the configured rates of the symbol's class
    const side = c.qty > 0 ? 1 : -1;
    // a taker fill: ref × (1 + side × (slippage + impact fraction)), the impact as recorded on the fill
    const impact = (c as Fill & { impact: number }).impact / (Math.abs(c.qty) * mark);
    expect(c.price).toBeCloseTo(mark * (1 + side * (slippage + impact)), 8);
    expect(c.fee).toBeCloseTo(Math.abs(c.qty) * c.price * taker, 8);
    // the round trip closed by the kill is in the trades log; the errors log says what was closed
    const trades = lines<{ exitTs: number | null; qty: number }>(paths.logs.trades);
    expect(trades.length).toBe(out.head.closedTrades);
    const kill = lines<{ kind: string; message: string }>(paths.logs.errors).find((e) => e.kind === 'kill_switch');
    expect(kill?.message).toMatch(/flattened: (sold|bought) [\d.]+ BTCUSDT/);
    expect(out.head.message).toMatch(/1 position\(s\) closed at the last close/);
  }, 120_000);

  it('venue fixture: the venue position is closed once under <session>-kill-<symbol>', async () => {
    Object.assign(process.env, FAKE_ENV);
    fx = await startBinanceTradingFixture({ prices: { BTCUSDT: 40_000 }, cash: 1_000_000 });
    const root = tempRoot();
    const spec = specOf('vkill', { model: 'sma_cross', params: { symbol: 'BTCUSDT', fast: 10, slow: 40, size: 'units:0.01' }, broker: 'binance', from: '2021-03-01T00:00:00.000Z', to: '2021-06-01T00:00:00.000Z' });
    const loop = PaperLoop.create(spec, root, syntheticData());
    loop.attachVenue(await openVenueMirror(spec, loop, { baseUrl: fx.server.baseUrl }));
    const { out } = await killWhenLong(spec, root, loop);
    expect(out.head.status).toBe('killed');
    expect(fx.spot.position('BTCUSDT')).toBeCloseTo(0, 9);
    const kills = fx.server.requestsTo('POST /api/v3/order').filter((r) => r.fault === undefined && r.params['newClientOrderId'] === venueClientOrderId('vkill', 'vkill-kill-BTCUSDT'));
    expect(kills.length).toBe(1);
    expect(out.head.positions.filter((p) => p.qty !== 0)).toEqual([]);
    expect(PaperLoop.open(root, 'vkill', syntheticData()).resumedFrom?.status).toBe('killed');
  }, 120_000);
});
