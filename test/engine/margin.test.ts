/**
 * Margin and liquidation (must-show): a levered short through a squeeze is liquidated at the margin
 * level, its fill and fee recorded, a 'liquidation' risk event logged, and NAV stays ≥ 0. Numbers by
 * hand (execution/margin.ts):
 *
 *   10 000 cash; the model shorts 2 × NAV of SQZ at the close of bar 0 (100) → sell 200 at the open
 *   of bar 1 (100): cash 30 000, q = −200. With maintenance margin m = 0.3 the account breaches when
 *   30 000 − 200·p < 0.3 · 200 · p, i.e. p ≥ P* = 30 000 / (200 · 1.3) = 115.384615…
 *   Bar 3 (open 112, high 120) reaches P*: buy 200 at P* → cash 30 000 − 23 076.923… = 6 923.077 =
 *   0.3 · 200 · P* (equity = requirement at the fill, as it should).
 */
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../src/backtest/engine.js';
import { runBacktestAuto } from '../../src/backtest/fast-path-select.js';
import fc from 'fast-check';
import { liquidationPrice, longBookCannotBreach } from '../../src/execution/margin.js';
import { createSmaCross, smaCrossParams } from '../../src/models/sma-cross.js';
import { bars, cfg, neutral, scripted, withBudget, type Row } from '../backtest/engine-helpers.js';

const squeeze: Row[] = [
  [100, 100, 100, 100],
  [100, 101, 99, 100],
  [100, 106, 100, 105],
  [112, 120, 111, 118],
  [118, 125, 117, 124],
];
const shortTwice = scripted('shorty', ['SQZ'], { 0: { weights: { SQZ: -2 } } });

function run(rows: Row[], risk: Record<string, unknown>, costs?: Record<string, unknown>) {
  return runBacktest({
    symbols: [bars('SQZ', rows, { assetClass: 'equity' })],
    models: [withBudget(shortTwice, 1)],
    // a wide band: the short is not topped up as the price rises (one sale, then only the liquidation)
    config: cfg({ risk, execution: { rebalance_band: 5 }, ...(costs ? { costs: { default: costs } } : {}) }),
    regimeAt: neutral,
  });
}

describe('margin: a levered short through a squeeze', () => {
  it('is liquidated at the margin level (hand-worked), with its fill, a risk event, and NAV ≥ 0', () => {
    const r = run(squeeze, { maintenance_margin: { equities: 0.3 } });
    const pStar = 30_000 / (200 * 1.3);
    expect(pStar).toBeCloseTo(115.384615, 5);
    expect(r.fills.map((f) => [f.qty, f.reason])).toEqual([[-200, 'rebalance'], [200, 'liquidation']]);
    const liq = r.fills[1]!;
    expect(liq.ts).toBe(r.ts[3]! - 86_400_000); // bar 3's open time
    expect(liq.price).toBeCloseTo(pStar, 9);
    expect(liq.gap).toBe(false);
    expect(r.orders.find((o) => o.reason === 'liquidation')!.status).toBe('filled');
    const cash = 30_000 - 200 * pStar;
    expect(r.cash[3]).toBeCloseTo(cash, 6);
    expect(cash).toBeCloseTo(0.3 * 200 * pStar, 6);
    expect(r.nav[4]).toBeCloseTo(cash, 6); // flat afterwards: no re-entry
    const events = r.breaches.filter((b) => b.kind === 'liquidation');
    expect(events).toHaveLength(1);
    expect(events[0]!.subject).toBe('SQZ');
    expect(events[0]!.action).toMatch(/^liquidated 200 SQZ at 115\.38461538/);
    expect(r.breachCount[3]).toBe(1);
    for (const v of r.nav) expect(v).toBeGreaterThanOrEqual(0);
    expect(Math.max(...r.drawdown)).toBeLessThan(1);
  });

  it('pays the taker fee and slippage on the liquidation fill (hand-worked)', () => {
    const r = run(squeeze, { maintenance_margin: { equities: 0.3 } }, { maker_bps: 0, taker_bps: 10, slippage_bps: 5, impact_coef: 0 });
    // opening sale at 100 × (1 − 0.0005) = 99.95, fee 200 × 99.95 × 0.001 = 19.99 → cash 29 970.01
    const cash1 = 10_000 + 200 * 99.95 - 19.99;
    expect(r.cash[1]).toBeCloseTo(cash1, 6);
    const pStar = liquidationPrice(-200, 0.3, cash1);
    expect(pStar).toBeCloseTo(cash1 / 260, 12);
    const liq = r.fills[1]!;
    expect(liq.refPrice).toBeCloseTo(pStar, 9);
    expect(liq.price).toBeCloseTo(pStar * 1.0005, 9);
    expect(liq.fee).toBeCloseTo(200 * pStar * 1.0005 * 0.001, 9);
    expect(r.cash[3]).toBeCloseTo(cash1 - 200 * pStar * 1.0005 - 200 * pStar * 1.0005 * 0.001, 6);
    expect(r.costs.fees).toBeCloseTo(19.99 + liq.fee, 9);
  });

  it('a gap through the margin level fills at the open; the loss beyond zero is written off, so NAV = 0, drawdown 100 %', () => {
    const gap: Row[] = [squeeze[0]!, squeeze[1]!, squeeze[2]!, [160, 170, 158, 165], [165, 166, 160, 161]];
    const r = run(gap, { maintenance_margin: { equities: 0.3 } });
    expect([r.fills[1]!.price, r.fills[1]!.gap]).toEqual([160, true]);
    // 30 000 − 200 × 160 = −2 000 → written off
    expect(r.nav[3]).toBe(0);
    expect(r.cash[3]).toBe(0);
    expect(Math.max(...r.drawdown)).toBe(1);
    expect(r.breaches.find((b) => b.kind === 'liquidation')!.action).toMatch(/below 0 by 2000 written off/);
    // the write-off is booked on the asset and the model, so attribution still sums to the NAV
    expect(r.assets[0]!.total).toBeCloseTo(r.nav[4]! - 10_000, 9);
    expect(r.models[0]!.total).toBeCloseTo(r.nav[4]! - 10_000, 9);
  });

  it('with risk.allow_negative_equity the loss stays: NAV −2 000, drawdown 120 %', () => {
    const gap: Row[] = [squeeze[0]!, squeeze[1]!, squeeze[2]!, [160, 170, 158, 165], [165, 166, 160, 161]];
    const r = run(gap, { maintenance_margin: { equities: 0.3 }, allow_negative_equity: true });
    expect(r.nav[3]).toBe(-2000);
    expect(Math.max(...r.drawdown)).toBeCloseTo(1.2, 12);
  });

  it('unset, equities use the built-in 25 %: P* = 30 000 / (200 × 1.25) = 120 (bar 3 high 120 touches it)', () => {
    const r = run(squeeze, {});
    expect(r.fills[1]!.price).toBe(120);
  });

  it('the fast path hands a run that reaches its margin to the event engine, which liquidates it', () => {
    // sma_cross 2/4 short at 3 × equity; prices fall (short entered), then squeeze up 80 %
    const closes = [100, 100, 100, 100, 99, 98, 97, 96, 95, 120, 150, 175, 180];
    const rows: Row[] = closes.map((c, i) => [i ? closes[i - 1]! : c, Math.max(c, i ? closes[i - 1]! : c), Math.min(c, i ? closes[i - 1]! : c), c]);
    const model = createSmaCross(smaCrossParams.parse({ symbol: 'SQZ', fast: 2, slow: 4, short: true, size: 'equity:3' }));
    const input = { symbols: [bars('SQZ', rows, { assetClass: 'equity' })], models: [withBudget(model, 1)], config: cfg(), regimeAt: neutral };
    const auto = runBacktestAuto(input, { model, warmupBars: model.warmupBars });
    expect(auto.engine.path).toBe('event');
    expect(auto.engine.reason).toMatch(/maintenance margin/);
    expect(auto.result.fills.some((f) => f.reason === 'liquidation')).toBe(true);
    expect(auto.result.fills).toEqual(runBacktest(input).fills);
    for (const v of auto.result.nav) expect(v).toBeGreaterThanOrEqual(0);
  });
});

