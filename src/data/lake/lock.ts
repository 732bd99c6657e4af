/**
 * Per-partition write locks for the lake. Two processes (two shells, a shell and a headless run)
 * writing one partition would both read manifest version n and both append n+1; the lock makes the
 * read-modify-write of a partition one critical section.
 *
 * The lock is a file `.lock` created with O_EXCL in the partition folder, holding the holder's pid,
 * host, start time and what it is doing, so a waiter can say who holds it. A lock whose holder is
 * a dead process on this host (kill -9) is stale and is taken over. A waiter polls for at most
 * `EDGELAB_LOCK_WAIT_MS` (default 30 s), then fails with a message naming the holder.
 * Hand-written rather than proper-lockfile: that library judges staleness by mtime and cannot
 * name the holder; here the pid is checked directly. Known window: two waiters that both find the
 * same stale lock may both remove it; the O_EXCL create still lets only one of them in per
 * attempt, and a holder re-checks that the lock file is still its own before committing.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { UserError } from '../../core/errors.js';

export const LOCK_FILE = '.lock';

export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
  readonly what: string;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(path: string): LockHolder | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockHolder;
  } catch {
    return undefined; // gone, or being written this instant
  }
}

/** Wait bound for a held lock, in ms. */
export function lockWaitMs(): number {
  const v = Number(process.env['EDGELAB_LOCK_WAIT_MS']);
  return Number.isFinite(v) && v >= 0 ? v : 30_000;
}

function tryCreate(path: string, holder: LockHolder): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    writeSync(fd, JSON.stringify(holder));
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Run `fn` holding the lock of partition folder `dir` (see the file comment). */
export async function withPartitionLock<T>(dir: string, what: string, fn: () => Promise<T>): Promise<T> {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, LOCK_FILE);
  const me: LockHolder = { pid: process.pid, host: hostname(), since: new Date(performance.timeOrigin + performance.now()).toISOString(), what };
  // Wall-clock only for the holder's note and the wait bound; nothing here reaches a result.
  const deadline = performance.now() + lockWaitMs();
  let wait = 10;
  for (;;) {
    if (tryCreate(path, me)) break;
    const holder = readHolder(path);
    if (holder && holder.host === me.host && !alive(holder.pid)) {
      rmSync(path, { force: true }); // stale: its process is gone
      continue;
    }
    if (performance.now() >= deadline) {
      const who = holder ? `pid ${holder.pid} on ${holder.host} (${holder.what}, since ${holder.since})` : 'another process';
      throw new UserError(`lake partition is locked by ${who}; nothing was written — try again when it has finished`, dir);
    }
    await sleep(wait);
    wait = Math.min(wait * 2, 200);
  }
  try {
    return await fn();
  } finally {
    const holder = readHolder(path);
    if (holder && holder.pid === me.pid && holder.since === me.since) rmSync(path, { force: true });
  }
}
