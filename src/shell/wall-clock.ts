/**
 * The wall clock, read only here in the shell layer (engine code never reads the clock; it gets a
 * Scheduler injected) and never part of a result digest:
 *
 *   wallClockIso    records that say when something was decided (lifecycle decisions)
 *   wallScheduler   the engine's Scheduler (engine/clock.ts) for paced replays and the paper loop
 */
import type { Scheduler } from '../engine/clock.js';

export const wallClockIso = (): string => new Date().toISOString();

export const wallScheduler: Scheduler = {
  now: () => Date.now(),
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms))),
};
