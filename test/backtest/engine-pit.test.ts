/** Point-in-time: what a model can see at each decision, the common clock, regimes and budgets. */
import { describe, expect, test } from 'vitest';
import { runBacktest } from '../../src/backtest/engine.js';
import type { ModelContext } from '../../src/models/types.js';
import { NEUTRAL_SNAPSHOT, type RegimeSnapshot } from '../../src/regime/types.js';
import { bars, cfg, DAY, neutral, scripted, T0, withBudget, type Row } from './engine-helpers.js';

const rising = (n: number): Row[] => Array.from({ length: n }, (_, i) => [100 + i, 100 + i, 100 + i, 100 + i] as const);

describe('model context', () => {
  test('history views end at the current bar, whatever n is asked for', () => {
    const seen: [number, number, number, number][] = [];
    const m = scripted('m', ['SPY'], {}, (ctx) => {
      const h = ctx.history('SPY', 1000);
      seen.push([ctx.barIndex, h.length, h[h.length - 1]!, ctx.bars[0]!.close]);
    });
    runBacktest({ symbols: [bars('SPY', rising(5))], models: [withBudget(m, 1)], config: cfg(), regimeAt: neutral });
    expect(seen).toEqual([
      [0, 1, 100, 100],
      [1, 2, 101, 101],
      [2, 3, 102, 102],
      [3, 4, 103, 103],
      [4, 5, 104, 104],
    ]);
  });
  test('lag reads one value back from the current bar and never past it', () => {
    const seen: number[][] = [];
    const m = scripted('m', ['SPY'], {}, (ctx) => seen.push([ctx.lag('SPY', 0), ctx.lag('SPY', 2), ctx.lag('SPY', -1), ctx.lag('SPY', 0, 'high')]));
    runBacktest({ symbols: [bars('SPY', rising(4))], models: [withBudget(m, 1)], config: cfg(), regimeAt: neutral });
    expect(seen).toEqual([
      [100, NaN, NaN, 100],
      [101, NaN, NaN, 101],
      [102, 100, NaN, 102],
      [103, 101, NaN, 103],
    ]);
  });
  test('warm-up: decide is first called when the symbol has warmupBars closed bars', () => {
    const calls: number[] = [];
    const m = { ...scripted('m', ['SPY'], {}, (ctx) => calls.push(ctx.barIndex)), warmupBars: 3 };
    runBacktest({ symbols: [bars('SPY', rising(5))], models: [withBudget(m, 1)], config: cfg(), regimeAt: neutral });
    expect(calls).toEqual([2, 3, 4]);
  });
  test('mixed intervals: the clock is the union of closes; a stale daily bar is not fresh', () => {
    // BTC 8h bars close at 8, 16, 24, 32, 40, 48 h; SPY 1d bars at 24 and 48 h. Both have a bar from 24 h on.
    const log: [number, number, boolean, number][] = [];
    const m = scripted('m', ['SPY', 'BTC'], {}, (ctx) => {
      log.push([(ctx.t - T0) / (DAY / 24), ctx.bar('SPY').close, ctx.bar('SPY').fresh, ctx.bar('BTC').close]);
    });
    runBacktest({
      symbols: [bars('SPY', rising(2)), bars('BTC', rising(6).map((r) => r.map((v) => 1000 + (v! - 100) * 10) as unknown as Row), { assetClass: 'crypto_spot', interval: '8h' })],
      models: [withBudget(m, 1)],
      config: cfg(),
      regimeAt: neutral,
    });
    expect(log).toEqual([
      [24, 100, true, 1020],
      [32, 100, false, 1030],
      [40, 100, false, 1040],
      [48, 101, true, 1050],
    ]);
  });
  test('daily features are aligned by their known-at time', () => {
    const got: number[] = [];
    const daily = new Map([['SPY', new Map([['sma', { ts: Float64Array.of(T0 + 2 * DAY, T0 + 4 * DAY), values: Float64Array.of(7, 8) }]])]]);
    const m = scripted('m', ['SPY'], {}, (ctx) => got.push(ctx.daily('SPY', 'sma')));
    runBacktest({ symbols: [bars('SPY', rising(5))], models: [withBudget(m, 1)], config: cfg(), regimeAt: neutral, daily });
    // decisions at T0 + 1..5 days: unknown, 7, 7, 8, 8
    expect(got).toEqual([NaN, 7, 7, 8, 8]);
  });
  test('daily lookups in another order or number at each step give the as-of values (the lookups are remembered in call order)', () => {
    const series = (v0: number) => ({ ts: Float64Array.of(T0 + 2 * DAY, T0 + 4 * DAY), values: Float64Array.of(v0, v0 + 1) });
    const daily = new Map([
      ['SPY', new Map([['a', series(10)], ['b', series(20)]])],
      ['QQQ', new Map([['a', series(30)]])],
    ]);
    // per step: which (symbol, feature) pairs are asked for, in that order ('QQQ.b' has no series: NaN)
    const plans = [['SPY.a', 'SPY.b'], ['SPY.b', 'SPY.a', 'QQQ.a'], ['QQQ.a'], ['SPY.a', 'QQQ.b', 'SPY.b', 'SPY.a'], ['SPY.a', 'SPY.b']];
    const got: number[][] = [];
    const m = scripted('m', ['SPY', 'QQQ'], {}, (ctx) => {
      got.push(plans[ctx.barIndex]!.map((p) => ctx.daily(p.split('.')[0]!, p.split('.')[1]!)));
    });
    runBacktest({ symbols: [bars('SPY', rising(5)), bars('QQQ', rising(5))], models: [withBudget(m, 1)], config: cfg(), regimeAt: neutral, daily });
    // decisions at T0 + 1..5 days: the values known at T0 + 2 days from the second, at T0 + 4 days from the fourth
    expect(got).toEqual([[NaN, NaN], [20, 10, 30], [30], [11, NaN, 21, 11], [11, 21]]);
  });
  test('budget and exposures seen by the model', () => {
    const seen: [number, number, number][] = [];
    const m = scripted('m', ['SPY'], { 0: { weights: { SPY: 1 } } }, (ctx: ModelContext) => {
      seen.push([ctx.budget.fraction, ctx.budget.value, ctx.exposures['SPY']!]);
    });
    runBacktest({ symbols: [bars('SPY', [[100, 100, 100, 100], [100, 100, 100, 100], [100, 100, 100, 110]])], models: [withBudget(m, 0.5)], config: cfg(), regimeAt: neutral });
    // 50 shares bought at 100 at bar 1; at bar 2 close 110: NAV 10,500, budget value 5,250, exposure 5,500 / 5,250
    expect(seen[0]).toEqual([0.5, 5000, 0]);
    expect(seen[1]).toEqual([0.5, 5000, 1]);
    expect(seen[2]![1]).toBe(5250);
    expect(seen[2]![2]).toBeCloseTo(5500 / 5250, 12);
  });
  test('regime budgets switch a model budget while the regime holds', () => {
    const bear: RegimeSnapshot = { ...NEUTRAL_SNAPSHOT, equity: 'BEAR' };
    const regimeAt = (t: number): RegimeSnapshot => (t >= T0 + 3 * DAY ? bear : NEUTRAL_SNAPSHOT);
    const fractions: number[] = [];
    const m = scripted('m', ['SPY'], { 0: { weights: { SPY: 1 } } }, (ctx) => fractions.push(ctx.budget.fraction));
    const r = runBacktest({
      symbols: [bars('SPY', rising(4).map(() => [100, 100, 100, 100] as const))],
      models: [withBudget(m, 0.6)],
      config: cfg({ regime_budgets: { equity_bear: { m: 0.2 } }, execution: { rebalance_band: 0.05 } }),
      regimeAt,
    });
    expect(fractions).toEqual([0.6, 0.6, 0.2, 0.2]);
    // 60 shares, then at the bear decision (step 2) the target falls to 20%: sell 40 at bar 3's open
    expect(r.fills.map((f) => f.qty)).toEqual([60, -40]);
  });
  test('the same inputs give identical results', () => {
    const go = () =>
      runBacktest({
        symbols: [bars('SPY', rising(20))],
        models: [withBudget(scripted('m', ['SPY'], { 0: { weights: { SPY: 1 } }, 10: { weights: { SPY: -0.5 } } }), 1)],
        config: cfg({ costs: { default: { maker_bps: 1, taker_bps: 3, slippage_bps: 1, impact_coef: 0.1 } } }),
        regimeAt: neutral,
      });
    const a = go();
    const b = go();
    expect(Array.from(a.nav)).toEqual(Array.from(b.nav));
    expect(a.fills).toEqual(b.fills);
  });
});
