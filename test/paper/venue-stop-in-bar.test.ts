/**
 * A stop the venue fills inside a bar (docs/paper.md "Brokers", the sync inside a bar): the venue's
 * market follows the session's bars (venue-script.ts: before each bar is traded the price goes to
 * the bar's low, where a resting stop the bar reached fills, then to its close), so a model stop
 * fills on the venue during a bar, before the loop steps that bar's close. The loop books it before
 * the close's decision, as the backtest books a stop in the bar it fills. Checked against the
 * backtest of the same spec and bars (runBacktestReport, the SimulatedBroker), on Binance spot and on
 * USDⓈ-M futures (a venue that can go short):
 *
 *   - the venue session's orders are the backtest's decisions: the same closes, sides, types and
 *     reasons, and the same stop levels (quantities follow the NAV, which the venue's fill prices
 *     and fee move, so only their sides are compared);
 *   - every model stop ends as in the backtest: filled at the same time (the open of the bar it
 *     filled in, the backtest's booking time) or cancelled at the same close; stops did fill inside
 *     bars (the script saw resting fills), each booked once;
 *   - no order is refused (no exit for quantity the stop already sold) and the venue's position is
 *     never short (the backtest's model does not short: allow_short false).
 */
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { runBacktestReport } from '../../src/backtest/run-backtest.js';
import { PaperLoop } from '../../src/paper/loop.js';
import { paperPaths } from '../../src/paper/files.js';
import { planOf, type PaperSpec } from '../../src/paper/spec.js';
import { openVenueMirror } from '../../src/paper/venue-mirror.js';
import type { OrderRecord } from '../../src/execution/types.js';
import { startBinanceTradingFixture } from '../fixtures/servers/binance-trading.js';
import type { SimVenue } from '../fixtures/servers/venue-sim.js';
import type { TradingServer } from '../fixtures/servers/trading-server.js';
import { FAKE_ENV } from '../execution/venues/harness.js';
import { baseConfig, specOf, syntheticData, tempRoot } from './helpers.js';
import { VenueScript, barPrices, lines, scriptedScheduler } from './venue-script.js';

const servers: TradingServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

const VC = { allow_short: false, position_weight: 0.3, max_hold_bars: 60, stop_atr: 0.5, target_atr: 10 };
const SYMBOL = 'BTCUSDT';

/** What the backtest decided: per order its close, side, type, reason and (for a stop) its level; per stop how it ended. */
const decisions = (orders: readonly OrderRecord[]) => orders.map((o) => [o.placedAt, o.type === 'stop' ? 0 : Math.sign(o.qty), o.type, o.reason, o.type === 'stop' ? o.price : null]);
const stopEnds = (orders: readonly OrderRecord[]) => orders.filter((o) => o.reason === 'stop').map((o) => [o.placedAt, o.status, o.closedAt]);

async function sessionAgainstBacktest(broker: 'binance' | 'binanceusdm', venueOf: (fx: Awaited<ReturnType<typeof startBinanceTradingFixture>>) => SimVenue) {
  Object.assign(process.env, FAKE_ENV);
  const fx = await startBinanceTradingFixture({ prices: { [SYMBOL]: 40_000 }, cash: 100_000 });
  servers.push(fx.server);
  const sim = venueOf(fx);
  const spec: PaperSpec = specOf(`in-bar-${broker}`, { model: 'vol_compression_v1', params: { ...VC, symbol: SYMBOL }, broker, from: '2021-03-15T00:00:00.000Z', to: '2021-05-15T00:00:00.000Z', config: baseConfig });
  const data = syntheticData();
  const script = new VenueScript(sim, SYMBOL, barPrices(spec, data, SYMBOL));
  const root = tempRoot();
  const loop = PaperLoop.create(spec, root, data);
  loop.attachVenue(await openVenueMirror(spec, loop, { baseUrl: fx.server.baseUrl }));
  const out = await loop.run({ scheduler: scriptedScheduler(() => loop.trader.progress.lastStep + 1, script), pollMs: 0 });
  expect(out.head.status).toBe('finished');
  const result = out.result!;
  const backtest = (await runBacktestReport(planOf(spec), data, { probes: false })).result;

  // stops did fill inside bars on the venue, and the backtest has them too
  expect(script.restingFills.length).toBeGreaterThanOrEqual(2);
  const filledStops = result.orders.filter((o) => o.reason === 'stop' && o.status === 'filled');
  expect(filledStops.length).toBe(script.restingFills.length);
  // the decisions are the backtest's, and each stop ends as it does there (filled at the same bar's open)
  expect(backtest.orders.length).toBeGreaterThan(6);
  expect(decisions(result.orders)).toEqual(decisions(backtest.orders));
  expect(stopEnds(result.orders)).toEqual(stopEnds(backtest.orders));
  // nothing refused (no exit for what a stop already sold), each venue trade booked once
  const errorsLog = paperPaths(root, spec.id).logs.errors;
  const errors = existsSync(errorsLog) ? lines<{ kind: string; message: string }>(errorsLog) : [];
  expect(errors.filter((e) => e.kind === 'broker rejected')).toEqual([]);
  expect(result.fills.length).toBe(sim.trades.length);
  // never short on the venue (on USDⓈ-M an exit of what the stop sold would have opened one)
  let held = 0;
  for (const t of sim.trades) {
    held += t.qty;
    expect(held).toBeGreaterThan(-1e-9);
  }
  expect(backtest.fills.every((f, i) => backtest.fills.slice(0, i + 1).reduce((q, g) => q + g.qty, 0) > -1e-9)).toBe(true);
  // the book is the venue's account
  expect(out.head.cash).toBeCloseTo(sim.cash, 6);
  expect(out.head.positions.find((p) => p.symbol === SYMBOL)?.qty ?? 0).toBeCloseTo(sim.position(SYMBOL), 9);
}

describe('a stop the venue fills inside a bar is booked before the close decides, as in the backtest', () => {
  it('binance spot (ccxt): the backtest\'s decisions and stop fills, no exit refused', async () => {
    await sessionAgainstBacktest('binance', (fx) => fx.spot);
  }, 300_000);

  it('binance USDⓈ-M (short-capable): the same, and no short opened', async () => {
    await sessionAgainstBacktest('binanceusdm', (fx) => fx.futures);
  }, 300_000);
});
