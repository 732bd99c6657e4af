/**
 * Borrow fees on short positions, hand-worked (execution/borrow.ts):
 *   fee per bar = |q| × close × rate/yr × bar length / 365 d
 * 100 shares short at 50 with 365 bps/yr on daily bars: 100 × 50 × 0.0365 / 365 = 0.50 per bar.
 */
import { describe, expect, test } from 'vitest';
import { runBacktest } from '../../src/backtest/engine.js';
import { resultDigest } from '../../src/backtest/engine-digest.js';
import { runBacktestAuto } from '../../src/backtest/fast-path-select.js';
import { backtestSection } from '../../src/config/sections/backtest.js';
import { configSchema } from '../../src/config/schema.js';
import { singleModelPlan } from '../../src/backtest/run-backtest-plan.js';
import { borrowFee, borrowRate } from '../../src/execution/borrow.js';
import { describeProfile } from '../../src/execution/profile.js';
import { createSmaCross, smaCrossParams } from '../../src/models/index.js';
import { backtestRecord, diffRuns } from '../../src/store/index.js';
import { bars, cfg, flat, neutral, scripted, withBudget, type Row } from './engine-helpers.js';
import { expectSameResult, pathBars } from './fast-path-helpers.js';

const costs = (bps: number | undefined) => ({ costs: { default: { maker_bps: 0, taker_bps: 0, slippage_bps: 0, impact_coef: 0, ...(bps !== undefined ? { borrow_bps_year: bps } : {}) } } });

/**
 * Capital 10 000, SPY (etf) flat at 50. Step 0: weight −0.5 → −100 shares, filled at bar 1's open.
 * Step 3: weight 0 → +100 filled at bar 4's open. Short at the closes of bars 1, 2 and 3.
 */
function shortRun(bps: number | undefined, weight = -0.5, rows: Row[] = flat(50, 5), assetClass: 'etf' | 'crypto_perp' = 'etf') {
  return runBacktest({
    symbols: [bars('SPY', rows, { assetClass })],
    models: [withBudget(scripted('m', ['SPY'], { 0: { weights: { SPY: weight } }, 3: { weights: { SPY: 0 } } }), 1)],
    config: cfg({ ...costs(bps), execution: { rebalance_band: 0.5 } }),
    regimeAt: neutral,
  });
}

