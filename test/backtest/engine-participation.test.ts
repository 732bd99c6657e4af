/**
 * Volume participation cap (execution.max_participation), hand-worked: an order fills at most
 * cap × bar volume per bar, rounded down to the lot; the rest keeps working on later bars.
 */
import { describe, expect, test } from 'vitest';
import { runBacktest } from '../../src/backtest/engine.js';
import { resultDigest } from '../../src/backtest/engine-digest.js';
import { chooseEngine, runBacktestAuto } from '../../src/backtest/fast-path-select.js';
import { runFastPath } from '../../src/backtest/fast-path.js';
import { orderRows } from '../../src/backtest/report-tables.js';
import { backtestSection } from '../../src/config/sections/backtest.js';
import { describeProfile } from '../../src/execution/profile.js';
import { cappedQty, participationLimit } from '../../src/execution/participation.js';
import { createSmaCross, smaCrossParams } from '../../src/models/index.js';
import type { ModelDecision } from '../../src/models/types.js';
import { bars, cfg, DAY, neutral, scripted, T0, withBudget, type Row } from './engine-helpers.js';
import { pathBars } from './fast-path-helpers.js';

const run = (rows: Row[], schedule: Record<number, ModelDecision>, overlay: Record<string, unknown> = {}, execution: Record<string, unknown> = {}) =>
  runBacktest({
    symbols: [bars('SPY', rows)],
    models: [withBudget(scripted('m', ['SPY'], schedule), 1)],
    config: cfg({ initial_capital: 100_000, ...overlay, execution: { rebalance_band: 0.5, max_participation: 0.25, ...execution } }),
    regimeAt: neutral,
  });

describe('participation limit', () => {
  test('cap × volume rounded down to the lot; zero or missing volume gives 0', () => {
    expect(participationLimit(2000, 0.25, 1)).toBe(500);
    expect(participationLimit(1001, 0.25, 1)).toBe(250); // 250.25 → 250
    expect(participationLimit(3, 0.1, 0.0001)).toBe(0.3);
    expect(participationLimit(0, 0.25, 1)).toBe(0);
    expect(participationLimit(NaN, 0.25, 1)).toBe(0);
    expect(cappedQty(1000, 500)).toBe(500);
    expect(cappedQty(-1000, 250)).toBe(-250);
    expect(cappedQty(-100, 250)).toBe(-100);
    expect(cappedQty(7, Infinity)).toBe(7);
  });
});

describe('a 1 000-share order against volumes 2 000 / 1 000 / 5 000 with cap 0.25', () => {
  // Capital 100 000; step 0 (close 50): weight 0.5 → 50 000 / 50 = 1 000 shares, market.
  // Bar 1 opens 50, volume 2 000 → ≤ 500: fills 500 at 50, fee 10 bps = 25.00
  // Bar 2 opens 51, volume 1 000 → ≤ 250: fills 250 at 51, fee 12.75
  // Bar 3 opens 52, volume 5 000 → ≤ 1 250: fills the last 250 at 52, fee 13.00
  const rows: Row[] = [
    [50, 50, 50, 50, 9999],
    [50, 50, 50, 50, 2000],
    [51, 51, 51, 51, 1000],
    [52, 52, 52, 52, 5000],
    [52, 52, 52, 52, 5000],
  ];
  const fees = { costs: { default: { maker_bps: 0, taker_bps: 10, slippage_bps: 0, impact_coef: 0 } } };
  const r = run(rows, { 0: { weights: { SPY: 0.5 } } }, fees);
  test('fills 500, 250, 250 over three bars at each bar\'s open, with the fee on each fill', () => {
    expect(r.fills.map((f) => [f.orderId, (f.ts - T0) / DAY, f.qty, f.price])).toEqual([
      [1, 1, 500, 50],
      [1, 2, 250, 51],
      [1, 3, 250, 52],
    ]);
    expect(r.fills.map((f) => f.fee)).toEqual([25, 12.75, 13]);
    expect(Array.from(r.cash)).toEqual([100_000, 74_975, 62_212.25, 49_199.25, 49_199.25]);
    expect(r.costs.fees).toBe(50.75);
  });
  test('the order log shows ordered and filled quantity: open while working, filled when done', () => {
    expect(r.orders).toHaveLength(1);
    expect(r.orders[0]).toMatchObject({ qty: 1000, filled: 1000, status: 'filled', closedAt: T0 + 3 * DAY });
    expect(orderRows(r.orders)[0]!.slice(4, 6)).toEqual([1000, 1000]);
    // the run ending after bar 2: 750 of 1 000 filled, still open
    const short = run(rows.slice(0, 3), { 0: { weights: { SPY: 0.5 } } }, fees);
    expect(short.orders[0]).toMatchObject({ qty: 1000, filled: 750, status: 'open', closedAt: null });
    expect(orderRows(short.orders)[0]!.slice(4, 6)).toEqual([1000, 750]);
  });
  test('impact is charged per fill, on the fill\'s own size', () => {
    // ADV over the previous 20 UTC days with bars; bar 1 has only bar 0 before it (9 999)
    const withImpact = run(rows, { 0: { weights: { SPY: 0.5 } } }, { costs: { default: { maker_bps: 0, taker_bps: 0, slippage_bps: 0, impact_coef: 0.1 } } });
    const f0 = withImpact.fills[0]!;
    expect(f0.qty).toBe(500);
    expect(f0.impact).toBeCloseTo(500 * 50 * 0.1 * Math.sqrt(500 / 9999), 9);
    const f1 = withImpact.fills[1]!;
    // bar 2: ADV = mean(9 999, 2 000)
    expect(f1.impact).toBeCloseTo(250 * 51 * 0.1 * Math.sqrt(250 / ((9999 + 2000) / 2)), 9);
  });
});

