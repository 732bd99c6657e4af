/**
 * Running command lines for the TUI: one job at a time through the dispatcher, with its own
 * AbortController (Ctrl+C), its log messages and progress buffered and flushed on a timer so the
 * screen redraws a few times per second however fast a job reports (TUI.md: throttled rendering).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Progress } from '../shell/command.js';
import type { Dispatcher, Executed } from '../shell/dispatcher.js';
import { failed } from '../core/result.js';
import { messageOf } from '../core/errors.js';
import { emptyPanes, reducePanes, type PaneState } from './pane-state.js';
import type { LogEntry } from './log-lines.js';
import type { LiveBoard } from '../shell/live-board.js';

/**
 * What the TUI needs from the dispatcher (tests pass a fake with the same shape). `jobs` and
 * `isImmediate` are optional so a fake without background jobs still works.
 */
export type ShellDispatcher = Pick<Dispatcher, 'execute' | 'session' | 'registry'> & Partial<Pick<Dispatcher, 'jobs' | 'isImmediate'>>;

export interface Job {
  readonly line: string;
  /** Wall-clock start (the shell layer may read the clock; the engine never does). */
  readonly startedAt: number;
  readonly cancelling: boolean;
}

/** The latest live leaderboard a foreground job reported (kept after it ends, until the next line runs). */
export interface LiveBoardView {
  readonly board: LiveBoard;
  /** The progress fraction reported with it. */
  readonly fraction?: number;
  /** Wall-clock start of its job. */
  readonly startedAt: number;
  /** Once the job has ended: its status and how long it took. */
  readonly ended?: { readonly status: string; readonly elapsedSeconds: number };
}

export interface ShellView {
  readonly entries: readonly LogEntry[];
  readonly board: LiveBoardView | undefined;
  readonly panes: PaneState;
  readonly job: Job | undefined;
  readonly progress: Progress | undefined;
  /** Advances on every throttled tick while a job runs (spinner frame, elapsed time). */
  readonly tick: number;
  /**
   * Queue a line and start running the queue if idle. Lines run one at a time, in order (typed
   * ahead, pasted, or the startup lines). Returns true when the line waits behind a running job.
   */
  submit(line: string): boolean;
  /** Abort the running job and drop the queued lines; false when nothing runs. */
  cancel(): boolean;
  /** Background jobs still running, oldest first (drawn on the job line between commands). */
  readonly background: readonly BackgroundJob[];
  /** Cancel the newest running background job; false when none runs. */
  cancelBackground(): boolean;
  /** Is a job running right now (read synchronously, not from the last render). */
  busy(): boolean;
  /** Has the running job been asked to stop? */
  cancelRequested(): boolean;
  /** A yes/no question the running command asks (io.confirm), waiting for `answer`. */
  readonly question: string | undefined;
  /** Answer the open question (the confirm dialog: y → yes; n, Enter, Esc, Ctrl+C → no). */
  answer(yes: boolean): void;
  /** Add lines that did not come from a command (startup banner, console output). */
  note(entry: LogEntry): void;
  clearLog(): void;
}

export interface BackgroundJob {
  readonly label: string;
  readonly line: string;
  readonly fraction?: number;
}

/** How long to wait for a frame to be painted before starting a command. */
const PAINT_MS = 40;

/** Keep the log bounded: the newest entries survive. */
export const MAX_LOG_ENTRIES = 2000;

export interface ShellOptions {
  /** How often progress and job log lines are drawn, in ms. */
  readonly throttleMs: number;
  /** Called after each line has run (the App quits on `exit`). Returning false stops the queue. */
  readonly onExecuted?: (executed: Executed) => boolean | void;
}

