/**
 * The one-pass step summary of a fast-path result (fast-path-steps.ts) gives each figure its own
 * function gives: the held steps (result-series.ts `countPositive` of the gross, and a count over
 * the built gross series), the NAV's sum and maximum drawdown (metrics), the last gross and
 * drawdown, and the equity and drawdown charts (report-series.ts `downsampleMinMax`, `downsampleMax`
 * over the built drawdown series, and `downsampleMaxOf` over its chunked replay), value for value
 * (Object.is: −0, NaN and all), on random fast-path runs (long/short, equity and unit sizing,
 * same-close fills, whose pre-fill NAV moves the drawdown's peak, funding) and chart sizes down to
 * 3 points, so every bucket boundary is crossed. A fast result's report blocks are checked against
 * the event engine's in test/backtest/fast-path-report.test.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runFastPath } from '../../src/backtest/fast-path.js';
import { fastStepSummary } from '../../src/backtest/fast-path-steps.js';
import { maxDrawdown } from '../../src/backtest/metrics/index.js';
import { downsampleMax, downsampleMaxOf, downsampleMinMax } from '../../src/backtest/report-series.js';
import { countPositive, scanSeries, valueAt } from '../../src/backtest/result-series.js';
import type { BacktestInput, BacktestResult } from '../../src/backtest/types.js';
import { createSmaCross, smaCrossParams } from '../../src/models/sma-cross.js';
import { cfg, neutral } from './engine-helpers.js';
import { pathBars } from './fast-path-helpers.js';

interface Case {
  readonly n: number;
  readonly seed: number;
  readonly vol: number;
  readonly perp: boolean;
  readonly short: boolean;
  readonly size: string;
  readonly fill: 'next_open' | 'same_close';
  readonly band: number;
  readonly maxPoints: number;
}

const caseArb: fc.Arbitrary<Case> = fc.record({
  n: fc.integer({ min: 12, max: 400 }),
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  vol: fc.constantFrom(0.005, 0.02, 0.05),
  perp: fc.boolean(),
  short: fc.boolean(),
  size: fc.constantFrom('equity:0.95', 'equity:1.4', 'units:3'),
  fill: fc.constantFrom('next_open' as const, 'same_close' as const),
  band: fc.constantFrom(Infinity, 0.05),
  maxPoints: fc.constantFrom(3, 4, 5, 7, 10, 25, 400),
});

/** A fresh fast-path result for the case (null when the fast path hands over). */
function fastRun(c: Case): BacktestResult | null {
  const sym = pathBars({ n: c.n, seed: c.seed, vol: c.vol, tick: 0, ...(c.perp ? { funding: 0.0004 } : {}) }, c.perp ? 'crypto_perp' : 'etf');
  const model = createSmaCross(smaCrossParams.parse({ symbol: 'X', fast: 2, slow: 5, short: c.short, size: c.size }));
  const parsed = cfg({ execution: { fill: c.fill }, costs: { default: { maker_bps: 1, taker_bps: 10, slippage_bps: 5, impact_coef: 0 } } });
  const input: BacktestInput = { symbols: [sym], models: [{ model, budget: 1 }], config: { ...parsed, execution: { ...parsed.execution, rebalance_band: c.band } }, regimeAt: neutral };
  const out = runFastPath(input, { model, warmupBars: model.warmupBars });
  return out.ok ? out.result : null;
}

const same = (a: unknown, b: unknown): void => expect(a).toEqual(b);

describe('fast-path step summary = each figure\'s own function', () => {
  it('random runs and chart sizes (fast-check)', () => {
    let summarised = 0;
    fc.assert(
      fc.property(caseArb, (c) => {
        const a = fastRun(c);
        const b = fastRun(c);
        const built = fastRun(c);
        if (a === null || b === null || built === null) return;
        const steps = a.nav.length;
        const s = fastStepSummary(a, c.maxPoints);
        if (steps <= c.maxPoints) {
          expect(s).toBeNull();
          return;
        }
        summarised++;
        expect(s).not.toBeNull();
        expect(fastStepSummary(a, c.maxPoints)).toBe(s); // remembered
        // the functions the report used before, on a result whose series were not built (chunked replays)
        const last = steps - 1;
        expect(s!.held).toBe(countPositive(b, 'gross'));
        expect(Object.is(s!.lastGross, valueAt(b, 'gross', last))).toBe(true);
        let ddLast = NaN;
        const ddChart = downsampleMaxOf(b.ts, (visit) => scanSeries(b, 'drawdown', (from, values) => {
          if (from + values.length - 1 === last) ddLast = values[values.length - 1]!;
          visit(from, values);
        }), c.maxPoints);
        same(s!.drawdownChart, ddChart);
        expect(Object.is(s!.lastDrawdown, ddLast)).toBe(true);
        // and on the series built in full
        let held = 0;
        let sum = 0;
        for (let i = 0; i < steps; i++) {
          if (built.gross[i]! > 0) held++;
          sum += built.nav[i]!;
        }
        expect(s!.held).toBe(held);
        expect(Object.is(s!.navSum, sum)).toBe(true);
        expect(Object.is(s!.maxDrawdown, maxDrawdown(built.nav))).toBe(true);
        expect(Object.is(s!.lastGross, built.gross[last])).toBe(true);
        expect(Object.is(s!.lastDrawdown, built.drawdown[last])).toBe(true);
        same(s!.equityChart, downsampleMinMax(built.ts, built.nav, c.maxPoints));
        same(s!.drawdownChart, downsampleMax(built.ts, built.drawdown, c.maxPoints));
      }),
      { seed: 20_261_206, numRuns: 200 },
    );
    expect(summarised).toBeGreaterThan(100);
  });

  it('is null for an event-engine result and for a chart holding every step', () => {
    const c: Case = { n: 60, seed: 4, vol: 0.02, perp: false, short: true, size: 'equity:0.95', fill: 'same_close', band: Infinity, maxPoints: 400 };
    const fast = fastRun(c)!;
    expect(fastStepSummary(fast, 400)).toBeNull();
    expect(fastStepSummary(fast, 2)).toBeNull();
    expect(fastStepSummary({ ...fast }, 10)).toBeNull(); // a copy is not the fast path's result
    expect(fastStepSummary(fast, 10)).not.toBeNull();
  });
});
