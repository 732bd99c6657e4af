/**
 * A Trader that logs its steps (StepRecording 'log', what `runBacktest` uses) gives the result a
 * Trader writing every series at every step gives: every per-step series value for value
 * (`Object.is`, so −0 and NaN count), every record and total — on the snapshot scenario (three
 * symbols, borrow, funding, stops, limits, a participation cap, drawdown modes and breaches, two
 * models sharing a symbol), with next-open and same-close fills, and with one model alone. A Trader
 * that records nothing ('none', the probes' runs) makes the same decide calls with the same
 * contexts, keeps no trade records, and has no result. The NAV before the orders is logged only
 * where a same-close fill moved it.
 */
import { describe, expect, it } from 'vitest';
import { prepareRun } from '../../src/backtest/engine-setup.js';
import type { BacktestInput, BacktestResult } from '../../src/backtest/types.js';
import { runBacktest, runForDecisions } from '../../src/backtest/engine.js';
import { HistoricalClock } from '../../src/engine/clock.js';
import { StepLog } from '../../src/engine/step-log.js';
import { Account } from '../../src/execution/account.js';
import { Trader, type StepRecording } from '../../src/engine/trader.js';
import type { Model } from '../../src/models/types.js';
import { snapshotScenario } from './snapshot-scenario.js';

function stepped(input: BacktestInput, recording: StepRecording): Trader {
  const prep = prepareRun(input);
  const trader = new Trader(input, prep, undefined, recording);
  const clock = new HistoricalClock(prep.clock.times, prep.clock.offset, 0, prep.kEnd);
  for (let e = clock.next(); e !== null; e = clock.next()) trader.step(e);
  return trader;
}

const SERIES = ['ts', 'nav', 'cash', 'gross', 'net', 'drawdown', 'mode', 'breachCount'] as const;

function expectSameSeries(actual: BacktestResult, expected: BacktestResult): void {
  for (const key of SERIES) {
    const a = actual[key];
    const b = expected[key];
    expect(a.length, key).toBe(b.length);
    for (let i = 0; i < b.length; i++) if (!Object.is(a[i], b[i])) expect.fail(`${key}[${i}]: ${a[i]} ≠ ${b[i]}`);
  }
  expect(actual.models.length).toBe(expected.models.length);
  expected.models.forEach((m, k) => {
    const a = actual.models[k]!.pnl;
    expect(a.length).toBe(m.pnl.length);
    for (let i = 0; i < a.length; i++) if (!Object.is(a[i], m.pnl[i])) expect.fail(`model ${m.name} pnl[${i}]: ${a[i]} ≠ ${m.pnl[i]}`);
  });
  const { ts: _t, nav: _n, cash: _c, gross: _g, net: _ne, drawdown: _d, mode: _m, breachCount: _b, models, ...records } = expected;
  const { ts: _t2, nav: _n2, cash: _c2, gross: _g2, net: _ne2, drawdown: _d2, mode: _m2, breachCount: _b2, models: models2, ...records2 } = actual;
  expect(records2).toEqual(records);
  expect(models2.map(({ pnl: _p, ...rest }) => rest)).toEqual(models.map(({ pnl: _p, ...rest }) => rest));
}

/** Wrap each model so its decide calls are written down: time, step, budget, exposures, the decision. */
function recorded(input: BacktestInput, calls: string[]): BacktestInput {
  const wrap = (model: Model): Model => ({
    ...model,
    decide(ctx) {
      const d = model.decide(ctx);
      calls.push(JSON.stringify([model.name, ctx.t, ctx.barIndex, ctx.budget.value, { ...ctx.exposures }, d]));
      return d;
    },
  });
  return { ...input, models: input.models.map((m) => ({ ...m, model: wrap(m.model) })) };
}

const variants: readonly { name: string; make: (seed: number) => BacktestInput }[] = [
  { name: 'next-open fills', make: (seed) => snapshotScenario(seed) },
  {
    name: 'same-close fills',
    make: (seed) => {
      const input = snapshotScenario(seed);
      return { ...input, config: { ...input.config, execution: { ...input.config.execution, fill: 'same_close' } } };
    },
  },
  {
    name: 'one model alone',
    make: (seed) => {
      const input = snapshotScenario(seed);
      return { ...input, models: [{ ...input.models[1]!, budget: 1 }] };
    },
  },
];

