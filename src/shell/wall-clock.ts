/**
 * The wall clock as an engine Scheduler (engine/clock.ts): the shell layer's time for paced replays
 * and the paper loop. Only the shell, the TUI and the CLI read the wall clock; the engine gets it
 * injected.
 */
import type { Scheduler } from '../engine/clock.js';

export const wallScheduler: Scheduler = {
  now: () => Date.now(),
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms))),
};
