/**
 * The per-bar commit log of a paper session (commits.jsonl, docs/paper.md "State"): after every
 * bar the loop appends one line — the step, cash and positions, each log's length, the checkpoint
 * the state is rebuilt from, the status. One `write` of one short line: a killed process leaves the
 * whole line or none, and a torn last line (a power cut) is not valid JSON and is skipped, so the
 * last valid line is the committed state. At each checkpoint the log is replaced (atomically) by
 * its last record, so it stays short.
 */
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { tailJsonl, writeAtomic, type LogName } from './files.js';
import type { PaperStatus } from './head.js';

export interface CommitRecord {
  readonly step: number;
  readonly cash: number;
  /** Position per symbol, in the Trader's symbol order. */
  readonly positions: readonly number[];
  readonly logs: Readonly<Record<LogName, number>>;
  readonly checkpoint: string;
  readonly checkpointStep: number;
  readonly errors: number;
  readonly status: PaperStatus;
  readonly killReason?: string;
}

export class CommitLog {
  private fd: number | null = null;

  constructor(private readonly path: string) {}

  append(record: CommitRecord, durable: boolean): void {
    this.fd ??= openSync(this.path, 'a');
    writeSync(this.fd, Buffer.from(`${JSON.stringify(record)}\n`));
    if (durable) fsyncSync(this.fd);
  }

  /** Replace the log by `record` alone (after a checkpoint). */
  reset(record: CommitRecord): void {
    this.close();
    writeAtomic(this.path, `${JSON.stringify(record)}\n`);
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

/** The last complete commit, or undefined when none was made. */
export function lastCommit(path: string): CommitRecord | undefined {
  return tailJsonl<CommitRecord>(path, 1, 64 * 1024)[0];
}
