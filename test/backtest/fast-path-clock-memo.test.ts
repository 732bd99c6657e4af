/**
 * What a fast-path result computes from its clock alone (fast-path-result.ts `fromFastClock`: the
 * digest's runs of equal steps, the metrics' day-close rows) is remembered per clock array and span,
 * and equals what the same functions give on a copy of the result (a plain object, which is not a
 * fast-path result and so computes everything afresh): the same result digest, the same metrics.
 * Runs over other spans of the same bars (a later start, so another first step and length), on
 * irregular close_ts bars and on another clock each get their own values.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runFastPath } from '../../src/backtest/fast-path.js';
import { fromFastClock } from '../../src/backtest/fast-path-result.js';
import { resultDigest } from '../../src/backtest/engine-digest.js';
import { calendarOfClasses, computeMetrics, dailyCloseRows, performanceInput } from '../../src/backtest/metrics/index.js';
import type { BacktestInput, BacktestResult, EngineSymbol } from '../../src/backtest/types.js';
import { createSmaCross, smaCrossParams } from '../../src/models/sma-cross.js';
import type { Interval } from '../../src/core/time.js';
import { cfg, neutral } from './engine-helpers.js';
import { pathBars } from './fast-path-helpers.js';

function fastRun(sym: EngineSymbol, start?: number): BacktestResult | null {
  const model = createSmaCross(smaCrossParams.parse({ symbol: 'X', fast: 2, slow: 5 }));
  const input: BacktestInput = { symbols: [sym], models: [{ model, budget: 1 }], config: cfg(), regimeAt: neutral, ...(start !== undefined ? { start } : {}) };
  const out = runFastPath(input, { model, warmupBars: model.warmupBars });
  return out.ok ? out.result : null;
}

/** A plain copy: every lazy field read, and not registered as a fast-path result. */
const copyOf = (r: BacktestResult): BacktestResult => ({ ...r, models: r.models.map((m) => ({ ...m })) });

function metricsOf(r: BacktestResult, withRows: boolean): Record<string, number> {
  const assetClasses = r.symbols.map((s) => s.assetClass);
  const calendar = calendarOfClasses(assetClasses);
  const closeRows = withRows ? fromFastClock(r, `close rows ${calendar}`, (ts) => dailyCloseRows(ts, calendar)) : null;
  return computeMetrics(performanceInput({ ts: r.ts, equity: r.nav, interval: r.interval, assetClasses, ...(closeRows ? { closeRows } : {}) }));
}

describe('fast-path clock memo', () => {
  it('remembers per clock and span, and equals the values computed afresh (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.record({
          n: fc.integer({ min: 40, max: 600 }),
          seed: fc.integer({ min: 1, max: 1_000_000 }),
          interval: fc.constantFrom<Interval>('1h', '4h', '1d'),
          crypto: fc.boolean(),
          closeTs: fc.boolean(),
          startAt: fc.double({ min: 0.05, max: 0.6, noNaN: true }),
        }),
        (c) => {
          const sym = pathBars({ n: c.n, seed: c.seed, vol: 0.02, tick: 0, closeTs: c.closeTs }, c.crypto ? 'crypto_spot' : 'etf', c.interval);
          const a = fastRun(sym);
          const b = fastRun(sym);
          const ts = sym.bars.columns['ts'] as Float64Array;
          const later = fastRun(sym, ts[Math.floor(c.startAt * c.n)]!);
          if (a === null || b === null || later === null) return;
          expect(later.nav.length).toBeLessThan(a.nav.length);
          // computed once per clock and span, under each name
          let made = 0;
          const count = (t: Float64Array): Float64Array => {
            made++;
            return t;
          };
          const first = fromFastClock(a, 'test', count);
          expect(fromFastClock(b, 'test', count)).toBe(first);
          expect(made).toBe(1);
          expect(fromFastClock(later, 'test', count)).not.toBe(first);
          expect(made).toBe(2);
          expect(fromFastClock(copyOf(a), 'test', count)).toBeNull();
          // the same digest and metrics as a copy computing everything afresh, for every span, memo cold or warm
          for (const r of [a, b, later]) {
            const copy = copyOf(r);
            expect(resultDigest(r)).toBe(resultDigest(copy));
            expect(metricsOf(r, true)).toEqual(metricsOf(copy, false));
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('gives another clock its own values', () => {
    const one = fastRun(pathBars({ n: 200, seed: 3, vol: 0.02, tick: 0 }, 'etf', '1h'));
    const two = fastRun(pathBars({ n: 200, seed: 3, vol: 0.02, tick: 0 }, 'etf', '1d'));
    expect(one).not.toBeNull();
    expect(two).not.toBeNull();
    const runs = (t: Float64Array): number[] => [t[0]!, t[1]! - t[0]!, t.length];
    expect(fromFastClock(one!, 'runs', runs)).toEqual(runs(one!.ts));
    expect(fromFastClock(two!, 'runs', runs)).toEqual(runs(two!.ts));
    expect(fromFastClock(two!, 'runs', runs)).not.toEqual(runs(one!.ts));
  });
});
