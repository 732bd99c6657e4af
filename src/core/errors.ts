/**
 * Errors a user can act on. Anything thrown as a `UserError` is shown as one line naming what is
 * wrong and where; anything else is a bug and is shown with a short "internal error" prefix.
 * Either way the session survives (the dispatcher catches both).
 */
import { redact } from './redact.js';

export class UserError extends Error {
  /** Where the problem is: a file and line, an argument name, a symbol. */
  readonly where: string | undefined;
  constructor(message: string, where?: string) {
    // Redacted at birth: a message quoting a server's answer may carry a key (src/core/redact.ts).
    super(redact(where ? `${where}: ${message}` : message));
    this.name = 'UserError';
    this.where = where === undefined ? undefined : redact(where);
  }
}

/** Thrown when a long job sees its AbortSignal fire. */
export class CancelledError extends Error {
  constructor(message = 'cancelled') {
    super(message);
    this.name = 'CancelledError';
  }
}

/** Broken invariant inside the engine (unsorted timestamps, NaN reaching a fill): fail fast. */
export class InvariantError extends Error {
  constructor(message: string) {
    super(redact(message));
    this.name = 'InvariantError';
  }
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}

/** The message of anything thrown, with secrets redacted. */
export function messageOf(err: unknown): string {
  return redact(err instanceof Error ? err.message : String(err));
}
