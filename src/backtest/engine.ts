/**
 * `runBacktest`: the thin driver of a backtest (docs/backtest-engine.md "Trader, Broker, Clock"):
 * a historical clock over the run's bar closes, a Trader (engine/trader.ts) and its simulated
 * broker (execution/simulated-broker.ts). Paper and live trading drive the same Trader with another
 * clock and broker.
 */
import { HistoricalClock } from '../engine/clock.js';
import { Trader } from '../engine/trader.js';
import { prepareRun } from './engine-setup.js';
import type { BacktestInput, BacktestResult } from './types.js';

export function runBacktest(input: BacktestInput): BacktestResult {
  const prep = prepareRun(input);
  const trader = new Trader(input, prep);
  const clock = new HistoricalClock(prep.clock.times, prep.clock.offset, 0, prep.kEnd);
  for (let e = clock.next(); e !== null; e = clock.next()) trader.step(e);
  return trader.finish();
}
