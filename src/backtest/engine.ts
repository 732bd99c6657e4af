/**
 * `runBacktest`: the thin driver of a backtest (docs/backtest-engine.md "Trader, Broker, Clock"):
 * a historical clock over the run's bar closes, a Trader (engine/trader.ts) and its simulated
 * broker (execution/simulated-broker.ts). Paper and live trading drive the same Trader with another
 * clock and broker.
 *
 * The Trader logs its steps (StepRecording 'log'): the result's per-step series other than the NAV
 * are derived when first read (engine/step-log.ts), the values a Trader writing every series at
 * every step records.
 */
import { throwIfAborted } from '../core/errors.js';
import { HistoricalClock } from '../engine/clock.js';
import { Trader, type StepRecording } from '../engine/trader.js';
import { stepDecisions } from '../engine/decisions.js';
import { prepareRun } from './engine-setup.js';
import type { BacktestInput, BacktestResult } from './types.js';

function stepThrough(input: BacktestInput, recording: StepRecording): Trader {
  const prep = prepareRun(input);
  const trader = new Trader(input, prep, undefined, recording);
  const clock = new HistoricalClock(prep.clock.times, prep.clock.offset, 0, prep.kEnd);
  trader.run(clock);
  return trader;
}

export function runBacktest(input: BacktestInput): BacktestResult {
  return stepThrough(input, 'log').finish();
}

/**
 * Run the backtest for its models' decisions alone: every decide call happens as in `runBacktest`
 * (same inputs, same order, same context), but nothing is recorded per step and no fill or trade
 * record is kept (StepRecording 'none'), so there is no result; progress is reported as by
 * `runBacktest`, to its end. The bias probes' runs read only the
 * signal traces their models' wrappers write (probes.ts `traceModel`). Input errors are thrown as
 * `runBacktest` throws them.
 */
export function runForDecisions(input: BacktestInput): void {
  const trader = stepThrough(input, 'none');
  throwIfAborted(input.signal);
  trader.reportDone();
}

/**
 * `runForDecisions` without the book (engine/decisions.ts): the same decide calls where no model reads
 * its budget's value or its exposures; a model that reads either ends it with `BookReadError`, after
 * which the caller makes the run with `runForDecisions` (with fresh models and traces: the aborted
 * run's decide calls have happened).
 */
export function runDecisionsWithoutBook(input: BacktestInput): void {
  stepDecisions(input, prepareRun(input));
}
