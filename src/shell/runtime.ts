/**
 * Building a ready-to-use shell: session + registry + dispatcher (+ transcript). Shared by the CLI,
 * the TUI, replay and tests so all of them execute commands the same way.
 */
import { Session, type SessionInit } from './session.js';
import { loadRegistry, type Registry } from './registry.js';
import { Dispatcher } from './dispatcher.js';
import { TranscriptWriter, TRANSCRIPT_FORMAT, type TranscriptHeader } from './transcript.js';

let registryPromise: Promise<Registry> | undefined;

/** The command registry, loaded once per process. */
export function sharedRegistry(): Promise<Registry> {
  registryPromise ??= loadRegistry();
  return registryPromise;
}

export interface ShellInit extends SessionInit {
  /** Write a transcript here. */
  readonly transcriptPath?: string;
  /** What the transcript is of (script path, 'interactive'). */
  readonly source?: string;
  /** Wall-clock start for the header (shell layer only; never digested). */
  readonly startedAt?: string;
}

export interface Shell {
  readonly session: Session;
  readonly dispatcher: Dispatcher;
  readonly transcript: TranscriptWriter | undefined;
}

export function transcriptHeader(session: Session, source?: string, startedAt?: string): TranscriptHeader {
  const p = session.provenance;
  return {
    type: 'header',
    format: TRANSCRIPT_FORMAT,
    edgelab: p.version,
    git: p.git,
    node: process.version,
    seed: session.seed,
    config: session.config,
    configDigest: session.configDigest,
    sessionId: session.id,
    ...(source !== undefined ? { source } : {}),
    ...(startedAt !== undefined ? { startedAt } : {}),
  };
}

export async function createShell(init: ShellInit = {}): Promise<Shell> {
  const session = new Session(init);
  const registry = await sharedRegistry();
  const transcript = init.transcriptPath
    ? new TranscriptWriter(init.transcriptPath, transcriptHeader(session, init.source, init.startedAt))
    : undefined;
  const dispatcher = new Dispatcher(session, registry, transcript ? { transcript } : {});
  return { session, dispatcher, transcript };
}