/**
 * The Trader skips its margin check for a long when `longBookCannotBreach` holds (cash ≥ 0, no short,
 * margins ≤ 1). Checked against the margin check's own arithmetic (K = cash + Σ_other (v − m·|v|),
 * then liquidationPrice) on random books: wherever the predicate holds, no long has a level; and it
 * is false for each condition that breaks it.
 */
describe('longBookCannotBreach', () => {
  const restFor = (s: number, cash: number, q: Float64Array, mark: Float64Array, m: Float64Array): number => {
    let rest = cash;
    for (let o = 0; o < q.length; o++) {
      if (o === s || q[o] === 0) continue;
      const v = q[o]! * mark[o]!;
      rest += v - m[o]! * (v < 0 ? -v : v);
    }
    return rest;
  };

  it('implies no liquidation level for any long of the book (random books)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e12, noNaN: true }),
        fc.array(fc.tuple(fc.double({ min: 0, max: 1e9, noNaN: true }), fc.double({ min: 1e-8, max: 1e9, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true })), { minLength: 1, maxLength: 8 }),
        (cash, book) => {
          const q = Float64Array.from(book, (b) => b[0]);
          const mark = Float64Array.from(book, (b) => b[1]);
          const m = Float64Array.from(book, (b) => b[2]);
          expect(longBookCannotBreach(cash, q, true)).toBe(true);
          for (let s = 0; s < q.length; s++) {
            if (q[s]! > 0) expect(liquidationPrice(q[s]!, m[s]!, restFor(s, cash, q, mark, m))).toBeNaN();
          }
        },
      ),
      { seed: 10, numRuns: 2000 },
    );
  });

  it('is false with cash below 0, a short, or a margin above 1', () => {
    const q = Float64Array.of(2, 3);
    expect(longBookCannotBreach(-0.01, q, true)).toBe(false);
    expect(longBookCannotBreach(100, Float64Array.of(2, -3), true)).toBe(false);
    expect(longBookCannotBreach(100, q, false)).toBe(false);
    expect(longBookCannotBreach(Number.NaN, q, true)).toBe(false);
    // each is a book where the check does find a level: cash −100, one long of 2 at 50 with m = 0.05
    expect(liquidationPrice(2, 0.05, -100)).toBeCloseTo(100 / (2 * 0.95), 12);
    // a short beside the long: K = 100 + (−3·40 − 0.3·120) = −56 < 0
    expect(liquidationPrice(2, 0.05, restFor(0, 100, Float64Array.of(2, -3), Float64Array.of(50, 40), Float64Array.of(0.05, 0.3)))).toBeGreaterThan(0);
    // a margin above 1 on the other long: K = 100 + (2·100 − 1.6·200) = −20 < 0
    expect(liquidationPrice(2, 0.05, restFor(0, 100, Float64Array.of(2, 2), Float64Array.of(50, 100), Float64Array.of(0.05, 1.6)))).toBeGreaterThan(0);
  });
});
