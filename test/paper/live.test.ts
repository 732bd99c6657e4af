/**
 * The live feed (paper/live-feed.ts, live-source.ts, live-start.ts) against a local feed on
 * 127.0.0.1 in Binance's and Alpaca's shapes (test/fixtures/servers/live-bars.ts), driven by a
 * virtual wall clock — the fixture's "now" is the test's clock, so a minute of bars costs no time.
 *
 *   - parity: a live session gives exactly the backtest's trades, fills and NAV over the same bars
 *     (the result digest too), the bars computed here independently from the fixture's formula
 *     (history + every closed bar) — the loop's Trader grew in place, one appended bar at a time;
 *   - point-in-time: every bar is stepped only once the clock has passed its close; perturbing the
 *     bar still forming (the future) changes nothing — trades and stored bars are identical;
 *   - gaps and duplicates: a bar left out once is fetched again, one missing for good is reported
 *     and skipped, repeated bars are dropped — each visible in the errors log;
 *   - feed errors: 5xx beyond the client's retries back off (1 s, 2 s, …), show in the errors log,
 *     the head's error count and the dashboard's last errors, and nothing is lost after recovery;
 *   - resume: a live session stopped after N bars and resumed (from its files) ends where an
 *     uninterrupted one does;
 *   - on a venue broker: the Trader grown in place trades on the Binance trading fixture, each of
 *     the backtest's orders reaching the venue once, the venue's account the book.
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { isoUtc } from '../../src/core/time.js';
import { tableDigest, type BarFrame, type Dataset } from '../../src/core/table.js';
import { runBacktestReport } from '../../src/backtest/run-backtest.js';
import { resultDigest } from '../../src/backtest/engine-digest.js';
import { paperPaths } from '../../src/paper/files.js';
import { planOf, type PaperSpec } from '../../src/paper/spec.js';
import { openLiveSession, startLiveSession } from '../../src/paper/live-start.js';
import type { PaperHead } from '../../src/paper/head.js';
import type { BacktestResult } from '../../src/backtest/types.js';
import { dashBlocks } from '../../src/tui/paper/dash-open.js';
import { LIVE_STEP, liveBar, startLiveBarsFixture, type LiveBar, type LiveBarsFixture } from '../fixtures/servers/live-bars.js';
import { baseConfig, specOf, tempRoot, virtualScheduler } from './helpers.js';
import { openVenueMirror } from '../../src/paper/venue-mirror.js';
import { venueClientOrderId } from '../../src/execution/venues/index.js';
import { startBinanceTradingFixture } from '../fixtures/servers/binance-trading.js';
import { FAKE_ENV } from '../execution/venues/harness.js';

const T0 = Date.UTC(2024, 0, 1);
const HISTORY = 300;
const T1 = T0 + HISTORY * LIVE_STEP; // first bar the feed serves
const LIVE_BARS = 240;
const END = T1 + LIVE_BARS * LIVE_STEP; // the session ends once every bar closing by END is in

const lines = <T,>(path: string): T[] => (existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as T) : []);

function barsDataset(symbol: string, bars: readonly LiveBar[]): Dataset {
  const col = (k: keyof LiveBar): Float64Array => Float64Array.from(bars, (b) => b[k]);
  const table = { length: bars.length, columns: { ts: col('ts'), open: col('open'), high: col('high'), low: col('low'), close: col('close'), volume: col('volume') } } as unknown as BarFrame;
  return { name: `${symbol}:1m`, kind: 'bars', stage: 'clean', symbol, interval: '1m', assetClass: symbol === 'SPY' ? 'equity' : 'crypto_spot', source: 'test', table, digest: tableDigest(table) };
}

/** The fixture's closed bars with open times in [from, to), computed here from its formula. */
const barsBetween = (symbol: string, from: number, to: number): LiveBar[] => {
  const out: LiveBar[] = [];
  for (let t = from; t < to; t += LIVE_STEP) out.push(liveBar(symbol, t));
  return out;
};

const config = { ...baseConfig, network: { ...baseConfig.network, binance: { ...baseConfig.network.binance, rate_limit_ms: 0 }, alpaca: { ...baseConfig.network.alpaca, rate_limit_ms: 0 } } };
const liveSpec = (id: string, symbol = 'BTCUSDT'): PaperSpec =>
  specOf(id, { model: 'sma_cross', params: { symbol, fast: 5, slow: 20 }, interval: '1m', config });

let fixture: LiveBarsFixture | undefined;
afterEach(async () => {
  await fixture?.server.close();
  fixture = undefined;
});

interface LiveRun {
  readonly root: string;
  readonly heads: PaperHead[];
  readonly result: BacktestResult | null;
  readonly head: PaperHead;
  readonly spec: PaperSpec;
}

