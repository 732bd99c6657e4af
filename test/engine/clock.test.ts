/**
 * The three clocks. Historical: every close between two steps, in order, one reused event. Replay:
 * the same closes paced by a virtual scheduler (no real sleeping) — at speed 3600 a 1h bar is due
 * every second of scheduler time — or all at once at Infinity. Live: closes pushed by a feed are
 * emitted once the injected time has reached them, in time order, duplicates dropped. And a Trader
 * driven by a replay clock gives the same result as the backtest.
 */
import { describe, expect, it } from 'vitest';
import { prepareRun } from '../../src/backtest/engine-setup.js';
import { runBacktest } from '../../src/backtest/engine.js';
import { resultDigest } from '../../src/backtest/engine-digest.js';
import { HistoricalClock, LiveClock, ReplayClock, runClock, type Scheduler } from '../../src/engine/clock.js';
import { Trader } from '../../src/engine/trader.js';
import { snapshotScenario } from './snapshot-scenario.js';

const HOUR = 3_600_000;

/** A scheduler whose time moves only when something sleeps. */
function virtualScheduler(start = 0): Scheduler & { slept: number[] } {
  let now = start;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

describe('clocks', () => {
  it('historical: steps from..to with their times, then done', () => {
    const times = Float64Array.of(0, 10, 20, 30, 40);
    const c = new HistoricalClock(times, 5, 1, 3);
    const seen: number[][] = [];
    for (let e = c.next(); e !== null; e = c.next()) seen.push([e.step, e.t]);
    expect(seen).toEqual([[1, 15], [2, 25], [3, 35]]);
    expect(c.done).toBe(true);
  });

  it('replay at 3600×: a 1h bar every virtual second, the waits add up to the span / speed', async () => {
    const times = Float64Array.from({ length: 6 }, (_, i) => i * HOUR);
    const sched = virtualScheduler(1_000_000);
    const c = new ReplayClock(times, 0, 0, 5, 3600, sched);
    const at: number[] = [];
    await runClock(c, () => at.push(sched.now() - 1_000_000));
    expect(at).toEqual([0, 1000, 2000, 3000, 4000, 5000]);
    expect(sched.slept.reduce((a, b) => a + b, 0)).toBe(5000);
  });

  it('replay as fast as possible never sleeps', async () => {
    const sched = virtualScheduler();
    const c = new ReplayClock(Float64Array.of(0, HOUR, 2 * HOUR), 0, 0, 2, Infinity, sched);
    let n = 0;
    await runClock(c, () => n++);
    expect([n, sched.slept.length]).toEqual([3, 0]);
  });

  it('live: pushed closes come out in time order once the time source reaches them; duplicates and stale ones dropped', async () => {
    const sched = virtualScheduler(0);
    const c = new LiveClock(sched, 1000);
    c.push(3000);
    c.push(1000);
    c.push(1000);
    expect(c.next()).toBeNull(); // now = 0: nothing due yet
    const seen: number[] = [];
    const done = runClock(c, (e) => {
      seen.push(e.t);
      if (e.t === 3000) {
        c.push(2000); // older than what was emitted: dropped
        c.push(4000);
        c.end();
      }
    });
    await done;
    expect(seen).toEqual([1000, 3000, 4000]);
    expect(sched.now()).toBeGreaterThanOrEqual(4000);
  });

  it('a Trader driven by a replay clock gives the backtest result', async () => {
    const input = snapshotScenario(3);
    const prep = prepareRun(input);
    const trader = new Trader(input, prep);
    const clock = new ReplayClock(prep.clock.times, prep.clock.offset, 0, prep.kEnd, 86_400, virtualScheduler());
    await runClock(clock, (e) => trader.step(e));
    expect(resultDigest(trader.finish())).toBe(resultDigest(runBacktest(input)));
  });
});
