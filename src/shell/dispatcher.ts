/**
 * The dispatcher: one line in, one CommandResult out. It parses the line, validates arguments with
 * the command's zod schema, runs the command with a narrow `io`, turns every error into a readable
 * result (the session always survives), records history and writes the transcript record.
 * The TUI, headless runs, replay and tests all go through here.
 */
import { performance } from 'node:perf_hooks';
import type { CommandIO, Progress, AnyCommand } from './command.js';
import type { Session, SessionOutcome } from './session.js';
import type { Registry } from './registry.js';
import type { TranscriptSink } from './transcript.js';
import { type CommandResult, failed, ok, summaryOf, text } from '../core/result.js';
import { UserError, CancelledError, InvariantError, messageOf } from '../core/errors.js';
import { digestOf } from '../core/canonical.js';
import { tokenize, bindArgs, validateArgs } from './parser.js';
import { suggest } from '../core/suggest.js';
import { JobWorkers } from './jobs/worker-pool.js';
import { applyChanges } from './jobs/snapshot.js';
import { jobsOf, type Job, type JobTable } from './jobs/job-table.js';

/** A line ending in ` &` runs in the background. */
const BACKGROUND = /\s*&$/;

/** What running a command gave: its result and, for a worker job, the datasets it changed. */
interface Ran {
  readonly result: CommandResult;
  readonly changed?: Record<string, string>;
}

export interface ExecuteOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: Progress) => void;
  readonly onLog?: (m: string) => void;
  /**
   * Ask the person at the keyboard a yes/no question (the TUI's confirm dialog). Given to commands
   * as `io.confirm`: on this thread directly, in a foreground job's worker over its message port
   * (jobs/worker-pool.ts); background lines never get it.
   */
  readonly confirm?: (question: string) => Promise<boolean>;
}

export interface Executed {
  readonly line: string;
  readonly result: CommandResult;
  readonly durationMs: number;
  /** The user asked to quit (`exit`). */
  readonly exit: boolean;
  /** Parsed arguments (empty when parsing failed). */
  readonly args: Record<string, unknown>;
  readonly command: string;
  /** A background line's job (its record is written when it ends). */
  readonly job?: Job;
}

export interface Resolved {
  readonly def: AnyCommand;
  readonly label: string;
  readonly words: readonly string[];
}

/** The digest of a result as stored in transcripts: title, status and every block. */
export const resultDigest = (r: CommandResult): string => digestOf({ title: r.title, status: r.status, blocks: r.blocks });
export const blockDigests = (r: CommandResult): { kind: string; digest: string }[] =>
  r.blocks.map((b) => ({ kind: b.kind, digest: digestOf(b) }));

/**
 * A failed result as the transcript keeps it: the data root's path (a temp folder in every replay)
 * written as `$DATA_ROOT`, so an error that names a file under it (a DuckDB message, say) replays
 * to the same digest. Only errors: a successful result's blocks are kept byte for byte.
 */
export function portableResult(r: CommandResult, dataRoot: string): CommandResult {
  if (r.status !== 'error' || dataRoot.length < 2) return r;
  const json = JSON.stringify(r);
  return json.includes(dataRoot) ? (JSON.parse(json.split(dataRoot).join('$DATA_ROOT')) as CommandResult) : r;
}

export class Dispatcher {
  readonly session: Session;
  readonly registry: Registry;
  private transcript: TranscriptSink | undefined;
  private seq = 0;
  /** Background jobs and the foreground worker line (`jobs`, `cancel`, `wait` read it). */
  readonly jobs: JobTable;
  private workers: JobWorkers | undefined;

  constructor(session: Session, registry: Registry, opts: { transcript?: TranscriptSink } = {}) {
    this.session = session;
    this.registry = registry;
    this.transcript = opts.transcript;
    this.jobs = jobsOf(session);
    this.lastConfigDigest = session.configDigest;
  }

  setTranscript(t: TranscriptSink | undefined): void {
    this.transcript = t;
  }

  /** Find the command (and subcommand) a tokenised line names. */
  resolve(tokens: readonly string[]): Resolved {
    const [name, ...rest] = tokens;
    const def = this.registry.commands.get(name!);
    if (!def) {
      const hint = suggest(name!, this.registry.names());
      throw new UserError(`unknown command '${name}'${hint ? `; did you mean '${hint}'?` : ''} (type help for the list)`);
    }
    if (!def.subcommands) return { def, label: def.name, words: rest };
    const subs = this.registry.subcommands(def.name) ?? new Map<string, AnyCommand>();
    const subName = rest[0];
    const subList = [...subs.keys()].join(', ');
    if (subName === undefined || subName.startsWith('--')) {
      // A parent with no subcommand runs itself (usually a listing of its subcommands).
      return { def, label: def.name, words: rest };
    }
    const sub = subs.get(subName);
    if (!sub) {
      const hint = suggest(subName, [...subs.keys()]);
      throw new UserError(`unknown ${def.name} source '${subName}'${hint ? `; did you mean '${hint}'?` : ''} (choose from ${subList})`, def.name);
    }
    return { def: sub, label: `${def.name} ${sub.name}`, words: rest.slice(1) };
  }

