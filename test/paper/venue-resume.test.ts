/**
 * A paper session on a venue resumes (docs/paper.md "Brokers", resume): the loop stops dead at
 * several bars — its scheduler never returns, so nothing more is written, as with a killed process
 * — while a stop order is working on the venue; the venue's market moves on while it is down (at
 * most bars the working stop fills then); `reattachVenue` rebuilds the Trader from the venue journal
 * and hands the working orders back by client order id. Compared with an uninterrupted session on a
 * fresh copy of the same fixture script (venue-script.ts), from the venue's own state and the logs:
 * the same orders on the venue under the same client ids, none twice; the same venue trades; the
 * same fills in the orders log (quantity, price, fee, each once); the same closed trades and NAV per
 * bar; the book equal to the venue's account. The SIGKILL version, with a kill between the venue's
 * acknowledgement and the commit: venue-crash.test.ts.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { PaperLoop } from '../../src/paper/loop.js';
import { openVenueMirror } from '../../src/paper/venue-mirror.js';
import type { PaperSpec } from '../../src/paper/spec.js';
import type { OrderRecord } from '../../src/execution/types.js';
import { startBinanceTradingFixture } from '../fixtures/servers/binance-trading.js';
import { startAlpacaTradingFixture } from '../fixtures/servers/alpaca-trading.js';
import type { SimVenue } from '../fixtures/servers/venue-sim.js';
import type { TradingServer } from '../fixtures/servers/trading-server.js';
import { FAKE_ENV } from '../execution/venues/harness.js';
import { baseConfig, specOf, syntheticData, tempRoot } from './helpers.js';
import { VenueScript, barPrices, expectSameAsUninterrupted, scriptedScheduler } from './venue-script.js';

const servers: TradingServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

interface Venue {
  readonly server: TradingServer;
  readonly sim: SimVenue;
}


interface Stopped {
  readonly bar: number;
  readonly workingStops: number;
  readonly filledWhileDown: boolean;
}

/** Run the session to its end, stopping dead before each bar of `stops` and resuming after the script moved the venue on. */
async function session(root: string, spec: PaperSpec, venue: Venue, symbol: string, stops: readonly number[]) {
  const data = syntheticData();
  const script = new VenueScript(venue.sim, symbol, barPrices(spec, data, symbol));
  let loop = PaperLoop.create(spec, root, data);
  loop.attachVenue(await openVenueMirror(spec, loop, { baseUrl: venue.server.baseUrl }));
  const stopped: Stopped[] = [];
  for (const k of stops) {
    const current = loop;
    const scheduler = scriptedScheduler(() => current.trader.progress.lastStep + 1, script, new Set([k]));
    void current.run({ scheduler, pollMs: 0 });
    expect(await scheduler.stopped).toBe(k);
    const workingStops = venue.sim.orders.filter((o) => o.type === 'stop' && o.status === 'open').length;
    const trades = venue.sim.trades.length;
    script.run(k); // while the loop is down the venue's market moves on: a working stop may fill
    stopped.push({ bar: k, workingStops, filledWhileDown: venue.sim.trades.length > trades });
    loop = PaperLoop.open(root, spec.id, data);
    expect(loop.resumedFrom?.step).toBe(k - 1);
    await loop.reattachVenue(await openVenueMirror(loop.spec, loop, { baseUrl: venue.server.baseUrl }));
  }
  const current = loop;
  const out = await current.run({ scheduler: scriptedScheduler(() => current.trader.progress.lastStep + 1, script), pollMs: 0 });
  return { loop: current, out, script, stopped };
}

