/**
 * Pause and resume requests to a running paper loop (docs/paper.md "Control"): `paper pause`,
 * `paper resume` and the dashboard's keys write control.json atomically; the loop reads it at a
 * bounded rate. The kill switch is a file of its own (KILL): its presence halts the loop, so it
 * works even when nothing else can talk to the process.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { writeAtomic, type PaperPaths } from './files.js';

export interface PaperControl {
  readonly paused: boolean;
}

export function readControl(paths: PaperPaths): PaperControl {
  if (!existsSync(paths.control)) return { paused: false };
  try {
    const c = JSON.parse(readFileSync(paths.control, 'utf8')) as Partial<PaperControl>;
    return { paused: c.paused === true };
  } catch {
    return { paused: false };
  }
}

export function writeControl(paths: PaperPaths, control: PaperControl): void {
  writeAtomic(paths.control, JSON.stringify(control));
}

/** Engage the kill switch of one session: create its KILL file (its content says why). */
export function engageKill(paths: PaperPaths, reason: string): void {
  writeFileSync(paths.kill, `${reason}\n`);
}
