/**
 * The jobs of one shell: background lines (`CMD &`, numbered 1, 2, … in the order they were
 * typed, so a script's `wait 2` always means its second `&` line) and the foreground line while it
 * runs in a worker (shown as `fg`). Each job has its own AbortController, its latest progress and,
 * once it ends, its result. Listeners hear about every start, progress step and end (the TUI redraws
 * from them; results land in the log when a job ends).
 */
import { performance } from 'node:perf_hooks';
import type { Progress } from '../command.js';
import type { CommandResult, ResultStatus } from '../../core/result.js';

export type JobState = 'running' | ResultStatus;

export interface JobEnd {
  readonly result: CommandResult;
  readonly durationMs: number;
  /** Log lines the job wrote (where a run was stored, which engine ran). */
  readonly logs: readonly string[];
}

export class Job {
  /** 1, 2, … for background jobs; undefined for the foreground line. */
  readonly id: number | undefined;
  /** The line as typed (with its `&`). */
  readonly line: string;
  readonly startedMs = performance.now();
  readonly controller = new AbortController();
  progress: Progress | undefined;
  readonly logs: string[] = [];
  private ending: JobEnd | undefined;
  private endedMs: number | undefined;
  private readonly settled: Promise<JobEnd>;
  private resolveSettled!: (end: JobEnd) => void;

  constructor(id: number | undefined, line: string) {
    this.id = id;
    this.line = line;
    this.settled = new Promise((r) => (this.resolveSettled = r));
  }

  get state(): JobState {
    return this.ending?.result.status ?? 'running';
  }

  get end(): JobEnd | undefined {
    return this.ending;
  }

  get label(): string {
    return this.id === undefined ? 'fg' : `[${this.id}]`;
  }

  /** Seconds since it started, or how long it ran. */
  elapsedSeconds(now = performance.now()): number {
    return ((this.endedMs ?? now) - this.startedMs) / 1000;
  }

  cancelRequested(): boolean {
    return this.controller.signal.aborted;
  }

  /** Resolves when the job has ended and its result has been applied to the session. */
  whenDone(): Promise<JobEnd> {
    return this.settled;
  }

  finish(end: JobEnd): void {
    if (this.ending) return;
    this.ending = end;
    this.endedMs = performance.now();
    this.resolveSettled(end);
  }
}

export type JobEvent = { readonly type: 'start' | 'progress' | 'end'; readonly job: Job };

export class JobTable {
  private readonly all: Job[] = [];
  private nextId = 1;
  private readonly listeners = new Set<(e: JobEvent) => void>();

  /** A new job: numbered when it runs in the background. */
  start(line: string, background: boolean): Job {
    const job = new Job(background ? this.nextId++ : undefined, line);
    if (background) this.all.push(job);
    else {
      // Only the running foreground line is listed.
      const i = this.all.findIndex((j) => j.id === undefined);
      if (i >= 0) this.all.splice(i, 1);
      this.all.push(job);
    }
    this.emit({ type: 'start', job });
    return job;
  }

  progress(job: Job, progress: Progress): void {
    job.progress = progress;
    this.emit({ type: 'progress', job });
  }

  finish(job: Job, end: JobEnd): void {
    job.finish(end);
    if (job.id === undefined) this.all.splice(this.all.indexOf(job), 1);
    this.emit({ type: 'end', job });
  }

  /** Background jobs (running and finished) and the running foreground line, oldest first. */
  list(): readonly Job[] {
    return [...this.all];
  }

  get(id: number): Job | undefined {
    return this.all.find((j) => j.id === id);
  }

  running(): Job[] {
    return this.all.filter((j) => j.state === 'running');
  }

  /** Wait for every running job to end. */
  async settle(): Promise<void> {
    for (let r = this.running(); r.length > 0; r = this.running()) await Promise.all(r.map((j) => j.whenDone()));
  }

  subscribe(fn: (e: JobEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private emit(e: JobEvent): void {
    for (const fn of this.listeners) fn(e);
  }
}

const tables = new WeakMap<object, JobTable>();

/** The job table of a session (commands reach it through the session they are given). */
export function jobsOf(session: object): JobTable {
  let t = tables.get(session);
  if (!t) tables.set(session, (t = new JobTable()));
  return t;
}