async function compare(spec: PaperSpec, symbol: string, fresh: () => Promise<Venue>, kills: number) {
  Object.assign(process.env, FAKE_ENV);
  const refVenue = await fresh();
  const refRoot = tempRoot();
  const ref = await session(refRoot, spec, refVenue, symbol, []);
  expect(ref.out.head.status).toBe('finished');
  // stop before bars at which a resting stop filled (it fills while the loop is down), and inside a trade
  const fillBars = ref.script.restingFills;
  expect(fillBars.length).toBeGreaterThanOrEqual(2);
  // …and two bars after a model stop went to the venue, where it was still working (not filled yet)
  const { times, offset } = ref.loop.trader.prep.clock;
  const stepOf = (t: number): number => times.findIndex((x) => x + offset === t);
  // the bar a stop ended in: the bar the venue filled it in (booked inside that bar, at its open), or the close that cancelled it
  const ended = (o: OrderRecord): number => (o.status === 'filled' ? (fillBars.find((k) => k > stepOf(o.placedAt)) ?? -1) : stepOf(o.closedAt!));
  const working = ref.loop.trader.broker.orders
    .filter((o) => o.reason === 'stop' && o.closedAt !== null && ended(o) - stepOf(o.placedAt) >= 3)
    .map((o) => stepOf(o.placedAt) + 2)
    .find((k) => !fillBars.includes(k))!;
  expect(working).toBeGreaterThan(0);
  const stops = [...new Set([working, ...fillBars.slice(0, kills - 1)])].sort((a, b) => a - b);

  const venue = await fresh();
  const root = tempRoot();
  const run = await session(root, spec, venue, symbol, stops);
  expect(run.out.head.status).toBe('finished');
  // the stops happened where meant: a stop working on the venue each time, filled while down at the fill bars
  expect(run.stopped.map((s) => s.bar)).toEqual(stops);
  for (const s of run.stopped) expect(s.workingStops, `working stops at bar ${s.bar}`).toBeGreaterThan(0);
  expect(run.stopped.filter((s) => s.filledWhileDown).length).toBe(stops.filter((k) => fillBars.includes(k)).length);

  // same as uninterrupted, nothing doubled, book = venue account (venue-script.ts)
  const errors = expectSameAsUninterrupted(refRoot, refVenue.sim, root, venue.sim, spec.id, symbol);
  // each resume is logged, and so is the reconcile that follows it
  expect(errors.filter((e) => e.kind === 'resume').map((e) => Number(/after bar (\d+)/.exec(e.message)![1]))).toEqual(stops.map((k) => k - 1));
  const checks = errors.filter((e) => e.kind === 'broker reconcile' && /after resume/.test(e.message));
  expect(checks).toHaveLength(stops.length);
  for (const c of checks) expect(c.message).toMatch(/[1-9]\d* order\(s\) re-adopted by client order id.*positions and cash agree with the venue/);
  return { ref, run };
}

const VC = { allow_short: false, position_weight: 0.3, max_hold_bars: 60, stop_atr: 0.5, target_atr: 10 };

describe('a venue paper session stopped dead at several bars resumes to the uninterrupted end', () => {
  it('binance spot (ccxt): working stops re-adopted by client order id, fills made while down booked once', async () => {
    const spec = specOf('vr-binance', { model: 'vol_compression_v1', params: { ...VC, symbol: 'BTCUSDT' }, broker: 'binance', from: '2021-03-15T00:00:00.000Z', to: '2021-05-15T00:00:00.000Z', config: baseConfig });
    await compare(spec, 'BTCUSDT', async () => {
      const fx = await startBinanceTradingFixture({ prices: { BTCUSDT: 40_000 }, cash: 100_000 });
      servers.push(fx.server);
      return { server: fx.server, sim: fx.spot };
    }, 3);
  }, 300_000);

  it('alpaca (its SDK): the same', async () => {
    const spec = specOf('vr-alpaca', { model: 'vol_compression_v1', params: { ...VC, symbol: 'SPY' }, broker: 'alpaca', from: '2021-02-01T00:00:00.000Z', to: '2021-07-01T00:00:00.000Z', config: baseConfig });
    await compare(spec, 'SPY', async () => {
      const fx = await startAlpacaTradingFixture({ prices: { SPY: 400 }, cash: 100_000, isOpen: true, nextClose: '2100-01-01T00:00:00Z' });
      servers.push(fx.server);
      return { server: fx.server, sim: fx.venue };
    }, 3);
  }, 300_000);
});
