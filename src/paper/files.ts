/**
 * Where a paper session keeps its state and logs (docs/paper.md "Files"), and the two ways it
 * writes them safely:
 *
 *   <data root>/paper/<id>/spec.json          what was started (model, replay window, speed, broker)
 *                          commits.jsonl      one commit record per bar: step, cash, positions, log lengths
 *                          checkpoint-0|1.bin a full Trader snapshot (atomic, every few hundred bars)
 *                          head.json          the rich state for the dashboard and `paper status`
 *                                             (atomic, at most every poll interval and at each change)
 *                          trades.jsonl       closed round-trip trades
 *                          orders.jsonl       orders placed and fills, in the order they happened
 *                          performance.jsonl  one line per bar: NAV, cash, gross, drawdown, risk mode
 *                          errors.jsonl       broker faults and refused orders, one line each
 *                          venue.jsonl        venue sessions: submits, cancels, fills, order states and
 *                                             account per venue sync, the start of each sync inside a
 *                                             bar and the end of each bar (venue-journal.ts)
 *                          control.json       pause / resume requests (written by commands and the dashboard)
 *                          KILL               kill switch: while it exists the loop does not trade
 *   <data root>/paper/KILL                    kill switch for every paper session
 *
 * Atomic replace (`writeAtomic`): write a temp file beside the target, fsync it, rename it over the
 * target, fsync the folder (POSIX rename is atomic: a reader or a restarted loop sees the old file
 * or the new one, never a torn one). A rename costs about a millisecond here, so the per-bar commit
 * is instead one appended line of commits.jsonl (a single write: a killed process leaves the whole
 * line or none; a torn last line is not valid JSON and is ignored, and its bar is done again). The
 * logs are appended; each commit records every log's length, and a resumed loop cuts every log back
 * to those lengths first, so a line written after the last commit (the process was killed between
 * the two) is written again exactly once.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, renameSync, statSync, truncateSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { redact } from '../core/redact.js';

/** `venue`: a venue session's journal of what the venue did (venue-journal.ts); absent on the sim broker. */
export const LOG_NAMES = ['trades', 'orders', 'performance', 'errors', 'venue'] as const;
export type LogName = (typeof LOG_NAMES)[number];

export interface PaperPaths {
  readonly dir: string;
  readonly spec: string;
  readonly head: string;
  readonly commits: string;
  readonly control: string;
  readonly kill: string;
  readonly killAll: string;
  readonly logs: Readonly<Record<LogName, string>>;
}

export const paperRoot = (dataRoot: string): string => join(dataRoot, 'paper');

export function paperPaths(dataRoot: string, id: string): PaperPaths {
  const dir = join(paperRoot(dataRoot), id);
  return {
    dir,
    spec: join(dir, 'spec.json'),
    head: join(dir, 'head.json'),
    commits: join(dir, 'commits.jsonl'),
    control: join(dir, 'control.json'),
    kill: join(dir, 'KILL'),
    killAll: join(paperRoot(dataRoot), 'KILL'),
    logs: Object.fromEntries(LOG_NAMES.map((n) => [n, join(dir, `${n}.jsonl`)])) as Record<LogName, string>,
  };
}

/**
 * Replace `path` with `data` atomically: temp file, fsync, rename, fsync of the folder. With
 * `durable` false the two fsyncs are left out: the rename is still atomic for a killed process (the
 * page cache outlives it), not for a power cut.
 */
export function writeAtomic(path: string, data: string | Uint8Array, durable = true): void {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    if (durable) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  if (!durable) return;
  const dirFd = openSync(dirname(path), 'r');
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
}

export function readJson<T>(path: string): T | undefined {
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/**
 * The JSON-lines logs of a session, appended through open descriptors. Lines with text pass
 * through `redact` (core/redact.ts), so a key that reached an error message never reaches a file.
 */
export class PaperLogs {
  private readonly fds = new Map<LogName, number>();
  private readonly sizes = new Map<LogName, number>();

  constructor(private readonly paths: PaperPaths) {
    mkdirSync(paths.dir, { recursive: true });
  }

  /** Cut each log back to the length a committed head recorded (lines after it are re-written by the resumed loop). */
  truncateTo(lengths: Readonly<Record<LogName, number>>): void {
    for (const name of LOG_NAMES) {
      const path = this.paths.logs[name];
      const keep = lengths[name] ?? 0;
      if (existsSync(path) && statSync(path).size > keep) truncateSync(path, keep);
    }
  }

  /**
   * Append one record. Every line but the performance log's passes through `redact`; a performance
   * line holds only numbers the Trader computed (redacting them would cost more than the bar).
   */
  append(name: LogName, record: object): void {
    let fd = this.fds.get(name);
    if (fd === undefined) {
      fd = openSync(this.paths.logs[name], 'a');
      this.fds.set(name, fd);
      this.sizes.set(name, statSync(this.paths.logs[name]).size);
    }
    const json = JSON.stringify(record);
    const line = Buffer.from(`${name === 'performance' ? json : redact(json)}\n`);
    writeSync(fd, line);
    this.sizes.set(name, (this.sizes.get(name) ?? 0) + line.length);
  }

  /** Every record of a log (a resumed venue session reads its journal once). */
  readAll<T>(name: LogName): T[] {
    const path = this.paths.logs[name];
    if (!existsSync(path)) return [];
    return readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as T);
  }

  /** Bytes in each log now (what the next head commits). */
  lengths(): Record<LogName, number> {
    const out = {} as Record<LogName, number>;
    for (const name of LOG_NAMES) {
      const known = this.sizes.get(name);
      out[name] = known ?? (existsSync(this.paths.logs[name]) ? statSync(this.paths.logs[name]).size : 0);
    }
    return out;
  }

  /** Make the appended lines durable (called before a head that counts them is committed). */
  sync(): void {
    for (const fd of this.fds.values()) fsyncSync(fd);
  }

  close(): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
  }
}

/** The last `n` records of a JSON-lines log (reads at most the file's last `maxBytes`). */
export function tailJsonl<T>(path: string, n: number, maxBytes = 256 * 1024): T[] {
  if (!existsSync(path)) return [];
  const size = statSync(path).size;
  const from = Math.max(0, size - maxBytes);
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(size - from);
    let read = 0;
    while (read < buf.length) {
      const k = readSyncAt(fd, buf, read, from + read);
      if (k <= 0) break;
      read += k;
    }
    const lines = buf.subarray(0, read).toString('utf8').split('\n');
    if (from > 0) lines.shift(); // a cut first line
    const out: T[] = [];
    for (let i = lines.length - 1; i >= 0 && out.length < n; i--) {
      const l = lines[i]!;
      if (!l) continue;
      try {
        out.push(JSON.parse(l) as T);
      } catch {
        // a line being written right now
      }
    }
    return out.reverse();
  } finally {
    closeSync(fd);
  }
}

function readSyncAt(fd: number, buf: Buffer, offset: number, position: number): number {
  return readSync(fd, buf, offset, buf.length - offset, position);
}
