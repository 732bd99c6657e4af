/**
 * Replay: re-execute a transcript's lines in a fresh headless session with the transcript's seed
 * and compare digests. The first command whose status or digest differs is named, with the first
 * block that differs (by index and kind).
 */
import { readTranscript, type TranscriptRecord } from './transcript.js';
import { createShell } from './runtime.js';
import { blockDigests, resultDigest } from './dispatcher.js';
import type { CommandResult } from '../core/result.js';

export interface ReplayMismatch {
  readonly seq: number;
  readonly line: string;
  /** What differs: 'status', 'block N (kind)', 'block count' or 'result'. */
  readonly what: string;
  readonly expected: string;
  readonly actual: string;
}

export interface ReplayReport {
  readonly commands: number;
  readonly matched: number;
  readonly seed: number;
  readonly configMatches: boolean;
  readonly damagedLines: readonly number[];
  readonly mismatches: readonly ReplayMismatch[];
  readonly rows: readonly { seq: number; line: string; status: string; match: boolean }[];
}

export function compareRecord(rec: TranscriptRecord, result: CommandResult): ReplayMismatch | undefined {
  const digest = resultDigest(result);
  if (rec.status !== result.status) {
    return { seq: rec.seq, line: rec.line, what: 'status', expected: rec.status, actual: result.status };
  }
  if (rec.digest === digest) return undefined;
  const now = blockDigests(result);
  const n = Math.min(now.length, rec.blocks.length);
  for (let i = 0; i < n; i++) {
    if (now[i]!.digest !== rec.blocks[i]!.digest || now[i]!.kind !== rec.blocks[i]!.kind) {
      return { seq: rec.seq, line: rec.line, what: `block ${i + 1} (${rec.blocks[i]!.kind})`, expected: rec.blocks[i]!.digest, actual: now[i]!.digest };
    }
  }
  if (now.length !== rec.blocks.length) {
    return { seq: rec.seq, line: rec.line, what: 'block count', expected: String(rec.blocks.length), actual: String(now.length) };
  }
  return { seq: rec.seq, line: rec.line, what: 'result', expected: rec.digest, actual: digest };
}

export interface ReplayOptions {
  readonly root?: string;
  readonly cwd?: string;
  readonly signal?: AbortSignal;
  /** Stop at the first mismatch. @default false */
  readonly stopAtFirst?: boolean;
}

export async function replayTranscript(path: string, opts: ReplayOptions = {}): Promise<ReplayReport> {
  const t = readTranscript(path);
  const { session, dispatcher } = await createShell({
    seed: t.header.seed,
    id: `replay-${t.header.sessionId}`,
    ...(opts.root !== undefined ? { root: opts.root } : {}),
    ...(opts.cwd !== undefined ? { cwd: opts.cwd } : {}),
  });
  const mismatches: ReplayMismatch[] = [];
  const rows: { seq: number; line: string; status: string; match: boolean }[] = [];
  for (const rec of t.records) {
    const ex = await dispatcher.execute(rec.line, opts.signal ? { signal: opts.signal } : {});
    const mismatch = compareRecord(rec, ex.result);
    rows.push({ seq: rec.seq, line: rec.line, status: ex.result.status, match: !mismatch });
    if (mismatch) {
      mismatches.push(mismatch);
      if (opts.stopAtFirst) break;
    }
  }
  return {
    commands: t.records.length,
    matched: rows.filter((r) => r.match).length,
    seed: t.header.seed,
    configMatches: session.configDigest === t.header.configDigest,
    damagedLines: t.damaged,
    mismatches,
    rows,
  };
}

export function describeMismatch(m: ReplayMismatch): string {
  return `command #${m.seq} '${m.line}': ${m.what} differs (recorded ${m.expected.slice(0, 12)}, now ${m.actual.slice(0, 12)})`;
}
