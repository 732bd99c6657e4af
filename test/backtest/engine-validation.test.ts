/** Bad input fails fast with one clear message (UserError), broken invariants with InvariantError. */
import { describe, expect, test } from 'vitest';
import { runBacktest } from '../../src/backtest/engine.js';
import { InvariantError, UserError } from '../../src/core/errors.js';
import type { BarFrame } from '../../src/core/table.js';
import { bars, cfg, flat, neutral, scripted, withBudget } from './engine-helpers.js';

const spy = bars('SPY', flat(100, 3));

function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

describe('bad input', () => {
  test('a NaN weight names the model, the symbol and the time', () => {
    const e = thrown(() =>
      runBacktest({ symbols: [spy], models: [withBudget(scripted('trend', ['SPY'], { 1: { weights: { SPY: NaN } } }), 1)], config: cfg(), regimeAt: neutral }),
    );
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toBe("trend: model 'trend' returned NaN weight for SPY at 2021-01-03T00:00:00Z; weights must be finite numbers");
  });
  test('an infinite weight and a weight outside the universe are refused too', () => {
    const inf = thrown(() =>
      runBacktest({ symbols: [spy], models: [withBudget(scripted('m', ['SPY'], { 0: { weights: { SPY: Infinity } } }), 1)], config: cfg(), regimeAt: neutral }),
    );
    expect(inf.message).toContain('returned Infinity weight for SPY');
    const outside = thrown(() =>
      runBacktest({ symbols: [spy], models: [withBudget(scripted('m', ['SPY'], { 0: { weights: { QQQ: 1 } } }), 1)], config: cfg(), regimeAt: neutral }),
    );
    expect(outside.message).toContain("weight for 'QQQ'");
    expect(outside.message).toContain('not in its universe (SPY)');
  });
  test('daily feature series: unequal lengths or known-at times not ascending are refused, also after a good series was checked', () => {
    const run = (ts: number[], values: number[]) => () =>
      runBacktest({ symbols: [spy], models: [withBudget(scripted('m', ['SPY'], {}), 1)], config: cfg(), regimeAt: neutral, daily: new Map([['SPY', new Map([['f', { ts: Float64Array.from(ts), values: Float64Array.from(values) }]])]]) });
    const good = { ts: Float64Array.of(1, 2, 3), values: Float64Array.of(4, 5, 6) };
    const input = { symbols: [spy], models: [withBudget(scripted('m', ['SPY'], {}), 1)], config: cfg(), regimeAt: neutral, daily: new Map([['SPY', new Map([['f', good]])]]) };
    runBacktest(input);
    runBacktest(input); // the same series again (checked once)
    expect(thrown(run([1, 2, 3], [4, 5]))).toBeInstanceOf(InvariantError);
    expect(thrown(run([1, 2, 3], [4, 5]))).toHaveProperty('message', 'daily feature SPY.f: ts and values differ in length');
    expect(thrown(run([1, 3, 2], [4, 5, 6]))).toHaveProperty('message', 'daily feature SPY.f: known-at times not ascending at row 2');
    // the checked series' times with other values of another length: checked again
    expect(thrown(() => runBacktest({ ...input, daily: new Map([['SPY', new Map([['f', { ts: good.ts, values: Float64Array.of(1) }]])]]) }))).toBeInstanceOf(InvariantError);
  });
  test('a daily feature or history of a symbol outside the universe is refused, at every call', () => {
    for (const ask of ['daily', 'history'] as const) {
      let calls = 0;
      const model = {
        name: 'peek', version: '1.0.0', universe: ['SPY'], warmupBars: 1,
        decide(ctx: import('../../src/models/types.js').ModelContext) {
          calls++;
          try {
            if (ask === 'daily') ctx.daily('QQQ', 'sma_200');
            else ctx.history('QQQ', 2);
          } catch (e) {
            if (calls < 3) return null; // the model swallows it: the next call must be refused again
            throw e;
          }
          throw new Error(`${ask} of QQQ was answered at call ${calls}`);
        },
      };
      const e = thrown(() => runBacktest({ symbols: [spy], models: [withBudget(model, 1)], config: cfg(), regimeAt: neutral }));
      expect(e).toBeInstanceOf(UserError);
      expect(e.message).toContain("model 'peek' asked for 'QQQ', which is not in its universe (SPY)");
      expect(calls).toBe(3);
    }
  });
  test('budgets summing above 1 are refused with the sum and the parts', () => {
    const e = thrown(() =>
      runBacktest({
        symbols: [spy],
        models: [withBudget(scripted('a', ['SPY'], {}), 0.6), withBudget(scripted('b', ['SPY'], {}), 0.4), withBudget(scripted('c', ['SPY'], {}), 0.15)],
        config: cfg(),
        regimeAt: neutral,
      }),
    );
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toMatch(/^config backtest\.models: budgets sum to 1\.15 > 1: a 0\.6 \+ b 0\.4 \+ c 0\.15;/);
  });
  test('a regime budget summing above 1 names its key', () => {
    const e = thrown(() =>
      runBacktest({
        symbols: [spy],
        models: [withBudget(scripted('a', ['SPY'], {}), 0.5), withBudget(scripted('b', ['SPY'], {}), 0.5)],
        config: cfg({ regime_budgets: { equity_bear: { a: 0.9 } } }),
        regimeAt: neutral,
      }),
    );
    expect(e.message).toContain('config backtest.regime_budgets.equity_bear: budgets sum to 1.4 > 1');
  });
  test('an unknown regime key lists the valid ones', () => {
    const e = thrown(() =>
      runBacktest({ symbols: [spy], models: [withBudget(scripted('a', ['SPY'], {}), 0.5)], config: cfg({ regime_budgets: { equity_crash: { a: 0.1 } } }), regimeAt: neutral }),
    );
    expect(e.message).toContain("unknown regime key 'equity_crash'");
    expect(e.message).toContain('equity_bear');
  });
  test('a symbol without data is named', () => {
    const e = thrown(() =>
      runBacktest({ symbols: [spy], models: [withBudget(scripted('crypto', ['BTCUSDT'], {}), 0.5)], config: cfg(), regimeAt: neutral }),
    );
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toBe(
      "BTCUSDT: model 'crypto' trades BTCUSDT, but there is no data for BTCUSDT in this backtest (symbols with data: SPY); ingest it and add it to backtest.universe",
    );
  });
  test('an empty dataset is named', () => {
    const e = thrown(() =>
      runBacktest({ symbols: [bars('QQQ', [])], models: [withBudget(scripted('m', ['QQQ'], {}), 0.5)], config: cfg(), regimeAt: neutral }),
    );
    expect(e.message).toContain("symbol QQQ has no bars (dataset 'QQQ:1d' is empty)");
  });
  test('a NaN close in the data is a UserError naming dataset, column and time', () => {
    const bad = bars('SPY', [[100, 100, 100, 100], [100, 100, 100, NaN]]);
    const e = thrown(() => runBacktest({ symbols: [bad], models: [withBudget(scripted('m', ['SPY'], {}), 0.5)], config: cfg(), regimeAt: neutral }));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toBe("SPY: dataset 'SPY:1d' has a NaN close at 2021-01-02T00:00:00Z (row 1); clean the data first");
  });
  test('unsorted timestamps are a broken invariant', () => {
    const good = bars('SPY', flat(100, 3));
    const ts = Float64Array.from((good.bars.columns.ts as Float64Array));
    [ts[1], ts[2]] = [ts[2]!, ts[1]!];
    const frame = { length: 3, columns: { ...good.bars.columns, ts } } as unknown as BarFrame;
    const e = thrown(() =>
      runBacktest({ symbols: [{ ...good, bars: frame }], models: [withBudget(scripted('m', ['SPY'], {}), 0.5)], config: cfg(), regimeAt: neutral }),
    );
    expect(e).toBeInstanceOf(InvariantError);
    expect(e.message).toContain('not strictly ascending at row 2');
  });
  test('halt_at below reduce_at is refused', () => {
    const e = thrown(() =>
      runBacktest({
        symbols: [spy],
        models: [withBudget(scripted('m', ['SPY'], {}), 0.5)],
        config: cfg({ risk: { drawdown: { reduce_at: 0.2, halt_at: 0.1 } } }),
        regimeAt: neutral,
      }),
    );
    expect(e.message).toContain('halt_at 0.1 is below reduce_at 0.2');
  });
  test('a non-positive stop price is refused', () => {
    const e = thrown(() =>
      runBacktest({ symbols: [spy], models: [withBudget(scripted('m', ['SPY'], { 0: { weights: { SPY: 1 }, stops: { SPY: { stop: -5 } } } }), 0.5)], config: cfg(), regimeAt: neutral }),
    );
    expect(e.message).toContain('gave stop -5 for SPY');
  });
  test('progress is reported every checkEvery steps and a cancel mid-run stops at the next check', () => {
    const long = bars('SPY', flat(100, 100));
    const seen: number[] = [];
    const r = runBacktest({
      symbols: [long], models: [withBudget(scripted('m', ['SPY'], {}), 0.5)], config: cfg(), regimeAt: neutral,
      checkEvery: 32, onProgress: (p) => seen.push(p.step),
    });
    expect(r.nav).toHaveLength(100);
    expect(seen).toEqual([0, 32, 64, 96, 100]);
    const ac = new AbortController();
    const steps: number[] = [];
    const e = thrown(() =>
      runBacktest({
        symbols: [long], models: [withBudget(scripted('m', ['SPY'], {}), 0.5)], config: cfg(), regimeAt: neutral, signal: ac.signal,
        checkEvery: 10, onProgress: (p) => { steps.push(p.step); if (p.step >= 20) ac.abort(); },
      }),
    );
    expect(e.name).toBe('CancelledError');
    expect(steps).toEqual([0, 10, 20]);
  });
  test('a cancelled run throws CancelledError', () => {
    const ac = new AbortController();
    ac.abort();
    const e = thrown(() =>
      runBacktest({ symbols: [spy], models: [withBudget(scripted('m', ['SPY'], {}), 0.5)], config: cfg(), regimeAt: neutral, signal: ac.signal }),
    );
    expect(e.name).toBe('CancelledError');
  });
});