export function useShell(dispatcher: ShellDispatcher, { throttleMs, onExecuted }: ShellOptions): ShellView {
  const [entries, setEntries] = useState<readonly LogEntry[]>([]);
  const [panes, setPanes] = useState<PaneState>(emptyPanes);
  const [job, setJob] = useState<Job | undefined>(undefined);
  const [progress, setProgress] = useState<Progress | undefined>(undefined);
  const [tick, setTick] = useState(0);
  const [background, setBackground] = useState<readonly BackgroundJob[]>([]);
  const [board, setBoard] = useState<LiveBoardView | undefined>(undefined);
  const pendingBoard = useRef<{ board: LiveBoard; fraction?: number } | undefined>(undefined);
  const jobStartedAt = useRef(0);
  const [question, setQuestion] = useState<string | undefined>(undefined);
  const pendingAnswer = useRef<((yes: boolean) => void) | undefined>(undefined);
  const controller = useRef<AbortController | undefined>(undefined);
  const pendingProgress = useRef<Progress | undefined>(undefined);
  const pendingLogs = useRef<LogEntry[]>([]);
  const mounted = useRef(true);
  const queue = useRef<string[]>([]);
  const draining = useRef(false);
  const onExecutedRef = useRef(onExecuted);
  onExecutedRef.current = onExecuted;

  useEffect(
    () => () => {
      mounted.current = false;
      pendingAnswer.current?.(false);
      controller.current?.abort();
    },
    [],
  );

  const append = useCallback((more: readonly LogEntry[]) => {
    if (!mounted.current || more.length === 0) return;
    setEntries((prev) => {
      const next = [...prev, ...more];
      return next.length > MAX_LOG_ENTRIES ? next.slice(-MAX_LOG_ENTRIES) : next;
    });
  }, []);

  const flush = useCallback(() => {
    const logs = pendingLogs.current;
    pendingLogs.current = [];
    append(logs);
    const p = pendingProgress.current;
    pendingProgress.current = undefined;
    if (p && mounted.current) setProgress(p);
    const b = pendingBoard.current;
    pendingBoard.current = undefined;
    if (b && mounted.current) setBoard({ ...b, startedAt: jobStartedAt.current });
  }, [append]);

  /** io.confirm of a foreground line: log the question, open the dialog and wait for `answer`. */
  const ask = useCallback(
    (q: string): Promise<boolean> => {
      if (!mounted.current || controller.current?.signal.aborted) return Promise.resolve(false);
      pendingAnswer.current?.(false);
      append([{ kind: 'message', text: `? ${q} [y/N]`, tone: 'warn' }]);
      setQuestion(q);
      return new Promise<boolean>((resolve) => {
        pendingAnswer.current = resolve;
      });
    },
    [append],
  );

  const run = useCallback(
    async (line: string): Promise<Executed | undefined> => {
      if (controller.current) return undefined;
      const ac = new AbortController();
      controller.current = ac;
      append([{ kind: 'command', line }]);
      jobStartedAt.current = Date.now();
      setJob({ line, startedAt: jobStartedAt.current, cancelling: false });
      setProgress(undefined);
      setBoard(undefined);
      pendingBoard.current = undefined;
      const timer = setInterval(() => {
        flush();
        if (mounted.current) setTick((t) => t + 1);
      }, throttleMs);
      // Let Ink draw the echoed line and the job line before a command that may hold the event
      // loop for a while (Ink paints at most every ~33 ms).
      await new Promise((resolve) => setTimeout(resolve, PAINT_MS));
      let executed: Executed;
      try {
        executed = await dispatcher.execute(line, {
          signal: ac.signal,
          onProgress: (p) => {
            pendingProgress.current = p;
            if (p.board) pendingBoard.current = { board: p.board, ...(p.fraction !== undefined ? { fraction: p.fraction } : {}) };
          },
          onLog: (m) => {
            pendingLogs.current.push({ kind: 'message', text: m });
          },
          confirm: ask,
        });
      } catch (err) {
        // The dispatcher promises never to throw; if it does, the shell still survives.
        executed = { line, result: failed(line, `internal error: ${messageOf(err)}`), durationMs: 0, exit: false, args: {}, command: line };
      } finally {
        clearInterval(timer);
        controller.current = undefined;
        pendingProgress.current = undefined;
      }
      flush();
      if (mounted.current) {
        append([{ kind: 'result', result: executed.result, durationMs: executed.durationMs }]);
        setPanes((p) => reducePanes(p, executed));
        setJob(undefined);
        setProgress(undefined);
        const status = executed.result.status;
        setBoard((b) => (b ? { ...b, ended: { status, elapsedSeconds: (Date.now() - b.startedAt) / 1000 } } : b));
      }
      return executed;
    },
    [dispatcher, append, flush, throttleMs, ask],
  );

  const drain = useCallback(async (): Promise<void> => {
    if (draining.current) return;
    draining.current = true;
    try {
      for (let line = queue.current.shift(); line !== undefined && mounted.current; line = queue.current.shift()) {
        const executed = await run(line);
        if (executed && onExecutedRef.current?.(executed) === false) {
          queue.current = [];
          break;
        }
      }
    } finally {
      draining.current = false;
    }
  }, [run]);

  /** A line that answers at once (jobs, cancel) while another line runs: not queued. */
  const runNow = useCallback(
    async (line: string): Promise<void> => {
      append([{ kind: 'command', line }]);
      const executed = await dispatcher.execute(line);
      if (!mounted.current) return;
      append([{ kind: 'result', result: executed.result, durationMs: executed.durationMs }]);
      setPanes((p) => reducePanes(p, executed));
    },
    [dispatcher, append],
  );

  const submit = useCallback(
    (line: string): boolean => {
      const waits = draining.current;
      if (waits && dispatcher.isImmediate?.(line)) {
        void runNow(line);
        return false;
      }
      queue.current.push(line);
      void drain();
      return waits;
    },
    [drain, runNow, dispatcher],
  );

  // Background jobs: their results land in the log and the panes when they end; while any runs,
  // the job line shows them (redrawn on the throttle timer, not on every progress message).
  useEffect(() => {
    const jobs = dispatcher.jobs;
    if (!jobs) return undefined;
    const snapshot = (): BackgroundJob[] =>
      jobs.running().filter((j) => j.id !== undefined).map((j) => ({ label: j.label, line: j.line, ...(j.progress?.fraction !== undefined ? { fraction: j.progress.fraction } : {}) }));
    let timer: NodeJS.Timeout | undefined;
    const unsubscribe = jobs.subscribe((e) => {
      if (e.job.id === undefined || e.type === 'progress' || !mounted.current) return;
      if (e.type === 'end') {
        const end = e.job.end!;
        append([
          { kind: 'message', text: `${e.job.label} ${end.result.status}: ${e.job.line}`, tone: end.result.status === 'ok' ? 'info' : 'warn' },
          { kind: 'result', result: end.result, durationMs: end.durationMs },
          ...end.logs.map((m): LogEntry => ({ kind: 'message', text: m })),
        ]);
        setPanes((p) => reducePanes(p, { line: e.job.line, result: end.result }));
      }
      setBackground(snapshot());
      if (jobs.running().some((j) => j.id !== undefined)) {
        timer ??= setInterval(() => {
          if (mounted.current) setBackground(snapshot());
        }, throttleMs);
      } else if (timer) {
        clearInterval(timer);
        timer = undefined;
      }
    });
    return () => {
      unsubscribe();
      if (timer) clearInterval(timer);
    };
  }, [dispatcher, append, throttleMs]);

  const cancelBackground = useCallback((): boolean => {
    const running = dispatcher.jobs?.running().filter((j) => j.id !== undefined && !j.cancelRequested()) ?? [];
    const job = running[running.length - 1];
    if (!job) return false;
    job.controller.abort();
    append([{ kind: 'message', text: `Ctrl+C: cancelling ${job.label} ${job.line}`, tone: 'warn' }]);
    return true;
  }, [dispatcher, append]);

  const cancel = useCallback((): boolean => {
    const ac = controller.current;
    if (!ac) return false;
    if (pendingAnswer.current) {
      // Ctrl+C while the confirm dialog is open answers no.
      const resolve = pendingAnswer.current;
      pendingAnswer.current = undefined;
      setQuestion(undefined);
      append([{ kind: 'message', text: 'Ctrl+C — not confirmed', tone: 'warn' }]);
      resolve(false);
    }
    if (!ac.signal.aborted) {
      const dropped = queue.current.length;
      queue.current = [];
      ac.abort();
      setJob((j) => (j ? { ...j, cancelling: true } : j));
      const also = dropped ? ` (and dropping ${dropped} queued line${dropped === 1 ? '' : 's'})` : '';
      append([{ kind: 'message', text: `Ctrl+C: cancelling…${also}`, tone: 'warn' }]);
    }
    return true;
  }, [append]);

  const answer = useCallback(
    (yes: boolean): void => {
      const resolve = pendingAnswer.current;
      if (!resolve) return;
      pendingAnswer.current = undefined;
      setQuestion(undefined);
      append([{ kind: 'message', text: `${yes ? 'y' : 'N'} — ${yes ? 'confirmed' : 'not confirmed'}`, tone: yes ? 'info' : 'warn' }]);
      resolve(yes);
    },
    [append],
  );

  const busy = useCallback(() => controller.current !== undefined || draining.current, []);
  const cancelRequested = useCallback(() => controller.current?.signal.aborted === true, []);
  const note = useCallback((entry: LogEntry) => append([entry]), [append]);
  const clearLog = useCallback(() => setEntries([]), []);

  return { question, answer, entries, board, panes, job, progress, tick, submit, cancel, busy, cancelRequested, note, clearLog, background, cancelBackground };
}
