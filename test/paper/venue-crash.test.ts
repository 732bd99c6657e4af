/**
 * Must-show 2 (crash safety) for a venue session (docs/paper.md "Brokers", resume): the paper loop
 * of a session on a venue runs in its own process (venue-crash-child.ts, bundled here with
 * esbuild and run with node) against the trading fixture this test serves on 127.0.0.1. Before each
 * bar the child asks over IPC; the test runs the fixture script for that bar (venue-script.ts: the
 * venue's market follows the session's bars, once per bar whatever happens to the loop) and answers.
 *
 * The child is killed with SIGKILL at kill points drawn from a seeded generator, each a bar and a
 * request of that bar's venue I/O: request 0 is the child's ask for the bar (the previous bar is
 * committed, this one not begun), request j ≥ 1 the j-th HTTP request the child sends the venue
 * during the bar, killed on its arrival — the venue still handles it, so a kill on an order's POST
 * leaves the order placed on the venue (and a market order filled) with the child never told: the
 * venue accepted it and the bar was not committed. One kill point is always such a POST. After each
 * kill the session is resumed (`PaperLoop.open` + `reattachVenue`, what `paper resume-from` runs).
 *
 * Compared with an uninterrupted child on a fresh copy of the fixture (picture(), venue-script.ts):
 * the same orders on the venue under the same client ids, none twice; the same venue trades; the
 * same fills (quantity, price, fee, each once), orders, closed trades and NAV per bar in the logs;
 * the book equal to the venue's account; per restart one resume line and one reconcile that finds
 * the venue agreeing; every order the venue took in a bar that was not committed sent again under
 * its client id, refused as a duplicate (in the errors log) and adopted.
 *
 * The market is the engine tests' synthetic one (seed 7) cut to the traded symbol and half a year,
 * so a child starts quickly; the venue's request pacing is off in the child.
 * EDGELAB_PAPER_KILLS sets the number of kills per venue (3 here, one of them on an order's POST and,
 * from two kills, one in a bar where a stop filled, after the sync inside that bar booked the fill).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaperSpec } from '../../src/paper/spec.js';
import { startBinanceTradingFixture } from '../fixtures/servers/binance-trading.js';
import { startAlpacaTradingFixture } from '../fixtures/servers/alpaca-trading.js';
import type { SimVenue } from '../fixtures/servers/venue-sim.js';
import type { TradingRequest, TradingServer } from '../fixtures/servers/trading-server.js';
import { FAKE_ENV } from '../execution/venues/harness.js';
import { createRng } from '../../src/core/rng.js';
import { generateSyntheticMarket, toDatasets } from '../../src/data/synthetic/index.js';
import type { SyntheticOptions } from '../../src/data/synthetic/types.js';
import { baseConfig, root, specOf, tempRoot } from './helpers.js';
import { VenueScript, barPrices, expectSameAsUninterrupted } from './venue-script.js';

const KILLS = Math.max(1, Number(process.env['EDGELAB_PAPER_KILLS'] ?? 3));

// inside the repository, so the bundle's packages (ccxt, the Alpaca SDK) resolve from node_modules
const dir = join(root, 'node_modules', '.cache', `edgelab-venue-crash-${process.pid}`);
const childFile = join(dir, 'venue-crash-child.mjs');
const servers: TradingServer[] = [];

beforeAll(async () => {
  mkdirSync(dir, { recursive: true });
  await build({
    entryPoints: [join(root, 'test', 'paper', 'venue-crash-child.ts')],
    bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: childFile, logLevel: 'error', packages: 'external',
  });
}, 60_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

interface Venue {
  readonly server: TradingServer;
  readonly sim: SimVenue;
  /** "METHOD path" of an order's placement. */
  readonly orderRoute: string;
}

/** Where to kill: at bar `bar`, on the arrival of the `request`-th venue request of the bar (0: at the child's ask for the bar). */
interface KillPoint {
  readonly bar: number;
  readonly request: number;
}

/** The session every child of one comparison runs: its spec (stored without the config) and its market. */
interface Session {
  readonly spec: PaperSpec;
  readonly specFile: string;
  readonly market: SyntheticOptions & { readonly seed: number };
}

interface Ran {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly status: string | undefined;
  readonly out: string;
  /** Venue requests per bar, in order (bar → "METHOD path" list). */
  readonly requests: Map<number, string[]>;
  /** Where it was killed: the point asked for, or — if that bar ended before its request came — the ask for the next bar. */
  readonly killed: KillPoint | undefined;
  /** The venue's order count when the kill was sent (the request killed on is handled after it). */
  readonly ordersAtKill: number;
  /** The venue's order count when the bar it was killed in began. */
  readonly ordersAtBar: number;
}

/**
 * One child process: start or resume the session, serve its bar asks from the script, and with
 * `kill` SIGKILL it at that point (the fixture still handles the request it was killed on).
 */
