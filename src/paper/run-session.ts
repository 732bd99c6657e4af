/**
 * Running a paper loop for a command (`paper start`, `paper resume-from`): the wall-clock
 * scheduler, progress at a bounded rate, the cancel signal, and the result blocks at the end.
 */
import { ok, type CommandResult } from '../core/result.js';
import type { CommandIO } from '../shell/command.js';
import { wallScheduler } from '../shell/wall-clock.js';
import type { Scheduler } from '../engine/clock.js';
import { headBlocks, headLine } from './report.js';
import type { PaperLoop } from './loop.js';
import type { LiveSource } from './live-source.js';

export interface RunSessionOptions {
  readonly bars?: number;
  readonly checkpointEvery?: number;
  readonly scheduler?: Scheduler;
  /** A live feed (live-start.ts): the loop waits for its bars at the end of the data. */
  readonly live?: LiveSource;
}

export async function runSession(loop: PaperLoop, io: CommandIO, o: RunSessionOptions = {}): Promise<CommandResult> {
  const out = await loop.run({
    scheduler: o.scheduler ?? wallScheduler,
    signal: io.signal,
    ...(o.bars !== undefined ? { bars: o.bars } : {}),
    ...(o.checkpointEvery !== undefined ? { checkpointEvery: o.checkpointEvery } : {}),
    ...(o.live ? { live: o.live } : {}),
    onCommit: (head) => io.progress({ label: `paper ${head.id} ${head.mode}`, fraction: head.totalBars > 0 ? head.bars / head.totalBars : 0, rate: `NAV ${head.nav.toFixed(2)}` }),
  });
  return ok(`paper ${loop.spec.id}`, headBlocks(out.head, out.result), headLine(out.head));
}
