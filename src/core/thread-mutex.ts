/**
 * One lock shared by every thread of the process around results-database work.
 *
 * DuckDB refuses a second *process* on a database file, but two threads of one process can both
 * open it (the file lock is per process), and two instances writing one file corrupt it. The shell
 * runs jobs in worker threads (src/shell/jobs), so every open of the results database takes this
 * lock first. The lock is one Int32 in a SharedArrayBuffer: the main thread creates it and hands it
 * to each worker (adoptResultsDbMutex). Waiting uses Atomics.waitAsync, so no thread blocks its
 * event loop while it waits.
 */
import { threadId } from 'node:worker_threads';

let cell: Int32Array | undefined;

/** The lock's shared memory (created on first use in this thread). */
export function resultsDbMutex(): SharedArrayBuffer {
  cell ??= new Int32Array(new SharedArrayBuffer(4));
  return cell.buffer as SharedArrayBuffer;
}

/** Use the lock another thread created (a job worker receives the shell's). */
export function adoptResultsDbMutex(buffer: SharedArrayBuffer): void {
  cell = new Int32Array(buffer);
}

/** Atomics.waitAsync (Node ≥ 16; not yet in this project's TypeScript lib). */
const waitAsync = (Atomics as unknown as {
  waitAsync(a: Int32Array, index: number, value: number, timeoutMs: number): { async: boolean; value: Promise<string> | string };
}).waitAsync;

const UNLOCKED = 0;
/** The holder is stored as threadId + 1, so a thread that was ended while holding it can be found. */
const holderMark = (thread: number): number => thread + 1;

/** Run `fn` holding the lock. */
export async function withResultsDbMutex<T>(fn: () => Promise<T>): Promise<T> {
  const lock = new Int32Array(resultsDbMutex());
  const mine = holderMark(threadId);
  for (;;) {
    const holder = Atomics.compareExchange(lock, 0, UNLOCKED, mine);
    if (holder === UNLOCKED) break;
    const wait = waitAsync(lock, 0, holder, 100);
    if (wait.async) await wait.value;
  }
  try {
    return await fn();
  } finally {
    Atomics.store(lock, 0, UNLOCKED);
    Atomics.notify(lock, 0, 1);
  }
}

/** Free the lock if a thread that was ended (a stopped job) still holds it. */
export function releaseIfHeldBy(thread: number): void {
  const lock = new Int32Array(resultsDbMutex());
  if (Atomics.compareExchange(lock, 0, holderMark(thread), UNLOCKED) === holderMark(thread)) Atomics.notify(lock, 0);
}