describe('borrow fee on a short', () => {
  test('100 shares short at 50 for 3 daily bars at 365 bps/yr pay 0.50 a bar, 1.50 in all', () => {
    const r = shortRun(365);
    expect(r.fills.map((f) => f.qty)).toEqual([-100, 100]);
    // cash: 10 000 + 5 000 proceeds, then −0.50 at each of the closes of bars 1, 2, 3, then −5 000 to cover
    expect(Array.from(r.cash)).toEqual([10_000, 14_999.5, 14_999, 14_998.5, 9_998.5]);
    expect(r.nav[4]).toBe(9_998.5);
    expect(r.costs.borrow).toBeCloseTo(1.5, 12);
    expect(r.costs.net).toBeCloseTo(-1.5, 12);
    // gross = net + every cost: the trades alone made nothing at flat prices
    expect(r.costs.gross).toBeCloseTo(0, 12);
    expect(r.costs.gross).toBeCloseTo(r.costs.net + r.costs.fees + r.costs.slippage + r.costs.impact + r.costs.funding + r.costs.borrow, 12);
    expect(r.models[0]!.borrow).toBeCloseTo(1.5, 12);
    expect(r.assets[0]!.borrow).toBeCloseTo(1.5, 12);
    expect(r.assets[0]!.total).toBeCloseTo(-1.5, 12);
    // the trade pays the borrow accrued while it was open
    expect(r.trades).toHaveLength(1);
    expect(r.trades[0]!.side).toBe('short');
    expect(r.trades[0]!.borrow).toBeCloseTo(1.5, 12);
    expect(r.trades[0]!.pnl).toBeCloseTo(-1.5, 12);
  });

  test('the fee formula, the bar length, and perpetuals', () => {
    expect(borrowFee(-100, 50, 0.0365, 86_400_000)).toBeCloseTo(0.5, 14);
    expect(borrowFee(-100, 50, 0.0365, 4 * 3_600_000)).toBeCloseTo(0.5 / 6, 14);
    expect(borrowFee(-100, 50, 0.0365, 3 * 86_400_000)).toBeCloseTo(1.5, 14); // a weekend close-to-close
    expect(borrowFee(100, 50, 0.0365, 86_400_000)).toBe(0);
    expect(borrowFee(0, 50, 0.0365, 86_400_000)).toBe(0);
    expect(borrowRate('equity', 30)).toBe(0.003);
    expect(borrowRate('crypto_perp', 30)).toBe(0);
    expect(borrowRate('crypto_spot', undefined)).toBe(0);
  });

  test('4h bars: six closes short make one day, 0.50', () => {
    const r = runBacktest({
      symbols: [bars('SPY', flat(50, 8), { interval: '4h' })],
      models: [withBudget(scripted('m', ['SPY'], { 0: { weights: { SPY: -0.5 } }, 6: { weights: { SPY: 0 } } }), 1)],
      config: cfg({ ...costs(365), execution: { rebalance_band: 0.5 } }),
      regimeAt: neutral,
    });
    // short at the closes of bars 1..6
    expect(r.costs.borrow).toBeCloseTo(0.5, 12);
  });

  test('a gap between bars accrues: close-to-close over a weekend is three days', () => {
    // Daily bars opening on days 0, 1, 2, 5, 6 (closes 1, 2, 3, 6, 7). Short at the closes of bars 1, 2 and 3:
    // 1 + 1 + 3 days × 0.50 = 2.50.
    const sym = bars('SPY', flat(50, 5));
    const ts = sym.bars.columns['ts'] as Float64Array;
    [0, 1, 2, 5, 6].forEach((d, i) => (ts[i] = Date.UTC(2021, 0, 1) + d * 86_400_000));
    const r = runBacktest({
      symbols: [sym],
      models: [withBudget(scripted('m', ['SPY'], { 0: { weights: { SPY: -0.5 } }, 3: { weights: { SPY: 0 } } }), 1)],
      config: cfg({ ...costs(365), execution: { rebalance_band: 0.5 } }),
      regimeAt: neutral,
    });
    expect(Array.from(r.cash)).toEqual([10_000, 14_999.5, 14_999, 14_997.5, 9_997.5]);
    expect(r.costs.borrow).toBeCloseTo(2.5, 12);
  });

  test('longs pay nothing', () => {
    const r = shortRun(365, 0.5);
    expect(r.fills[0]!.qty).toBe(100);
    expect(r.costs.borrow).toBe(0);
    expect(r.costs.net).toBe(0);
    expect(r.trades[0]!.borrow).toBeUndefined();
  });

  test('perpetuals never borrow, whatever the config (they pay funding)', () => {
    const r = shortRun(365, -0.5, flat(50, 5), 'crypto_perp');
    expect(r.fills[0]!.qty).toBe(-100);
    expect(r.costs.borrow).toBe(0);
    expect(r.costs.net).toBe(0);
  });

  test('rate 0 or unset: the same result digest as before borrow existed; a rate changes the digest and the profile', () => {
    const unset = shortRun(undefined);
    const zero = shortRun(0);
    const some = shortRun(365);
    expect(resultDigest(zero)).toBe(resultDigest(unset));
    expect(zero.profile).toEqual(unset.profile);
    expect(unset.profile.borrow).toBeUndefined();
    expect(resultDigest(some)).not.toBe(resultDigest(unset));
    expect(some.profile.costs['default']!.borrow_bps_year).toBe(365);
    expect(some.profile.borrow).toMatch(/^\|qty\| × close × borrow_bps_year/);
    expect(describeProfile(some.profile)[1]).toContain('borrow 365 bps/yr');
    expect(describeProfile(unset.profile)[1]).not.toContain('borrow');
  });

  test('runs diff shows the borrow rate in config and profile, and the borrow metric', () => {
    const rec = (bps: number) => {
      const config = cfg(costs(bps));
      const result = runBacktest({
        symbols: [bars('SPY', flat(50, 5))],
        models: [withBudget(scripted('m', ['SPY'], { 0: { weights: { SPY: -0.5 } }, 3: { weights: { SPY: 0 } } }), 1)],
        config: { ...config, execution: { ...config.execution, rebalance_band: 0.5 } },
        regimeAt: neutral,
      });
      return backtestRecord({ result, config: { backtest: config }, codeRevision: 'test', seed: 1 });
    };
    const a = rec(30);
    const b = rec(365);
    const d = diffRuns(a, b);
    expect(d.config).toEqual([{ key: 'backtest.costs.default.borrow_bps_year', a: '30', b: '365' }]);
    expect(d.profile).toEqual([{ key: 'costs.default.borrow_bps_year', a: '30', b: '365' }]);
    expect(d.record.map((x) => x.key)).toEqual(['configDigest', 'resultDigest']);
    const m = d.metrics.find((x) => x.name === 'borrow')!;
    // 3 bars × 100 × 50 × rate / 365
    expect(m.a as number).toBeCloseTo((3 * 5000 * 0.003) / 365, 12);
    expect(m.b as number).toBeCloseTo(1.5, 12);
  });

  test('a single-model --commission-pct run keeps the configured borrow rates (and stays one default key without them)', () => {
    const withBorrow = configSchema.parse({ backtest: { costs: { equities: { borrow_bps_year: 30 }, crypto: {} } } });
    const p = singleModelPlan(withBorrow, 'sma_cross', { commissionPct: 0.1 });
    expect(p.backtest.costs).toEqual({
      equities: { maker_bps: 10, taker_bps: 10, slippage_bps: 0, impact_coef: 0, borrow_bps_year: 30 },
      crypto: { maker_bps: 10, taker_bps: 10, slippage_bps: 0, impact_coef: 0 },
    });
    expect(Object.keys(singleModelPlan(configSchema.parse({}), 'sma_cross', { commissionPct: 0.1 }).backtest.costs)).toEqual(['default']);
  });

  test('the schema refuses a negative rate', () => {
    expect(() => backtestSection.parse(costs(-1))).toThrow(/borrow_bps_year/);
    expect(backtestSection.parse(costs(undefined)).costs['default']!.borrow_bps_year).toBeUndefined();
  });
});