async function runLive(id: string, o: { symbol?: string; feed?: string; arrange?: (fx: LiveBarsFixture) => void; bars?: number; root?: string } = {}): Promise<LiveRun> {
  const symbol = o.symbol ?? 'BTCUSDT';
  const clock = virtualScheduler(T1 + 30_000); // half-way through the first bar the feed has
  fixture = await startLiveBarsFixture({ now: clock.now, symbols: [symbol], listedFrom: T0 });
  o.arrange?.(fixture);
  const root = o.root ?? tempRoot();
  const datasets = new Map([[`${symbol}:1m`, barsDataset(symbol, barsBetween(symbol, T0, T1))]]);
  const env = { APCA_API_KEY_ID: 'fake-id', APCA_API_SECRET_KEY: 'fake-secret' };
  const { loop, live } = await startLiveSession(liveSpec(id, symbol), o.feed ?? 'binance', fixture.server.baseUrl, { dataRoot: root, datasets, time: clock, env, feedOptions: { endAt: END } });
  const heads: PaperHead[] = [];
  const out = await loop.run({ scheduler: clock, pollMs: 5_000, live, ...(o.bars ? { bars: o.bars } : {}), onCommit: (h) => heads.push({ ...h, wallAt: clock.now() }) });
  return { root, heads, result: out.result, head: out.head, spec: loop.spec };
}

async function backtestOf(spec: PaperSpec, symbol = 'BTCUSDT', skip: ReadonlySet<number> = new Set()): Promise<BacktestResult> {
  const bars = barsBetween(symbol, T0, END).filter((b) => !skip.has(b.ts));
  const report = await runBacktestReport(planOf(spec), new Map([[`${symbol}:1m`, barsDataset(symbol, bars)]]), { probes: false });
  return report.result;
}

