/**
 * The dispatcher: one line in, one CommandResult out. It parses the line, validates arguments with
 * the command's zod schema, runs the command with a narrow `io`, turns every error into a readable
 * result (the session always survives), records history and writes the transcript record.
 * The TUI, headless runs, replay and tests all go through here.
 */
import { performance } from 'node:perf_hooks';
import type { CommandIO, Progress, AnyCommand } from './command.js';
import type { Session } from './session.js';
import type { Registry } from './registry.js';
import type { TranscriptWriter } from './transcript.js';
import { type CommandResult, failed, summaryOf, text } from '../core/result.js';
import { UserError, CancelledError, InvariantError, messageOf } from '../core/errors.js';
import { digestOf } from '../core/canonical.js';
import { tokenize, bindArgs, validateArgs } from './parser.js';
import { suggest } from '../core/suggest.js';

export interface ExecuteOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: Progress) => void;
  readonly onLog?: (m: string) => void;
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

export class Dispatcher {
  readonly session: Session;
  readonly registry: Registry;
  private transcript: TranscriptWriter | undefined;
  private seq = 0;
  private depth = 0;

  constructor(session: Session, registry: Registry, opts: { transcript?: TranscriptWriter } = {}) {
    this.session = session;
    this.registry = registry;
    this.transcript = opts.transcript;
  }

  setTranscript(t: TranscriptWriter | undefined): void {
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

  async execute(rawLine: string, opts: ExecuteOptions = {}): Promise<Executed> {
    const line = rawLine.trim();
    const started = performance.now();
    if (line === '' || line.startsWith('#')) {
      return { line, result: { title: '', status: 'ok', blocks: [] }, durationMs: 0, exit: false, args: {}, command: '' };
    }
    const controller = new AbortController();
    const signal = opts.signal ?? controller.signal;
    const io: CommandIO = {
      signal,
      progress: (p) => opts.onProgress?.(p),
      log: (m) => opts.onLog?.(m),
      execute: async (nested) => (await this.execute(nested, opts)).result,
    };
    let result: CommandResult;
    let args: Record<string, unknown> = {};
    let label = line.split(/\s+/)[0]!;
    let def: AnyCommand | undefined;
    this.depth++;
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
      result = await def.run(this.session, args as never, io);
    } catch (err) {
      result = errorResult(label, err);
    } finally {
      this.depth--;
    }
    const durationMs = performance.now() - started;
    const exit = def?.name === 'exit' && result.status === 'ok';
    if (this.depth === 0 && !(def?.unrecorded)) {
      this.session.history.push(line);
      this.record(line, label, args, result, durationMs);
    }
    return { line, result, durationMs, exit, args, command: label };
  }

  private lastDatasets = new Map<string, string>();

  private record(line: string, command: string, args: Record<string, unknown>, result: CommandResult, durationMs: number): void {
    const changed: Record<string, string> = {};
    for (const [name, ds] of this.session.datasets) {
      if (this.lastDatasets.get(name) !== ds.digest) changed[name] = ds.digest;
    }
    this.lastDatasets = new Map([...this.session.datasets].map(([n, d]) => [n, d.digest]));
    this.session.results.push({ line, status: result.status });
    this.transcript?.write({
      type: 'command',
      seq: ++this.seq,
      line,
      command,
      args,
      status: result.status,
      durationMs: Math.round(durationMs * 1000) / 1000,
      digest: resultDigest(result),
      blocks: blockDigests(result),
      summary: summaryOf(result),
      ...(Object.keys(changed).length ? { datasets: changed } : {}),
    });
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