function runChild(venue: Venue, script: VenueScript, dataRoot: string, session: Session, mode: 'start' | 'resume', kill?: KillPoint): Promise<Ran> {
  const requests = new Map<number, string[]>();
  let bar = -1;
  let killed: KillPoint | undefined;
  let ordersAtKill = -1;
  let ordersAtBar = -1;
  let status: string | undefined;
  let child!: ChildProcess;
  const killNow = (at: KillPoint): void => {
    if (killed) return;
    killed = at;
    ordersAtKill = venue.sim.orders.length;
    child.kill('SIGKILL');
  };
  // every request the fixture receives passes here first (TradingServer records it before handling it)
  const log = venue.server.requests;
  log.push = (...items: TradingRequest[]): number => {
    for (const r of items) {
      if (bar < 0 || killed) continue;
      const list = requests.get(bar)!;
      list.push(`${r.method} ${r.path}`);
      if (kill && kill.bar === bar && kill.request === list.length) killNow(kill);
    }
    return Array.prototype.push.apply(log, items);
  };
  return new Promise((done) => {
    child = fork(childFile, [root, dataRoot, venue.server.baseUrl, mode, session.specFile, JSON.stringify(session.market)], { execArgv: [], env: { ...process.env, ...FAKE_ENV }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.on('message', (m: { bar?: number; done?: string }) => {
      if (m.done !== undefined) {
        status = m.done;
        return;
      }
      if (killed || m.bar === undefined) return;
      bar = m.bar;
      requests.set(bar, []);
      ordersAtBar = venue.sim.orders.length;
      script.run(bar); // once per bar: a resumed child asking for the same bar again meets the same venue
      if (kill && kill.bar === bar && kill.request === 0) killNow(kill);
      else if (kill && bar > kill.bar) killNow({ bar, request: 0 });
      else child.send('go');
    });
    child.on('exit', (code, signal) => {
      delete (log as { push?: unknown }).push; // back to Array.prototype.push
      done({ code, signal, status, out, requests, killed, ordersAtKill, ordersAtBar });
    });
  });
}

/** Park–Miller minimal standard generator: the kill points, reproducible from the seed. */
function draws(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

/**
 * Kill points from the uninterrupted run's requests per bar: one on an order's POST (drawn among
 * them); with two kills or more, one in the first bar where the venue filled a resting stop, on its
 * last request — the sync after the close: the sync inside the bar has booked the stop's fill and the
 * close has been stepped, the bar is not committed; the others at a drawn bar and a drawn request of it (0 … its count), at distinct bars.
 */
function killPoints(ref: Map<number, string[]>, orderRoute: string, kills: number, seed: number, stopFillBar: number): KillPoint[] {
  const next = draws(seed);
  const bars = [...ref.keys()].filter((k) => ref.get(k)!.length > 0).sort((a, b) => a - b);
  const posts: KillPoint[] = [];
  for (const k of bars) ref.get(k)!.forEach((r, i) => r === orderRoute && posts.push({ bar: k, request: i + 1 }));
  expect(posts.length, 'orders placed in the uninterrupted run').toBeGreaterThan(2);
  const points = [posts[Math.floor(next() * posts.length)]!];
  expect(ref.get(stopFillBar)?.length ?? 0, 'requests in the bar a stop filled in').toBeGreaterThanOrEqual(3);
  if (kills >= 2 && points[0]!.bar !== stopFillBar) points.push({ bar: stopFillBar, request: ref.get(stopFillBar)!.length });
  while (points.length < kills) {
    const bar = bars[Math.floor(next() * bars.length)]!;
    if (points.some((p) => p.bar === bar)) continue;
    points.push({ bar, request: Math.floor(next() * (ref.get(bar)!.length + 1)) });
  }
  return points.sort((a, b) => a.bar - b.bar);
}


async function compare(spec: PaperSpec, market: Session['market'], symbol: string, fresh: () => Promise<Venue>, seed: number) {
  const { config: _config, ...stored } = spec;
  const session: Session = { spec, specFile: join(tempRoot(), 'spec.json'), market };
  writeFileSync(session.specFile, JSON.stringify(stored));
  const data = new Map(toDatasets(generateSyntheticMarket(market, (s) => createRng(market.seed, s))).map((d) => [d.name, d] as const));
  const prices = barPrices(spec, data, symbol);

  const refVenue = await fresh();
  const refRoot = tempRoot();
  const refScript = new VenueScript(refVenue.sim, symbol, prices);
  const ref = await runChild(refVenue, refScript, refRoot, session, 'start');
  expect(ref.code, ref.out).toBe(0);
  expect(ref.status).toBe('finished');

  expect(refScript.restingFills.length, 'bars in which the venue filled a resting stop').toBeGreaterThan(0);
  const stopFillBar = refScript.restingFills[0]!;
  const points = killPoints(ref.requests, refVenue.orderRoute, KILLS, seed, stopFillBar);
  const venue = await fresh();
  const script = new VenueScript(venue.sim, symbol, prices);
  const crashRoot = tempRoot();
  const kills: { at: KillPoint; route: string; placedAfterKill: boolean; uncommitted: number }[] = [];
  let mode: 'start' | 'resume' = 'start';
  for (const point of points) {
    const ran = await runChild(venue, script, crashRoot, session, mode, point);
    expect(ran.signal, `kill at bar ${point.bar}, request ${point.request}: ${ran.out}`).toBe('SIGKILL');
    const at = ran.killed!;
    kills.push({
      at, route: at.request === 0 ? 'ask' : ran.requests.get(at.bar)![at.request - 1]!,
      placedAfterKill: venue.sim.orders.length > ran.ordersAtKill,
      uncommitted: venue.sim.orders.length - ran.ordersAtBar,
    });
    mode = 'resume';
  }
  const last = await runChild(venue, script, crashRoot, session, 'resume');
  expect(last.code, last.out).toBe(0);
  expect(last.status).toBe('finished');
  // with two kills or more, one landed in the bar a stop filled in, after the sync inside it booked the fill
  if (KILLS >= 2 && points[0]!.bar !== stopFillBar) expect(kills.map((k) => k.at)).toContainEqual({ bar: stopFillBar, request: ref.requests.get(stopFillBar)!.length });
  // a kill landed on an order's POST: the venue placed the order after the child was gone
  const onPost = kills.filter((k) => k.route === venue.orderRoute);
  expect(onPost.length).toBeGreaterThan(0);
  for (const k of onPost) expect(k.placedAfterKill, `order placed on the venue after the kill at bar ${k.at.bar}`).toBe(true);

  // same as uninterrupted, nothing doubled, book = venue account (venue-script.ts)
  const errors = expectSameAsUninterrupted(refRoot, refVenue.sim, crashRoot, venue.sim, spec.id, symbol);
  // each restart resumed after the bar before the one it was killed in, said so, and found the venue agreeing
  const resumed = errors.filter((e) => e.kind === 'resume').map((e) => Number(/after bar (\d+)/.exec(e.message)![1]));
  expect(resumed).toEqual(kills.map((k) => k.at.bar - 1));
  const checks = errors.filter((e) => e.kind === 'broker reconcile' && /after resume/.test(e.message));
  expect(checks).toHaveLength(kills.length);
  for (const c of checks) expect(c.message).toMatch(/positions and cash agree with the venue/);
  // every order the venue took in a bar that was not committed (the one placed after the kill
  // included) was sent again under its client id by the resumed bar, refused as a duplicate
  // (visible in the errors log) and adopted: its fills are in the compared picture, once
  const uncommitted = kills.reduce((n, k) => n + k.uncommitted, 0);
  expect(uncommitted).toBeGreaterThanOrEqual(onPost.length);
  expect(errors.filter((e) => /duplicate/i.test(e.message))).toHaveLength(uncommitted);
}

const VC = { allow_short: false, position_weight: 0.3, max_hold_bars: 60, stop_atr: 0.5, target_atr: 10 };

describe(`a venue paper session SIGKILLed ${KILLS} times (once right after the venue accepted an order) and resumed ends as an uninterrupted one`, () => {
  it('binance spot (ccxt)', async () => {
    const spec = specOf('vc-binance', { model: 'vol_compression_v1', params: { ...VC, symbol: 'BTCUSDT' }, broker: 'binance', from: '2021-03-15T00:00:00.000Z', to: '2021-04-25T00:00:00.000Z', config: baseConfig });
    await compare(spec, { seed: 7, start: '2021-01-01', years: 0.5, equityStart: '2021-01-01', symbols: ['BTCUSDT'] }, 'BTCUSDT', async () => {
      const fx = await startBinanceTradingFixture({ prices: { BTCUSDT: 40_000 }, cash: 100_000 });
      servers.push(fx.server);
      return { server: fx.server, sim: fx.spot, orderRoute: 'POST /api/v3/order' };
    }, 20261206);
  }, 300_000);

  it('alpaca (its SDK)', async () => {
    const spec = specOf('vc-alpaca', { model: 'vol_compression_v1', params: { ...VC, symbol: 'SPY' }, broker: 'alpaca', from: '2021-02-01T00:00:00.000Z', to: '2021-07-01T00:00:00.000Z', config: baseConfig });
    await compare(spec, { seed: 7, start: '2021-01-01', years: 0.5, equityStart: '2021-01-01', symbols: ['SPY'] }, 'SPY', async () => {
      const fx = await startAlpacaTradingFixture({ prices: { SPY: 400 }, cash: 100_000, isOpen: true, nextClose: '2100-01-01T00:00:00Z' });
      servers.push(fx.server);
      return { server: fx.server, sim: fx.venue, orderRoute: 'POST /v2/orders' };
    }, 20261207);
  }, 300_000);
});
