/**
 * The job worker (a piscina worker thread): it loads the command registry once, then runs each
 * job's line through its own Dispatcher on a session rebuilt from the snapshot the shell sent.
 * Progress and log lines go back over the job's MessagePort as they happen; a 'cancel' message on
 * that port aborts the job's signal. The outcome carries the result and what the job changed,
 * with the new datasets' buffers transferred rather than copied.
 */
import { performance } from 'node:perf_hooks';
import { threadId, type MessagePort } from 'node:worker_threads';
import { move } from 'piscina';
import { loadRegistry } from '../registry.js';
import { Dispatcher } from '../dispatcher.js';
import { adoptResultsDbMutex } from '../../core/thread-mutex.js';
import type { Progress } from '../command.js';
import { changesSince, datasetBuffers, markOf, sessionFrom, type SessionSnapshot } from './snapshot.js';
import type { ConfirmAnswer, JobOutcome, JobMessage } from './protocol.js';

const isAnswer = (m: unknown): m is ConfirmAnswer => typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'answer';

export interface JobTask {
  readonly line: string;
  readonly snapshot: SessionSnapshot;
  readonly port: MessagePort;
  /** The process-wide results-database lock (core/thread-mutex.ts). */
  readonly dbMutex: SharedArrayBuffer;
  /** The shell can ask the person (a foreground line in the TUI): the job's commands get io.confirm. */
  readonly canConfirm?: boolean;
}

// Loaded while the worker starts (before its first job), so a job does not pay for the imports.
const registry = await loadRegistry();

/** Progress is sent at most this often (the shell draws a few frames a second). */
const PROGRESS_EVERY_MS = 50;

export default async function runJob(task: JobTask): Promise<unknown> {
  adoptResultsDbMutex(task.dbMutex);
  const started = performance.now();
  const session = sessionFrom(task.snapshot);
  const mark = markOf(session);
  const dispatcher = new Dispatcher(session, registry);
  const controller = new AbortController();
  const send = (m: JobMessage): void => task.port.postMessage(m);
  send({ type: 'thread', threadId });
  const answers = new Map<number, (yes: boolean) => void>();
  let asked = 0;
  task.port.on('message', (m: unknown) => {
    if (m === 'cancel') controller.abort();
    else if (isAnswer(m)) answers.get(m.id)?.(m.yes);
  });
  // A question goes to the shell thread, which owns the screen, and waits for its answer there.
  const confirm = (question: string): Promise<boolean> =>
    new Promise((resolveAnswer) => {
      const id = ++asked;
      answers.set(id, (yes) => { answers.delete(id); resolveAnswer(yes); });
      send({ type: 'confirm', id, question });
    });
  let lastProgress = 0;
  let pending: Progress | undefined;
  const executed = await dispatcher.execute(task.line, {
    signal: controller.signal,
    onProgress: (progress) => {
      const now = performance.now();
      pending = progress;
      if (now - lastProgress < PROGRESS_EVERY_MS) return;
      lastProgress = now;
      pending = undefined;
      send({ type: 'progress', progress });
    },
    onLog: (message) => send({ type: 'log', message }),
    ...(task.canConfirm ? { confirm } : {}),
  });
  if (pending) send({ type: 'progress', progress: pending });
  task.port.close();
  const changes = changesSince(session, mark);
  const outcome: JobOutcome = {
    result: executed.result,
    args: executed.args,
    command: executed.command,
    durationMs: performance.now() - started,
    changes,
  };
  const buffers = datasetBuffers(changes.datasets);
  return move({ [Symbol.for('Piscina.transferable')]: buffers, [Symbol.for('Piscina.valueOf')]: outcome } as never);
}
