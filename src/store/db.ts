/**
 * Short-lived DuckDB connections to the results database. DuckDB lets ONE process open a database
 * file at a time (even read-only opens are refused while another process holds it; STACK.md), so
 * every operation opens the file, does its work and closes it again: two shells on the same file
 * only meet during a write, and then the second one retries briefly and otherwise gets one clear
 * message — never a crash, never a half-written file (writes are single transactions).
 */
import { mkdirSync, existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { duckdb } from '../core/duckdb-lazy.js';
import { UserError, messageOf } from '../core/errors.js';
import { withResultsDbMutex } from '../core/thread-mutex.js';

export interface DbOptions {
  /** Create the file (and its folder) when missing. Read operations pass false. @default true */
  readonly create?: boolean;
  /** Longest total wait for a database another process holds, in ms. @default EDGELAB_DB_WAIT_MS, else 30 000 */
  readonly maxWaitMs?: number;
  /** Most attempts to open a held database, the first included. @default no bound but the wait */
  readonly attempts?: number;
  /** First wait between attempts in ms (doubles, at most 500). @default 50 */
  readonly waitMs?: number;
}

const LOCK_RE = /Could not set lock on file "?([^"]*?)"?: Conflicting lock is held in (.*?) \(PID (\d+)\)/;

/** Turn DuckDB's lock error into a UserError naming the other process; undefined for other errors. */
export function lockError(err: unknown, path: string): UserError | undefined {
  const m = LOCK_RE.exec(messageOf(err));
  if (!m) return undefined;
  return new UserError(
    `results database is in use by another process (pid ${m[3]}, ${m[2]}); nothing was written — close that shell and run again, or pass a different --db`,
    path,
  );
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * A DuckDB file starts with three 4 KiB blocks (the main header and two database headers; DuckDB's
 * storage format, `Storage::FILE_HEADER_SIZE` × 3). A shorter file is one another process is creating
 * this moment: DuckDB creates the file before it writes the headers, and a process that opens it in
 * between is told "not a valid DuckDB database file" (three headless runs started at once on a new
 * data root met it; test/reliability/store-concurrency.test.ts). Such a file is waited for, like a lock.
 */
const DUCKDB_HEADER_BYTES = 3 * 4096;
/** How long a file shorter than the headers may stay so before it counts as broken: creation takes milliseconds. */
const CREATING_WAIT_MS = 2_000;

/** The file's size in bytes; 0 when it does not exist (yet, or any more). */
function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/**
 * True when `err` says the file is not a DuckDB database and the file was shorter than DuckDB's
 * headers when the open began or still is. Both are asked: the creator may write its headers
 * between our open reading the short file and our look at its size, and then only the size
 * before the open shows that what we read was a file being created (a missing file counts as 0:
 * the creator's own open failed and removed it; try again).
 */
function beingCreated(err: unknown, path: string, sizeBeforeOpen: number): boolean {
  if (!/not a valid DuckDB database file/.test(messageOf(err))) return false;
  return sizeBeforeOpen < DUCKDB_HEADER_BYTES || sizeOf(path) < DUCKDB_HEADER_BYTES;
}

/** Default bound on waiting for a results database held by another process. */
function dbWaitMs(): number {
  const v = Number(process.env['EDGELAB_DB_WAIT_MS']);
  return Number.isFinite(v) && v >= 0 ? v : 30_000;
}

/**
 * Open, run `fn` with a connection, close. Lock conflicts are retried, then reported clearly.
 * Threads of this process take turns (core/thread-mutex.ts): DuckDB's file lock only keeps other
 * processes out. `fn` must not open the database again (it would wait for itself).
 */
export function withResultsDb<T>(path: string, fn: (conn: DuckDBConnection) => Promise<T>, opts: DbOptions = {}): Promise<T> {
  return withResultsDbMutex(() => openAndRun(path, fn, opts));
}

async function openAndRun<T>(path: string, fn: (conn: DuckDBConnection) => Promise<T>, opts: DbOptions): Promise<T> {
  const create = opts.create ?? true;
  if (!existsSync(path)) {
    if (!create) throw new UserError('no results database yet: run a backtest first (or pass --db PATH)', path);
    mkdirSync(dirname(path), { recursive: true });
  }
  // Another process holding the file is normal (two shells, parallel headless runs): wait for it
  // with a bound, then fail loudly naming it. The wait is wall-clock only; no result depends on it.
  const maxWaitMs = opts.maxWaitMs ?? dbWaitMs();
  let waitMs = opts.waitMs ?? 50;
  let waited = 0;
  const attempts = opts.attempts ?? Infinity;
  let instance: DuckDBInstance | undefined;
  const { api } = await duckdb();
  for (let a = 1; ; a++) {
    const sizeBeforeOpen = sizeOf(path);
    try {
      instance = await api.DuckDBInstance.create(path);
      break;
    } catch (err) {
      const locked = lockError(err, path);
      const creating = !locked && beingCreated(err, path, sizeBeforeOpen) && waited < Math.min(maxWaitMs, CREATING_WAIT_MS);
      if ((locked || creating) && waited < maxWaitMs && a < attempts) {
        const step = Math.min(waitMs, maxWaitMs - waited);
        await sleep(step);
        waited += step;
        waitMs = Math.min(waitMs * 2, 500);
        continue;
      }
      if (locked) throw new UserError(`${locked.message.replace(`${path}: `, '')} (waited ${Math.round(waited / 100) / 10} s)`, path);
      throw new UserError(`cannot open the results database: ${messageOf(err).split('\n')[0]}`, path);
    }
  }
  const conn = await instance.connect();
  try {
    return await fn(conn);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** Run `fn` inside one transaction: all of it is stored, or none of it. */
export async function inTransaction<T>(conn: DuckDBConnection, fn: () => Promise<T>): Promise<T> {
  await conn.run('BEGIN TRANSACTION');
  try {
    const out = await fn();
    await conn.run('COMMIT');
    return out;
  } catch (err) {
    await conn.run('ROLLBACK');
    throw err;
  }
}