describe('paper loop on a live feed', () => {
  it('trades exactly as the backtest over the same closed bars; never a bar before its close; the forming bar changes nothing', async () => {
    const run = await runLive('live-a');
    expect(run.head.status).toBe('finished');
    expect(run.spec.from).toBe(isoUtc(T1)); // the first decision: the latest bar closed at the start
    const backtest = await backtestOf(run.spec);
    expect(run.result!.trades.length).toBeGreaterThan(2);
    expect(run.result!.trades).toEqual(backtest.trades);
    expect(run.result!.fills).toEqual(backtest.fills);
    expect(Array.from(run.result!.nav)).toEqual(Array.from(backtest.nav));
    expect(run.result!.nav.length).toBe(LIVE_BARS + 1);
    // byte for byte: the Trader grown in place bar by bar (engine/grow.ts) is the backtest over all the bars
    expect(resultDigest(run.result!)).toBe(resultDigest(backtest));
    expect(run.result!.orders).toEqual(backtest.orders);
    // point-in-time: each committed bar's close had passed on the wall clock when it was stepped
    for (const h of run.heads) if (h.t !== null) expect(h.t).toBeLessThanOrEqual(h.wallAt);
    const stored = lines<LiveBar & { symbol: string }>(`${paperPaths(run.root, 'live-a').dir}/feed.jsonl`);
    expect(stored.map(({ symbol: _s, ...b }) => b)).toEqual(barsBetween('BTCUSDT', T1, END));
    // perturb the future: the bar still forming is served 50 % off; nothing the loop did changes
    const perturbed = await runLive('live-b', { arrange: (fx) => (fx.formingFactor = 1.5) });
    expect(perturbed.result!.trades).toEqual(run.result!.trades);
    expect(readFileSync(`${paperPaths(perturbed.root, 'live-b').dir}/feed.jsonl`, 'utf8')).toBe(readFileSync(`${paperPaths(run.root, 'live-a').dir}/feed.jsonl`, 'utf8'));
  }, 120_000);

  it('gaps are fetched again or reported and skipped, duplicates dropped — each in the errors log', async () => {
    const once = T1 + 10 * LIVE_STEP;
    const lost = T1 + 20 * LIVE_STEP;
    const dup = T1 + 30 * LIVE_STEP;
    const run = await runLive('gaps', {
      arrange: (fx) => {
        fx.dropOnce.add(once);
        fx.dropAlways.add(lost);
        fx.duplicate.add(dup);
      },
    });
    expect(run.head.status).toBe('finished');
    const stored = lines<LiveBar>(`${paperPaths(run.root, 'gaps').dir}/feed.jsonl`).map((b) => b.ts);
    expect(new Set(stored).size).toBe(stored.length);
    expect(stored).toContain(once);
    expect(stored).not.toContain(lost);
    expect(stored).toEqual(barsBetween('BTCUSDT', T1, END).map((b) => b.ts).filter((t) => t !== lost));
    const errors = lines<{ kind: string; message: string }>(paperPaths(run.root, 'gaps').logs.errors);
    expect(errors.some((e) => e.kind === 'feed_gap' && /missing at the venue/.test(e.message) && e.message.includes(isoUtc(lost)))).toBe(true);
    expect(errors.some((e) => e.kind === 'feed_duplicate')).toBe(true);
    // the book is the backtest's over the bars that exist
    expect(run.result!.trades).toEqual((await backtestOf(run.spec, 'BTCUSDT', new Set([lost]))).trades);
  }, 120_000);

  it('feed errors back off, show in the errors log, the head and the dashboard; nothing is lost', async () => {
    // 6 attempts per request (network.retry.max_attempts) × 3 polls: the first three polls fail
    const run = await runLive('faults', { arrange: (fx) => fx.server.inject('/api/v3/klines', { kind: 'server-error', status: 503 }, 18), bars: 5 });
    expect(run.head.status).toBe('stopped');
    const errors = lines<{ kind: string; message: string }>(paperPaths(run.root, 'faults').logs.errors).filter((e) => e.kind === 'feed');
    expect(errors.length).toBe(3);
    expect(errors.map((e) => /next try in (\d+) s/.exec(e.message)?.[1])).toEqual(['1', '2', '4']);
    expect(run.head.errors).toBeGreaterThanOrEqual(3);
    const frame = JSON.stringify(dashBlocks(run.root, 'faults'));
    expect(frame).toMatch(/errors 3 .*! feed: feed binance: network: binance BTCUSDT/);
    expect(frame).toMatch(/stopped · bar 2024-01-01 \d\d:\d\d · .* · live binance/); // the header names the feed
    // after the outage the feed catches up: the bars that closed meanwhile are all there, in order
    const stored = lines<LiveBar>(`${paperPaths(run.root, 'faults').dir}/feed.jsonl`).map((b) => b.ts);
    expect(stored).toEqual(barsBetween('BTCUSDT', T1, T1 + stored.length * LIVE_STEP).map((b) => b.ts));
  }, 120_000);

  it('a live session stopped after 40 bars and resumed from its files ends where an uninterrupted one does', async () => {
    const first = await runLive('resume', { bars: 40 });
    expect(first.head.status).toBe('stopped');
    const clock = virtualScheduler(T1 + 40 * LIVE_STEP + 45_000);
    fixture = await startLiveBarsFixture({ now: clock.now, symbols: ['BTCUSDT'], listedFrom: T0 });
    const datasets = new Map([['BTCUSDT:1m', barsDataset('BTCUSDT', barsBetween('BTCUSDT', T0, T1))]]);
    const spec = JSON.parse(readFileSync(paperPaths(first.root, 'resume').spec, 'utf8')) as PaperSpec;
    const again = openLiveSession({ ...spec, live: { ...spec.live!, feedUrl: fixture.server.baseUrl } }, { dataRoot: first.root, datasets, time: clock, env: {}, feedOptions: { endAt: END } });
    const out = await again.loop.run({ scheduler: clock, pollMs: 5_000, live: again.live });
    expect(out.head.status).toBe('finished');
    const backtest = await backtestOf(spec);
    expect(out.result!.trades).toEqual(backtest.trades);
    expect(Array.from(out.result!.nav)).toEqual(Array.from(backtest.nav));
  }, 120_000);

  it('a live session on a venue broker: the Trader grown in place trades on the venue, each backtest order once', async () => {
    Object.assign(process.env, FAKE_ENV);
    const clock = virtualScheduler(T1 + 30_000);
    fixture = await startLiveBarsFixture({ now: clock.now, symbols: ['BTCUSDT'], listedFrom: T0 });
    const venue = await startBinanceTradingFixture({ prices: { BTCUSDT: 40_000 }, cash: 1_000_000 });
    try {
      const root = tempRoot();
      const spec = { ...liveSpec('live-venue'), params: { symbol: 'BTCUSDT', fast: 5, slow: 20, size: 'units:0.01' }, broker: 'binance' };
      const datasets = new Map([['BTCUSDT:1m', barsDataset('BTCUSDT', barsBetween('BTCUSDT', T0, T1))]]);
      const { loop, live } = await startLiveSession(spec, 'binance', fixture.server.baseUrl, { dataRoot: root, datasets, time: clock, env: {}, feedOptions: { endAt: END } });
      loop.attachVenue(await openVenueMirror(loop.spec, loop, { baseUrl: venue.server.baseUrl }));
      const out = await loop.run({ scheduler: clock, pollMs: 5_000, live });
      expect(out.head.status).toBe('finished');
      const backtest = await backtestOf(loop.spec);
      expect(backtest.orders.length).toBeGreaterThan(2);
      expect(out.result!.orders.map((o) => [o.placedAt, o.qty])).toEqual(backtest.orders.map((o) => [o.placedAt, o.qty]));
      expect(venue.spot.orders.map((o) => o.clientOrderId)).toEqual(out.result!.orders.map((o) => venueClientOrderId('live-venue', `live-venue-${o.id}`)));
      expect(out.head.cash).toBeCloseTo(venue.spot.cash, 6);
      expect(out.result!.fills.length).toBe(venue.spot.trades.length);
    } finally {
      await venue.server.close();
    }
  }, 120_000);

  it('Alpaca bars (SPY): the same closed bars stored and traded', async () => {
    const run = await runLive('alpaca', { symbol: 'SPY', feed: 'alpaca' });
    expect(run.head.status).toBe('finished');
    const stored = lines<LiveBar & { symbol: string }>(`${paperPaths(run.root, 'alpaca').dir}/feed.jsonl`);
    expect(stored.map(({ symbol: _s, ...b }) => b)).toEqual(barsBetween('SPY', T1, END));
    expect(run.result!.trades).toEqual((await backtestOf(run.spec, 'SPY')).trades);
  }, 120_000);
});
