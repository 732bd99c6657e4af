/**
 * The command contract (ARCHITECTURE.md, "Contracts"). A file in commands/ default-exports one
 * `defineCommand({...})`. Arguments are one zod object schema: positional arguments are the fields
 * named in `positional` (in order; an array field takes the rest), every other field is a
 * `--kebab-case` flag mapped to its camelCase key. Each field carries `.describe()`: help and
 * completion come from it.
 */
import type { z } from 'zod';
import type { CommandResult } from '../core/result.js';
import type { Session } from './session.js';
import type { LiveBoard } from './live-board.js';

export interface Progress {
  /** What is being done, e.g. 'backtest 2021-03'. */
  readonly label: string;
  /** 0..1 when known. */
  readonly fraction?: number;
  /** Throughput or other rate text, e.g. '1.9 M bars/s'. */
  readonly rate?: string;
  /** A search's live leaderboard (optimize, walkforward): the TUI's leaderboard pane draws it; others ignore it. */
  readonly board?: LiveBoard;
}

/** What a command may use besides the session: narrow on purpose so headless and TUI adapters stay tiny. */
export interface CommandIO {
  /** Fires when the user presses Ctrl+C; long loops check it (throwIfAborted). */
  readonly signal: AbortSignal;
  progress(update: Progress): void;
  log(message: string): void;
  /** Run a nested command line through the same dispatcher (used by `run`). */
  execute(line: string): Promise<CommandResult>;
  /**
   * Ask the person at the keyboard a yes/no question (promotion to live). Absent in headless runs
   * and workers: a command that needs a confirmation then refuses unless given an explicit flag.
   */
  confirm?(question: string): Promise<boolean>;
}

/** Where Tab completion draws values for a field from. */
/** Where Tab finds values; 'run' = stored run ids (plus 'last'), from a cache the caller keeps (run-id-cache.ts). */
export type CompletionSource = 'dataset' | 'symbol' | 'path' | 'command' | 'config' | 'run' | readonly string[];

export interface CommandDefinition<S extends z.ZodObject = z.ZodObject> {
  readonly name: string;
  /** One line, shown in `help`. */
  readonly summary: string;
  /** Usage line after the name, e.g. 'TABLE [--rows N] [--symbol S]'. Derived from the schema when absent. */
  readonly usage?: string;
  readonly examples?: readonly string[];
  /** Schema fields that take positional arguments, in order. */
  readonly positional?: readonly string[];
  readonly schema: S;
  /** Load subcommands from commands/<name>/*.ts; the first positional selects one. */
  readonly subcommands?: boolean;
  /**
   * Extra flag names for a field, as `{ alias: field }`: `{ model: 'bundle' }` lets `--model NAME` set
   * `bundle` in a command whose positional is already called `model` (`backtest alpha_bundle --model xs1`).
   */
  readonly flagAliases?: Readonly<Record<string, string>>;
  /** Completion sources per field name. */
  readonly completion?: Readonly<Record<string, CompletionSource>>;
  /** Not written to the transcript (exit). */
  readonly unrecorded?: boolean;
  /**
   * Long CPU work (ingest, backtest…): the interactive shell runs it in a worker thread on a copy of
   * the session, so keys, scrolling and panes stay live (docs/shell.md, "Jobs").
   */
  readonly job?: boolean;
  /** Answers at once even while another line runs (jobs, cancel): it never waits in the queue. */
  readonly immediate?: boolean;
  run(session: Session, args: z.infer<S>, io: CommandIO): CommandResult | Promise<CommandResult>;
}

export function defineCommand<S extends z.ZodObject>(def: CommandDefinition<S>): CommandDefinition<S> {
  return def;
}

/** A command as loaded into the registry (schema type erased). */
export type AnyCommand = CommandDefinition<z.ZodObject>;
