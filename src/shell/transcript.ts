/**
 * Transcripts: JSON lines, appended and written through per command (writeSync on an append-mode
 * descriptor), so a killed process leaves every completed line intact. docs/sessions.md describes
 * the format; in short:
 *
 *   line 1      header  — versions, seed, the effective configuration and its digest
 *   lines 2…    command — one per recorded command: line, parsed args, status, result digest,
 *                         per-block digests, summary, datasets changed, config digest when changed
 *   last line   end     — how many command records there are and the chain head
 *
 * Every line is canonical JSON (src/core/canonical.ts) and carries `hash`, chained to the line
 * before it:
 *
 *   hash(line) = sha256( UTF-8 bytes of  prev + "\n" + canonicalJson(line without its hash field) )
 *   prev       = the previous line's hash; for the header, CHAIN_START
 *
 * so editing, removing, inserting or reordering any line breaks the chain from that line on, and a
 * file without its end record is known to be cut. Durations and wall-clock times are part of the
 * chained bytes but never of a result digest.
 */
import { redactDeep } from '../core/redact.js';
import { openSync, writeSync, closeSync, readFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { canonicalJson, sha256 } from '../core/canonical.js';
import type { ResultStatus } from '../core/result.js';
import { UserError } from '../core/errors.js';

/** Format 2: hash chain, end record, effective config in the header. Format 1 had none of these. */
export const TRANSCRIPT_FORMAT = 2;
/** The `prev` of the header line. */
export const CHAIN_START = 'edgelab-transcript-2';

export interface TranscriptHeader {
  readonly type: 'header';
  readonly format: number;
  readonly edgelab: string;
  readonly git: string | null;
  readonly node: string;
  readonly seed: number;
  /** The effective configuration at the start (base + overlays); replay runs with it. */
  readonly config?: unknown;
  /** digestOf(config): src/config/load.ts configDigest. */
  readonly configDigest: string;
  readonly sessionId: string;
  readonly source?: string;
  /** Wall-clock start (informational; chained, never in a result digest). */
  readonly startedAt?: string;
  readonly hash?: string;
}

export interface TranscriptRecord {
  readonly type: 'command';
  readonly seq: number;
  readonly line: string;
  readonly command: string;
  readonly args: Record<string, unknown>;
  readonly status: ResultStatus;
  readonly durationMs: number;
  readonly digest: string;
  readonly blocks: readonly { kind: string; digest: string }[];
  readonly summary: string;
  /** Datasets added or changed by this command: name → content digest. */
  readonly datasets?: Readonly<Record<string, string>>;
  /** The effective config digest after this command, when the command changed it (`config set`). */
  readonly config?: string;
  readonly hash?: string;
}

export interface TranscriptEnd {
  readonly type: 'end';
  /** Number of command records. */
  readonly count: number;
  /** The hash of the last command record (the header's when there are none). */
  readonly head: string;
  readonly hash?: string;
}

export type TranscriptLine = TranscriptHeader | TranscriptRecord | TranscriptEnd;

/** Where the dispatcher sends command records: a file (TranscriptWriter) or memory (replay). */
export interface TranscriptSink {
  write(record: TranscriptRecord): void;
}

/** The chain hash of one line given the previous line's hash (see the module comment). */
export function chainHash(prev: string, line: object): string {
  const { hash: _drop, ...rest } = line as { hash?: string };
  return sha256(`${prev}\n${canonicalJson(rest)}`);
}

/** Add `hash` to a line, chained to `prev`; returns the line and its hash. */
export function chained<T extends object>(prev: string, line: T): T & { hash: string } {
  return { ...line, hash: chainHash(prev, line) };
}

export class TranscriptWriter implements TranscriptSink {
  private fd: number | null;
  private head: string;
  private count = 0;
  readonly path: string;

  constructor(path: string, header: TranscriptHeader) {
    this.path = path;
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'w');
    this.head = CHAIN_START;
    this.append(header);
  }

  write(record: TranscriptRecord): void {
    if (this.fd === null) return;
    this.count++;
    this.append(record);
  }

  /** Write the end record (count and chain head) and close. A session that never gets here is "cut". */
  close(): void {
    if (this.fd === null) return;
    this.append({ type: 'end', count: this.count, head: this.head });
    closeSync(this.fd);
    this.fd = null;
  }

  private append(line: TranscriptLine): void {
    // Secrets are redacted before the line is chained and written (src/core/redact.ts).
    const out = chained(this.head, redactDeep(line));
    writeSync(this.fd!, `${canonicalJson(out)}\n`);
    this.head = out.hash;
  }
}

/** One line of a transcript file as read: its 1-based number, raw text and parsed value. */
export interface RawLine {
  readonly lineNo: number;
  readonly text: string;
  /** undefined when the text is not JSON. */
  readonly value: Record<string, unknown> | undefined;
}

export interface TranscriptFile {
  readonly lines: readonly RawLine[];
  /** The file ends without a newline: its last line was being written when the process stopped. */
  readonly tornTail: boolean;
}

/** Read a transcript file into its lines (no checks; src/shell/transcript-check.ts does those). */
export function readTranscriptFile(path: string): TranscriptFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UserError(`cannot read transcript (${(err as NodeJS.ErrnoException).code ?? 'error'})`, path);
  }
  const pieces = text.split('\n');
  const tornTail = pieces[pieces.length - 1] !== '';
  if (!tornTail) pieces.pop();
  const lines = pieces.map((t, i): RawLine => {
    let value: Record<string, unknown> | undefined;
    try {
      const v: unknown = JSON.parse(t);
      value = typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
    } catch {
      value = undefined;
    }
    return { lineNo: i + 1, text: t, value };
  });
  if (lines.length === 0 || lines[0]!.value?.['type'] !== 'header') {
    throw new UserError('not an edgelab transcript (no header line)', path);
  }
  return { lines, tornTail };
}