describe('borrow attribution', () => {
  // Capital 10 000, SPY flat at 50, two models with budget 0.5 each.
  // a: −1 → −0.5 of NAV = −100 shares; b: −0.5 → −0.25 of NAV = −50 shares. Net −150 short at the
  // closes of bars 1..3: 150 × 50 × 0.0365 / 365 = 0.75 a bar, 2.25 in all, split 2:1 → a 1.50, b 0.75.
  // Then a long +0.5 → +50 shares against b short −1.5 → −150 shares: net −100, 0.50 a bar, all paid by b.
  const run = (wa: number, wb: number) =>
    runBacktest({
      symbols: [bars('SPY', flat(50, 5))],
      models: [
        withBudget(scripted('a', ['SPY'], { 0: { weights: { SPY: wa } }, 3: { weights: { SPY: 0 } } }), 0.5),
        withBudget(scripted('b', ['SPY'], { 0: { weights: { SPY: wb } }, 3: { weights: { SPY: 0 } } }), 0.5),
      ],
      config: cfg({ ...costs(365), execution: { rebalance_band: 0.5 } }),
      regimeAt: neutral,
    });
  const sums = (r: ReturnType<typeof run>) => {
    const last = r.nav.length - 1;
    expect(r.models.reduce((s, m) => s + m.borrow, 0)).toBeCloseTo(r.costs.borrow, 12);
    expect(r.assets.reduce((s, a) => s + a.borrow, 0)).toBeCloseTo(r.costs.borrow, 12);
    // per-model P&L sums to the portfolio P&L at every step; per-asset at the end
    for (let i = 0; i <= last; i++) expect(r.models[0]!.pnl[i]! + r.models[1]!.pnl[i]!).toBeCloseTo(r.nav[i]! - 10_000, 9);
    expect(r.assets[0]!.total).toBeCloseTo(r.nav[last]! - 10_000, 9);
  };
  test('two shorts share the fee pro rata to their short quantity', () => {
    const r = run(-1, -0.5);
    expect(r.fills[0]!.qty).toBe(-150);
    expect(r.costs.borrow).toBeCloseTo(2.25, 12);
    expect(r.models[0]!.borrow).toBeCloseTo(1.5, 12);
    expect(r.models[1]!.borrow).toBeCloseTo(0.75, 12);
    sums(r);
  });
  test('on a net short asset, the long model pays nothing and the short model pays the net fee', () => {
    const r = run(0.5, -1.5);
    expect(r.fills[0]!.qty).toBe(-100);
    expect(r.costs.borrow).toBeCloseTo(1.5, 12);
    expect(r.models[0]!.borrow).toBe(0);
    expect(r.models[1]!.borrow).toBeCloseTo(1.5, 12);
    sums(r);
  });
});

describe('the fast path and borrow', () => {
  const sym = pathBars({ n: 400, seed: 3, vol: 0.02, tick: 0 }, 'equity');
  const run = (short: boolean, bps: number) => {
    const model = createSmaCross(smaCrossParams.parse({ symbol: sym.symbol, fast: 5, slow: 20, short }));
    const c = cfg(costs(bps));
    const input = { symbols: [sym], models: [withBudget(model, 1)], config: c, regimeAt: neutral };
    return { auto: runBacktestAuto(input, { model, warmupBars: model.warmupBars }), event: runBacktest(input) };
  };
  test('a short signal under a borrow rate hands over to the event engine, saying why; the result is the event engine\'s', () => {
    const { auto, event } = run(true, 300);
    expect(auto.engine.path).toBe('event');
    expect(auto.engine.reason).toMatch(/^the fast path stopped: the signal goes short at \S+ and backtest\.costs charges borrow on shorts \(300 bps\/yr\)/);
    expect(event.costs.borrow).toBeGreaterThan(0);
    expectSameResult(auto.result, event);
    expect(resultDigest(auto.result)).toBe(resultDigest(event));
  });
  test('a long-only signal under a borrow rate stays on the fast path (nothing to borrow), identical to the event engine', () => {
    const { auto, event } = run(false, 300);
    expect(auto.engine.path).toBe('fast');
    expect(event.costs.borrow).toBe(0);
    expect(resultDigest(auto.result)).toBe(resultDigest(event));
  });
  test('long/short without a borrow rate stays on the fast path', () => {
    expect(run(true, 0).auto.engine.path).toBe('fast');
  });
});