describe("a Trader that logs its steps = a Trader that writes every series", () => {
  for (const v of variants) {
    it(`${v.name}: every series value for value, every record (20 seeds)`, () => {
      let modeChanges = 0;
      let breaches = 0;
      let sameStepCashMoves = 0;
      for (let seed = 1; seed <= 20; seed++) {
        const input = v.make(seed);
        const expected = stepped(input, 'series').finish();
        const logged = stepped(input, 'log').finish();
        expectSameSeries(logged, expected);
        // runBacktest is the logging Trader
        expectSameSeries(runBacktest(input), expected);
        for (let i = 1; i < expected.mode.length; i++) if (expected.mode[i] !== expected.mode[i - 1]) modeChanges++;
        breaches += expected.breaches.length;
        for (let i = 1; i < expected.cash.length; i++) if (expected.cash[i] !== expected.cash[i - 1]) sameStepCashMoves++;
      }
      // the scenarios do move the mode, breach limits and move cash (not a comparison of empty logs)
      expect(modeChanges).toBeGreaterThan(0);
      expect(breaches).toBeGreaterThan(0);
      expect(sameStepCashMoves).toBeGreaterThan(100);
    });
  }

  it('a change the log does not see would show: altering one logged cash moves the derived cash series', () => {
    const input = snapshotScenario(3);
    const trader = stepped(input, 'log');
    const log = (trader as unknown as { stepLog: { changes: { rows: number; chunk(r: number): Float64Array; offset(r: number): number } } }).stepLog.changes;
    expect(log.rows).toBeGreaterThan(2);
    log.chunk(1)[log.offset(1) + 1]! += 1; // the cash of the second change row
    const altered = trader.finish();
    const expected = stepped(input, 'series').finish();
    expect(() => expectSameSeries(altered, expected)).toThrow(/cash/);
  });

  it('the NAV before the orders is logged only where a fill at the close moved it', () => {
    const preRows = (input: BacktestInput): number =>
      (stepped(input, 'log') as unknown as { stepLog: { navBeforeOrders: { rows: number } } }).stepLog.navBeforeOrders.rows;
    const [nextOpen, sameClose] = [variants[0]!, variants[1]!];
    let sameCloseRows = 0;
    for (const seed of [1, 2, 3]) {
      // next-open orders change the broker but not cash or positions at the close: nothing to log
      expect(preRows(nextOpen.make(seed))).toBe(0);
      sameCloseRows += preRows(sameClose.make(seed));
    }
    // the same-close runs (whose drawdown the tests above check value for value) do log them
    expect(sameCloseRows).toBeGreaterThan(0);
  });

  it("run steps its own clock unchecked and checks any other: a copy of the run's times gives the same result, shifted ones throw", () => {
    const input = snapshotScenario(4);
    const prep = prepareRun(input);
    const own = new Trader(input, prep, undefined, 'log');
    own.run(new HistoricalClock(prep.clock.times, prep.clock.offset, 0, prep.kEnd));
    const expected = own.finish();
    expectSameSeries(expected, stepped(input, 'series').finish());
    // another array with the same times: not the run's own clock, so every event goes through step's check
    const copy = new Trader(input, prepareRun(input), undefined, 'log');
    copy.run(new HistoricalClock(Float64Array.from(prep.clock.times), prep.clock.offset, 0, prep.kEnd));
    expectSameSeries(copy.finish(), expected);
    const shifted = new Trader(input, prepareRun(input), undefined, 'log');
    expect(() => shifted.run(new HistoricalClock(prep.clock.times.map((t) => t + 1), prep.clock.offset, 0, prep.kEnd))).toThrow(/is not the clock's close/);
    const stepping = new Trader(input, prepareRun(input), undefined, 'log');
    expect(() => stepping.step({ t: prep.clock.times[0]! + prep.clock.offset + 1, step: 0 })).toThrow(/is not the clock's close/);
  });

  it('the account counts every change of cash or a position (a logging Trader compares its last row only then)', () => {
    const account = new Account(['A'], [{ lotSize: 0.001, minQty: 0, minNotional: 0 }], 1000);
    const moves: [string, () => void][] = [
      ['fill', () => account.applyFill(0, 2, 10, 0.5, 0, 0, 1)],
      ['funding', () => account.applyFunding(0, -1.25)],
      ['borrow', () => account.applyBorrow(0, 0.25)],
      ['write-off', () => account.writeOff(0, 3)],
      ['reconciled cash', () => account.reconcileCash(990)],
      ['reconciled position', () => account.reconcilePosition(0, 1)],
    ];
    for (const [name, move] of moves) {
      const before = account.changes;
      move();
      expect(account.changes, name).toBe(before + 1);
    }
  });

  it('a NaN cash or position is logged again at the next step (note tells the Trader to compare again)', () => {
    const log = new StepLog(2);
    expect(log.note(0, { cash: 100, position: Float64Array.of(1, 2) })).toBe(true);
    expect(log.note(1, { cash: 100, position: Float64Array.of(1, 2) })).toBe(true);
    expect(log.changes.rows).toBe(1);
    expect(log.note(2, { cash: NaN, position: Float64Array.of(1, 2) })).toBe(false);
    expect(log.note(3, { cash: NaN, position: Float64Array.of(1, 2) })).toBe(false);
    expect(log.note(4, { cash: 100, position: Float64Array.of(1, NaN) })).toBe(false);
    expect(log.note(5, { cash: 100, position: Float64Array.of(1, NaN) })).toBe(false);
    expect(log.changes.rows).toBe(5);
  });

  it("a Trader recording 'none' makes the same decide calls and has no result", () => {
    for (const v of variants) {
      for (const seed of [2, 5, 11]) {
        const full: string[] = [];
        const none: string[] = [];
        stepped(recorded(v.make(seed), full), 'series').finish();
        runForDecisions(recorded(v.make(seed), none));
        expect(none.length).toBeGreaterThan(0);
        expect(none).toEqual(full);
      }
    }
    const trader = stepped(snapshotScenario(1), 'none');
    expect(() => trader.finish()).toThrow(/records nothing/);
    // no trade records (the fills are rows of numbers, made into records only if read)
    expect(trader.broker.fills.length).toBeGreaterThan(0);
    expect(trader.broker.account.trades.closed).toEqual([]);
  });
});