  /**
   * Run one line. A top-level line ending in ` &` starts a background job and returns at once (the
   * result says which job; `job` carries it); its transcript record, with the job's final result,
   * keeps the line's place in the script whatever order jobs finish in.
   */
  execute(rawLine: string, opts: ExecuteOptions = {}): Promise<Executed> {
    return this.executeAt(rawLine, opts, 0);
  }

  /** Is this line's command one that answers at once, even while another line runs? */
  isImmediate(rawLine: string): boolean {
    try {
      return this.resolve(tokenize(rawLine.trim().replace(BACKGROUND, ''))).def.immediate === true;
    } catch {
      return false;
    }
  }

  /** Run job commands (backtest, ingest…) in worker threads from now on (the interactive shell). */
  useWorkers(workers: JobWorkers): void {
    this.workers = workers;
  }

  /** Wait for every background job, then stop the worker threads. */
  async close(): Promise<void> {
    await this.jobs.settle();
    await this.workers?.close();
  }

  private async executeAt(rawLine: string, opts: ExecuteOptions, depth: number): Promise<Executed> {
    const typed = rawLine.trim();
    const started = performance.now();
    if (typed === '' || typed.startsWith('#')) {
      return { line: typed, result: { title: '', status: 'ok', blocks: [] }, durationMs: 0, exit: false, args: {}, command: '' };
    }
    const background = depth === 0 && BACKGROUND.test(typed);
    const line = background ? typed.replace(BACKGROUND, '') : typed;
    let args: Record<string, unknown> = {};
    let label = line.split(/\s+/)[0]!;
    let def: AnyCommand | undefined;
    let failure: CommandResult | undefined;
    try {
      const resolved = this.resolve(tokenize(line));
      def = resolved.def;
      label = resolved.label;
      const help = this.registry.commands.get('help');
      if (help && (resolved.words.includes('--help') || resolved.words.includes('-h'))) {
        def = help;
        args = validateArgs(help, { topic: label.split(' ') }, 'help');
      } else {
        args = validateArgs(def, bindArgs(def, resolved.words, label), label);
      }
    } catch (err) {
      failure = errorResult(label, err);
    }
    const recorded = depth === 0 && !(def?.unrecorded);
    const seq = recorded ? ++this.seq : 0;
    // history and outcome enter the session when the line is taken; the outcome is filled in when
    // it ends (records wait for the lines before them, outcomes do not: `history` lists them all)
    const outcome: SessionOutcome = { line: typed, status: 'running' };
    if (recorded) {
      this.session.history.push(typed);
      this.session.results.push(outcome);
    }
    const finish = (ran: Ran, durationMs: number): Executed => {
      outcome.status = ran.result.status;
      if (recorded) this.record(seq, typed, label, args, ran.result, durationMs, ran.changed);
      const exit = def?.name === 'exit' && ran.result.status === 'ok';
      return { line: typed, result: ran.result, durationMs, exit, args, command: label };
    };
    if (failure || !def) return finish({ result: failure ?? errorResult(label, new Error('no command')) }, performance.now() - started);
    const command = def;
    if (!background) {
      const useWorker = depth === 0 && command.job === true && this.workers !== undefined;
      const job = useWorker ? this.jobs.start(typed, false) : undefined;
      const signal = opts.signal ?? job?.controller.signal ?? new AbortController().signal;
      if (job && opts.signal) opts.signal.addEventListener('abort', () => job.controller.abort(), { once: true });
      const ran = await this.runBody(command, label, args, line, { ...opts, signal: job?.controller.signal ?? signal }, depth, useWorker, job);
      const durationMs = performance.now() - started;
      if (job) this.jobs.finish(job, { result: ran.result, durationMs, logs: job.logs });
      return finish(ran, durationMs);
    }
    // Background: a job numbered in typing order, run now, recorded in its place when it ends.
    const job = this.jobs.start(typed, true);
    const useWorker = command.job === true;
    if (useWorker) this.workers ??= new JobWorkers();
    const jobOpts: ExecuteOptions = {
      signal: job.controller.signal,
      onProgress: (p) => this.jobs.progress(job, p),
      onLog: (m) => job.logs.push(m),
    };
    void this.runBody(command, label, args, line, jobOpts, depth, useWorker, job).then((ran) => {
      const durationMs = performance.now() - job.startedMs;
      finish(ran, durationMs);
      this.jobs.finish(job, { result: ran.result, durationMs, logs: job.logs });
    });
    const started_ = text(`[${job.id}] started: ${line} (jobs lists it, wait ${job.id} waits for it, cancel ${job.id} stops it)`);
    return { line: typed, result: ok(`[${job.id}] ${line}`, [started_], `job ${job.id} started`), durationMs: 0, exit: false, args, command: label, job };
  }