describe('working orders under the cap', () => {
  const flat50 = (volumes: number[]): Row[] => volumes.map((v) => [50, 50, 50, 50, v] as const);
  test('a new target cancels the working rest and replaces it', () => {
    // step 0: 1 000 shares; bar 1 (volume 2 000) fills 500. Step 1 (close 50, NAV 100 000): weight 0.2 →
    // 400 shares, so the new order sells 100; order 1 is cancelled with 500 of 1 000 filled. Bar 2 fills −100.
    const r = run(flat50([9999, 2000, 1000, 1000]), { 0: { weights: { SPY: 0.5 } }, 1: { weights: { SPY: 0.2 } } });
    expect(r.orders.map((o) => [o.id, o.qty, o.filled, o.status, o.closedAt])).toEqual([
      [1, 1000, 500, 'cancelled', T0 + 2 * DAY],
      [2, -100, -100, 'filled', T0 + 2 * DAY],
    ]);
    expect(r.fills.map((f) => [f.orderId, f.qty])).toEqual([[1, 500], [2, -100]]);
    expect(r.assets[0]!.finalQty).toBe(400);
  });
  test('a zero-volume bar fills nothing; the order fills on the next bars with volume', () => {
    const r = run(flat50([9999, 0, 1000, 1000, 1000]), { 0: { weights: { SPY: 0.5 } } });
    expect(r.fills.map((f) => [(f.ts - T0) / DAY, f.qty])).toEqual([[2, 250], [3, 250], [4, 250]]);
    expect(r.orders[0]).toMatchObject({ qty: 1000, filled: 750, status: 'open' });
  });
  test('same-close fills take at most cap × the decision bar\'s volume, the rest works from the next open', () => {
    const r = run(flat50([2000, 1000, 1000]), { 0: { weights: { SPY: 0.5 } } }, {}, { fill: 'same_close' });
    expect(r.fills.map((f) => [(f.ts - T0) / DAY, f.qty])).toEqual([[1, 500], [1, 250], [2, 250]]);
    expect(r.orders[0]).toMatchObject({ filled: 1000, status: 'filled' });
  });
  test('a stop fills at most the cap at its level; the engine then works the rest to target as a market order', () => {
    // 1 000 long filled at bar 1 (volume 8 000 → ≤ 2 000). Stop 45 from step 1. Bar 2 trades down to 44
    // (volume 1 200 → ≤ 300): the stop sells 300 at 45; the model's target is now 0, so a market order
    // sells the other 700 from bar 3 (volume 1 200 → 300, then 300, then 100).
    const rows: Row[] = [[50, 50, 50, 50, 9999], [50, 50, 50, 50, 8000], [46, 46, 44, 45, 1200], [45, 45, 45, 45, 1200], [45, 45, 45, 45, 1200], [45, 45, 45, 45, 1200]];
    const r = run(rows, { 0: { weights: { SPY: 0.5 } }, 1: { weights: { SPY: 0.5 }, stops: { SPY: { stop: 45 } } } });
    expect(r.fills.map((f) => [f.orderId, (f.ts - T0) / DAY, f.qty, f.price, f.type])).toEqual([
      [1, 1, 1000, 50, 'market'],
      [2, 2, -300, 45, 'stop'],
      [3, 3, -300, 45, 'market'],
      [3, 4, -300, 45, 'market'],
      [3, 5, -100, 45, 'market'],
    ]);
    expect(r.orders[1]).toMatchObject({ type: 'stop', filled: -300, status: 'filled' });
    expect(r.orders[2]).toMatchObject({ qty: -700, filled: -700, status: 'filled' });
    expect(r.assets[0]!.finalQty).toBe(0);
  });
  test('a limit fills at most the cap at its level; its rest expires with it at the end of the bar', () => {
    // step 0: buy 1 000 with limit 49; bar 1 opens 50, low 48 (touch), volume 800 → ≤ 200 at 49.
    const rows: Row[] = [[50, 50, 50, 50, 9999], [50, 50, 48, 50, 800], [50, 50, 50, 50, 800]];
    const r = run(rows, { 0: { weights: { SPY: 0.5 }, stops: { SPY: { limit: 49 } } } });
    expect(r.fills.map((f) => [f.qty, f.price, f.liquidity])).toEqual([[200, 49, 'maker']]);
    expect(r.orders[0]).toMatchObject({ type: 'limit', qty: 1000, filled: 200, status: 'expired', closedAt: T0 + DAY });
  });
});

