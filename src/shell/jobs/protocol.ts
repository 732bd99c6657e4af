/** Messages and outcomes between the shell thread and a job worker (see worker.ts). */
import type { Progress } from '../command.js';
import type { CommandResult } from '../../core/result.js';
import type { SessionChanges } from './snapshot.js';

export type JobMessage =
  | { readonly type: 'thread'; readonly threadId: number }
  | { readonly type: 'progress'; readonly progress: Progress } | { readonly type: 'log'; readonly message: string }
  /** The job's command asks the person a yes/no question (io.confirm); the shell answers with a ConfirmAnswer. */
  | { readonly type: 'confirm'; readonly id: number; readonly question: string };

/** The shell's answer to a job's 'confirm' message. */
export interface ConfirmAnswer {
  readonly type: 'answer';
  readonly id: number;
  readonly yes: boolean;
}

export interface JobOutcome {
  readonly result: CommandResult;
  readonly args: Record<string, unknown>;
  readonly command: string;
  readonly durationMs: number;
  readonly changes: SessionChanges;
}
