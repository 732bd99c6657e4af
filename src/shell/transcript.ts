/**
 * Transcripts: JSON lines, appended and written through per command (writeSync on an append-mode
 * descriptor), so a killed process leaves every completed line intact. A header carries versions,
 * seed and config digest; each command record carries the line, parsed args, status, result
 * digest and per-block digests. Durations and wall-clock times are recorded but never digested.
 */
import { openSync, writeSync, closeSync, readFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { canonicalJson } from '../core/canonical.js';
import type { ResultStatus } from '../core/result.js';
import { UserError } from '../core/errors.js';

export const TRANSCRIPT_FORMAT = 1;

export interface TranscriptHeader {
  readonly type: 'header';
  readonly format: number;
  readonly edgelab: string;
  readonly git: string | null;
  readonly node: string;
  readonly seed: number;
  readonly configDigest: string;
  readonly sessionId: string;
  readonly source?: string;
  /** Wall-clock start (informational, not digested). */
  readonly startedAt?: string;
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
}

export type TranscriptLine = TranscriptHeader | TranscriptRecord;

export class TranscriptWriter {
  private fd: number | null;
  readonly path: string;

  constructor(path: string, header: TranscriptHeader) {
    this.path = path;
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'w');
    this.write(header);
  }

  write(line: TranscriptLine): void {
    if (this.fd === null) return;
    writeSync(this.fd, `${canonicalJson(line)}\n`);
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

export interface ParsedTranscript {
  readonly header: TranscriptHeader;
  readonly records: readonly TranscriptRecord[];
  /** 1-based line numbers of lines that did not parse (e.g. a torn last line after a kill). */
  readonly damaged: readonly number[];
}

/** Read a transcript, tolerating a torn final line. */
export function readTranscript(path: string): ParsedTranscript {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UserError(`cannot read transcript (${(err as NodeJS.ErrnoException).code ?? 'error'})`, path);
  }
  const lines = text.split('\n');
  let header: TranscriptHeader | undefined;
  const records: TranscriptRecord[] = [];
  const damaged: number[] = [];
  lines.forEach((l, i) => {
    if (l.trim() === '') return;
    let obj: TranscriptLine;
    try {
      obj = JSON.parse(l) as TranscriptLine;
    } catch {
      damaged.push(i + 1);
      return;
    }
    if (obj.type === 'header' && !header) header = obj;
    else if (obj.type === 'command') records.push(obj);
    else damaged.push(i + 1);
  });
  if (!header) throw new UserError('not an edgelab transcript (no header line)', path);
  return { header, records, damaged };
}
