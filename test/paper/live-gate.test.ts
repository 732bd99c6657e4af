/**
 * The gates in front of a live feed (`paper start --live`, docs/paper.md "Safety"):
 *   - a model trades on a live feed only once promoted to the paper stage (src/lifecycle), or with
 *     --unpromoted; otherwise one clear refusal naming the stage and both ways out;
 *   - a promoted model passes the gate and its session starts on the feed (a 127.0.0.1 fixture in
 *     Binance's shape, its "now" the wall clock; the run is cancelled after its first commit);
 *   - --real (a venue's real account, not its testnet / sandbox) needs a yes to io.confirm; a run
 *     without a person at the keyboard (no confirm) refuses unless --yes-live is given; a no refuses.
 * The command is called as the dispatcher calls it, with an io of our own.
 */
import { afterAll, describe, expect, it } from 'vitest';
import start from '../../commands/paper/start.js';
import { createShell } from '../../src/shell/runtime.js';
import { recordDecision } from '../../src/lifecycle/stages.js';
import { resultsDbPath } from '../../src/store/path.js';
import { tableDigest, type BarFrame, type Dataset } from '../../src/core/table.js';
import type { CommandIO } from '../../src/shell/command.js';
import type { Session } from '../../src/shell/session.js';
import { LIVE_STEP, liveBar, startLiveBarsFixture, type LiveBarsFixture } from '../fixtures/servers/live-bars.js';
import { tempRoot } from './helpers.js';

let fixture: LiveBarsFixture | undefined;
afterAll(async () => {
  await fixture?.server.close();
});

function ioOf(o: { confirm?: (q: string) => Promise<boolean>; abortOnProgress?: boolean } = {}): CommandIO & { asked: string[] } {
  const controller = new AbortController();
  const asked: string[] = [];
  return {
    signal: controller.signal,
    asked,
    progress: () => {
      if (o.abortOnProgress) controller.abort();
    },
    log: () => undefined,
    execute: () => Promise.reject(new Error('not here')),
    ...(o.confirm ? { confirm: (q: string) => (asked.push(q), o.confirm!(q)) } : {}),
  };
}

async function sessionWithBars(): Promise<Session> {
  const { session } = await createShell({ dataRoot: tempRoot() });
  // 200 one-minute bars of the fixture's formula ending at the last whole minute before now
  const end = Math.floor(Date.now() / LIVE_STEP) * LIVE_STEP - 5 * LIVE_STEP;
  const bars = Array.from({ length: 200 }, (_, i) => liveBar('BTCUSDT', end - (200 - i) * LIVE_STEP));
  const col = (k: 'ts' | 'open' | 'high' | 'low' | 'close' | 'volume'): Float64Array => Float64Array.from(bars, (b) => b[k]);
  const table = { length: bars.length, columns: { ts: col('ts'), open: col('open'), high: col('high'), low: col('low'), close: col('close'), volume: col('volume') } } as unknown as BarFrame;
  const ds: Dataset = { name: 'BTCUSDT:1m', kind: 'bars', stage: 'clean', symbol: 'BTCUSDT', interval: '1m', assetClass: 'crypto_spot', source: 'test', table, digest: tableDigest(table) };
  session.datasets.set(ds.name, ds);
  session.config = { ...session.config, network: { ...session.config.network, binance: { ...session.config.network.binance, rate_limit_ms: 0 } } };
  return session;
}

const args = (over: Record<string, unknown>) => start.schema.parse({ model: 'sma_cross', symbol: 'BTCUSDT', interval: '1m', params: 'fast=5,slow=20', live: true, ...over });

describe('paper start --live: promotion gate and live confirmation', () => {
  it('refuses a model not promoted to paper, naming its stage, `promote` and --unpromoted', async () => {
    const session = await sessionWithBars();
    await expect(start.run(session, args({}), ioOf())).rejects.toThrow(/sma_cross is at the research stage: a live feed trades only a model promoted to paper \(`promote sma_cross --to paper`\), or add --unpromoted/);
  });

  it('a model promoted to paper starts on the live feed', async () => {
    const session = await sessionWithBars();
    await recordDecision(resultsDbPath(session), {
      model: 'sma_cross', version: '1.0.0', action: 'promote', fromStage: 'candidate', toStage: 'paper', decision: 'pass', reason: 'test', gates: [], evidence: {},
      configDigest: 'test', seed: 7, sessionId: 'test', decidedAt: '2026-01-01T00:00:00Z',
    });
    fixture = await startLiveBarsFixture({ now: () => Date.now(), symbols: ['BTCUSDT'], listedFrom: 0 });
    const result = await start.run(session, args({ feedUrl: fixture.server.baseUrl, id: 'gate-ok' }), ioOf({ abortOnProgress: true }));
    expect(result.status).toBe('ok');
    expect(JSON.stringify(result.blocks)).toMatch(/stopped/);
    expect(fixture.server.requestsTo('/api/v3/klines').length).toBeGreaterThan(0);
  }, 60_000);

  it('--real: refused headless without --yes-live, refused when not confirmed, asks naming the real account', async () => {
    const session = await sessionWithBars();
    await expect(start.run(session, args({ unpromoted: true, real: true }), ioOf())).rejects.toThrow(/--real sends orders to a venue's real account/);
    await expect(start.run(session, args({ unpromoted: true, real: true, broker: 'binance' }), ioOf())).rejects.toThrow(/needs confirmation: headless runs must pass --yes-live/);
    const io = ioOf({ confirm: () => Promise.resolve(false) });
    await expect(start.run(session, args({ unpromoted: true, real: true, broker: 'binance' }), io)).rejects.toThrow(/was not confirmed/);
    expect(io.asked).toEqual(["Trade sma_cross on binance's REAL account (real orders, real capital)?"]);
    await expect(start.run(session, args({ real: true, live: false }), ioOf())).rejects.toThrow(/--real applies to a live feed/);
  });
});