  /** Run a validated command: in a worker on a copy of the session, or here. Never throws. */
  private async runBody(def: AnyCommand, label: string, args: Record<string, unknown>, line: string, opts: ExecuteOptions, depth: number, useWorker: boolean, job?: Job): Promise<Ran> {
    const signal = opts.signal ?? new AbortController().signal;
    const onProgress = (p: Progress): void => {
      if (job) this.jobs.progress(job, p);
      opts.onProgress?.(p);
    };
    if (useWorker && this.workers) {
      try {
        const outcome = await this.workers.run(this.session, line, { signal, onProgress, ...(opts.onLog ? { onLog: opts.onLog } : {}), ...(opts.confirm ? { confirm: opts.confirm } : {}) });
        const changed = applyChanges(this.session, outcome.changes);
        for (const [name, digest] of Object.entries(changed)) this.lastDatasets.set(name, digest);
        return { result: outcome.result, changed };
      } catch (err) {
        if (signal.aborted) return { result: errorResult(label, new CancelledError('its worker was stopped')) };
        return { result: errorResult(label, err) };
      }
    }
    const io: CommandIO = {
      signal,
      progress: onProgress,
      log: (m) => opts.onLog?.(m),
      execute: async (nested) => (await this.executeAt(nested, opts, depth + 1)).result,
      ...(opts.confirm ? { confirm: opts.confirm } : {}),
    };
    try {
      return { result: await def.run(this.session, args as never, io) };
    } catch (err) {
      return { result: errorResult(label, err) };
    }
  }

  private lastDatasets = new Map<string, string>();
  /** The config digest after the last recorded command (at first: the transcript header's). */
  private lastConfigDigest: string;

  /**
   * Write a line's record. Records are written in the order lines were submitted (`seq`): a
   * background job's record waits for the jobs before it, and the lines after it wait for it.
   * `jobChanged` lists what a worker job changed; otherwise changes are found by comparing the
   * session with what the last record saw.
   */
  private record(seq: number, line: string, command: string, args: Record<string, unknown>, result: CommandResult, durationMs: number, jobChanged?: Record<string, string>): void {
    const changed: Record<string, string> = jobChanged ? { ...jobChanged } : {};
    if (!jobChanged) {
      for (const [name, ds] of this.session.datasets) {
        if (this.lastDatasets.get(name) !== ds.digest) changed[name] = ds.digest;
      }
      this.lastDatasets = new Map([...this.session.datasets].map(([n, d]) => [n, d.digest]));
    }
    // The effective config digest rides on the record of the command that changed it (config set).
    const configBefore = this.lastConfigDigest;
    this.lastConfigDigest = this.session.configDigest;
    const configAfter = this.session.configDigest;
    const recorded = portableResult(result, this.session.dataRoot);
    this.commit(seq, () => {
      this.transcript?.write({
        type: 'command',
        seq,
        line,
        command,
        args,
        status: result.status,
        durationMs: Math.round(durationMs * 1000) / 1000,
        digest: resultDigest(recorded),
        blocks: blockDigests(recorded),
        summary: summaryOf(recorded),
        ...(Object.keys(changed).length ? { datasets: changed } : {}),
        ...(configAfter !== configBefore ? { config: configAfter } : {}),
      });
    });
  }

  private readonly pending = new Map<number, () => void>();
  private written = 0;

  private commit(seq: number, write: () => void): void {
    this.pending.set(seq, write);
    for (let next = this.pending.get(this.written + 1); next; next = this.pending.get(this.written + 1)) {
      this.pending.delete(this.written + 1);
      this.written++;
      next();
    }
  }
}

/** Every failure becomes a one-line, readable result. */
export function errorResult(label: string, err: unknown): CommandResult {
  if (err instanceof CancelledError) {
    const why = err.message && err.message !== 'cancelled' ? ` (${err.message})` : '';
    return { title: label, status: 'cancelled', blocks: [text(`${label}: cancelled${why}`, 'warn')], summary: 'cancelled' };
  }
  if (err instanceof UserError) {
    const msg = err.where && err.where !== label && !err.message.startsWith(label) ? `${label}: ${err.message}` : err.message;
    return failed(label, msg.startsWith(`${label}:`) || msg.startsWith(`${label} `) ? msg : `${label}: ${msg}`);
  }
  if (err instanceof InvariantError) return failed(label, `${label}: invariant broken: ${err.message}`);
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code) return failed(label, `${label}: ${messageOf(err)}`);
  return failed(label, `${label}: internal error: ${messageOf(err)}`);
}