describe('the cap is declared, defaults to none, and keeps the fast path out', () => {
  const rows: Row[] = Array.from({ length: 6 }, (_, i) => [50 + i, 51 + i, 49 + i, 50 + i, 3000] as const);
  test('the execution profile carries the cap; unset and null give the profile and digest of a run without it', () => {
    const capped = run(rows, { 0: { weights: { SPY: 0.5 } } });
    expect(capped.profile.participation?.maxParticipation).toBe(0.25);
    expect(describeProfile(capped.profile)[0]).toContain('≤ 0.25 of bar volume per order');
    const unset = run(rows, { 0: { weights: { SPY: 0.5 } } }, {}, { max_participation: undefined });
    const none = run(rows, { 0: { weights: { SPY: 0.5 } } }, {}, { max_participation: null });
    expect(unset.profile.participation).toBeUndefined();
    expect(none.profile).toEqual(unset.profile);
    expect(resultDigest(none)).toBe(resultDigest(unset));
    expect(unset.orders[0]!.filled).toBeUndefined();
    expect(resultDigest(capped)).not.toBe(resultDigest(unset));
  });
  test('the schema takes a fraction in (0, 1] or null', () => {
    expect(() => backtestSection.parse({ execution: { max_participation: 0 } })).toThrow(/max_participation/);
    expect(() => backtestSection.parse({ execution: { max_participation: 1.5 } })).toThrow(/max_participation/);
    expect(backtestSection.parse({ execution: { max_participation: null } }).execution.max_participation).toBeNull();
  });
  test('the fast path hands over to the event engine when a cap is set', () => {
    const sym = pathBars({ n: 200, seed: 2, vol: 0.02, tick: 0 }, 'equity');
    const model = createSmaCross(smaCrossParams.parse({ symbol: sym.symbol, fast: 5, slow: 20 }));
    const input = { symbols: [sym], models: [withBudget(model, 1)], config: cfg({ execution: { max_participation: 0.01 } }), regimeAt: neutral };
    const fm = { model, warmupBars: model.warmupBars };
    expect(chooseEngine(input, fm)).toEqual({ path: 'event', reason: 'execution.max_participation 0.01 caps fills by bar volume (the fast path fills whole orders)' });
    expect(runFastPath(input, fm)).toEqual({ ok: false, reason: 'execution.max_participation 0.01 caps fills by bar volume; the fast path fills whole orders' });
    const auto = runBacktestAuto(input, fm);
    expect(resultDigest(auto.result)).toBe(resultDigest(runBacktest(input)));
  });
});
