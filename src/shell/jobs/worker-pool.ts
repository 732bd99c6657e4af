/**
 * Runs job commands in worker threads (a piscina pool), for the interactive shell and for
 * background (`&`) lines. The pool starts its first worker at once so the registry is loaded in
 * that thread while the shell draws its prompt.
 *
 * Cancelling asks the job to stop (its signal aborts at the next check, giving the command's own
 * "cancelled" result); a job that has not answered within CANCEL_GRACE_MS is stopped by ending its
 * thread. Either way the session is left as it was: a job only changes it when it ends (snapshot.ts).
 */
import { MessageChannel } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import type { Piscina } from 'piscina';
import type { Progress } from '../command.js';
import type { Session } from '../session.js';
import { releaseIfHeldBy, resultsDbMutex } from '../../core/thread-mutex.js';
import { snapshotOf } from './snapshot.js';
import type { ConfirmAnswer, JobMessage, JobOutcome } from './protocol.js';

export interface RunJobOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: Progress) => void;
  readonly onLog?: (m: string) => void;
  /** Answer the job's yes/no questions (the TUI's confirm dialog); absent: the job's commands get no io.confirm. */
  readonly confirm?: (question: string) => Promise<boolean>;
}

/** The compiled worker; tests run from src/ and use the build too (workers cannot load .ts). */
export function workerFile(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const compiled = here.includes('/dist/') ? resolve(here, 'worker.js') : resolve(here, '../../../dist/src/shell/jobs/worker.js');
  if (!existsSync(compiled)) throw new Error(`the job worker is not built (${compiled}); run npm run build`);
  return compiled;
}

/** How long to wait, at most, for a finished job's last progress and log messages. */
const DRAIN_MS = 250;

/** How long a cancelled job may take to stop by itself before its thread is ended. */
export const CANCEL_GRACE_MS = 300;

export class JobWorkers {
  private pool: Promise<Piscina> | undefined;
  private readonly threads: number;

  constructor(opts: { threads?: number } = {}) {
    this.threads = Math.max(1, opts.threads ?? 2);
  }

  /** Start the pool (and its first worker) now; later calls are free. */
  warm(): Promise<Piscina> {
    this.pool ??= import('piscina').then(({ Piscina: Pool }) => new Pool({ filename: workerFile(), minThreads: 1, maxThreads: this.threads, idleTimeout: 60_000 }));
    return this.pool;
  }

  /** Run one line in a worker on a snapshot of the session. Rejects with 'stopped' if its thread had to be ended. */
  async run(session: Session, line: string, opts: RunJobOptions = {}): Promise<JobOutcome> {
    const pool = await this.warm();
    const channel = new MessageChannel();
    let thread: number | undefined;
    channel.port1.on('message', (m: JobMessage) => {
      if (m.type === 'progress') opts.onProgress?.(m.progress);
      else if (m.type === 'log') opts.onLog?.(m.message);
      else if (m.type === 'confirm') {
        const ask = opts.confirm ?? ((): Promise<boolean> => Promise.resolve(false));
        void ask(m.question).then((yes) => channel.port1.postMessage({ type: 'answer', id: m.id, yes } satisfies ConfirmAnswer));
      } else thread = m.threadId;
    });
    // The worker closes its end after its last progress and log messages; they arrive before 'close'.
    const drained = new Promise<void>((done) => channel.port1.once('close', () => done()));
    const hardStop = new AbortController();
    let grace: NodeJS.Timeout | undefined;
    const onAbort = (): void => {
      channel.port1.postMessage('cancel');
      grace = setTimeout(() => hardStop.abort(), CANCEL_GRACE_MS);
    };
    if (opts.signal?.aborted) onAbort();
    else opts.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const task = { line, snapshot: snapshotOf(session), port: channel.port2, dbMutex: resultsDbMutex(), canConfirm: opts.confirm !== undefined };
      const outcome = (await pool.run(task, { transferList: [channel.port2], signal: hardStop.signal })) as JobOutcome;
      // The outcome comes back on piscina's own channel and may overtake the job's last messages (its
      // final progress: the live leaderboard's last state): wait for them, bounded, before closing.
      await Promise.race([drained, new Promise<void>((done) => setTimeout(done, DRAIN_MS).unref())]);
      return outcome;
    } catch (err) {
      // An ended thread may have held the results-database lock.
      if (hardStop.signal.aborted && thread !== undefined) releaseIfHeldBy(thread);
      throw err;
    } finally {
      if (grace) clearTimeout(grace);
      opts.signal?.removeEventListener('abort', onAbort);
      channel.port1.close();
    }
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    if (pool) await (await pool).destroy();
  }
}
