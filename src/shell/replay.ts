/**
 * Replay: re-execute a transcript's command lines in a fresh headless session — the recorded seed
 * and effective configuration, its own temporary data root (an empty results database and lake,
 * removed afterwards) — and compare every re-derived field of every record with the recorded one.
 * The structural checks (chain, numbering, end record) come from src/shell/transcript-check.ts;
 * the first finding by line is the one reported (docs/sessions.md).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTranscriptFile, type TranscriptRecord, type TranscriptSink } from './transcript.js';
import { checkStructure, type Finding } from './transcript-check.js';
import { createShell } from './runtime.js';
import { packageRoot } from './session.js';
import { provenanceOf } from './provenance.js';
import { canonicalJson } from '../core/canonical.js';
import { validateConfig } from '../config/load.js';
import type { EdgelabConfig } from '../config/schema.js';

export interface ReplayRow {
  readonly lineNo: number;
  readonly seq: number;
  readonly line: string;
  readonly status: string;
  readonly match: boolean;
}

export interface ReplayReport {
  /** Command records in the file (before any cut). */
  readonly commands: number;
  /** Command records replayed. */
  readonly replayed: number;
  /** Replayed records whose every re-derived field matches. */
  readonly matched: number;
  readonly seed: number;
  /** The file ends with a valid end record. */
  readonly complete: boolean;
  /** Where and why the transcript is cut, when it is. */
  readonly cut: string | undefined;
  /** The first difference by line (structural or re-derived); undefined when the transcript checks out. */
  readonly first: Finding | undefined;
  readonly rows: readonly ReplayRow[];
  /** Every command record of the file (replayed or not): where it is and what it ran. */
  readonly records: readonly { readonly lineNo: number; readonly seq: number; readonly line: string }[];
  readonly notes: readonly string[];
}

/** A field of a record that differs from its re-derivation: name, recorded value, replayed value. */
export interface FieldDifference {
  readonly field: string;
  readonly recorded: string;
  readonly replayed: string;
}

const same = (a: unknown, b: unknown): boolean => canonicalJson(a) === canonicalJson(b);
const cell = (v: unknown): string => (v === undefined ? '(none)' : typeof v === 'string' ? v : canonicalJson(v));

/** The first re-derived field of `recorded` that `replayed` disagrees with, in a fixed field order. */
export function compareRecord(recorded: TranscriptRecord, replayed: TranscriptRecord): FieldDifference | undefined {
  const diff = (field: string, a: unknown, b: unknown): FieldDifference => ({ field, recorded: cell(a), replayed: cell(b) });
  if (recorded.command !== replayed.command) return diff('command', recorded.command, replayed.command);
  if (!same(recorded.args, replayed.args)) return diff('args', recorded.args, replayed.args);
  if (recorded.status !== replayed.status) return diff('status', recorded.status, replayed.status);
  const rb = Array.isArray(recorded.blocks) ? recorded.blocks : [];
  for (let i = 0; i < Math.min(rb.length, replayed.blocks.length); i++) {
    if (rb[i]?.kind !== replayed.blocks[i]!.kind) return diff(`blocks[${i}].kind`, rb[i]?.kind, replayed.blocks[i]!.kind);
    if (rb[i]?.digest !== replayed.blocks[i]!.digest) return diff(`blocks[${i}].digest`, rb[i]?.digest, replayed.blocks[i]!.digest);
  }
  if (rb.length !== replayed.blocks.length || !Array.isArray(recorded.blocks)) return diff('blocks', `${rb.length} blocks`, `${replayed.blocks.length} blocks`);
  if (recorded.digest !== replayed.digest) return diff('digest', recorded.digest, replayed.digest);
  if (recorded.summary !== replayed.summary) return diff('summary', recorded.summary, replayed.summary);
  const rd = recorded.datasets ?? {};
  const pd = replayed.datasets ?? {};
  for (const name of [...new Set([...Object.keys(rd), ...Object.keys(pd)])].sort()) {
    if (rd[name] !== pd[name]) return diff(`datasets.${name}`, rd[name], pd[name]);
  }
  if (!same(recorded.datasets, replayed.datasets)) return diff('datasets', recorded.datasets, replayed.datasets);
  if (recorded.config !== replayed.config) return diff('config', recorded.config, replayed.config);
  return undefined;
}

export function describeDifference(d: FieldDifference): string {
  const shorten = (s: string): string => (/^[0-9a-f]{64}$/.test(s) ? s.slice(0, 12) : s.length > 80 ? `${s.slice(0, 77)}...` : s);
  return `${d.field} differs (recorded ${shorten(d.recorded)}, replay ${shorten(d.replayed)})`;
}

export interface ReplayOptions {
  readonly cwd?: string;
  readonly signal?: AbortSignal;
  /** Stop at the first difference. @default false */
  readonly stopAtFirst?: boolean;
  /** Keep the replay's data here instead of a temporary folder (not removed). */
  readonly dataRoot?: string;
}

/** Records the dispatcher writes during a replay, kept in memory. */
class MemorySink implements TranscriptSink {
  readonly records: TranscriptRecord[] = [];
  write(record: TranscriptRecord): void {
    this.records.push(record);
  }
}

export async function replayTranscript(path: string, opts: ReplayOptions = {}): Promise<ReplayReport> {
  const file = readTranscriptFile(path);
  const structure = checkStructure(file);
  const { header } = structure;
  const notes: string[] = [];
  let first = structure.first;
  // Replay what comes before the first structural finding (in --check mode), or every record.
  const limit = (lineNo: number): boolean =>
    !opts.stopAtFirst || first === undefined || lineNo < first.lineNo || (lineNo === first.lineNo && first.phase === 'after');
  const config = recordedConfig(header.config, notes);
  const running = provenanceOf(packageRoot());
  if (header.git !== undefined && header.git !== running.git) {
    notes.push(`recorded at code revision ${String(header.git).slice(0, 12)}, replaying on ${String(running.git).slice(0, 12)} (run records keep the recorded revision)`);
  }
  const dataRoot = opts.dataRoot ?? mkdtempSync(join(tmpdir(), 'edgelab-replay-'));
  const rows: ReplayRow[] = [];
  try {
    if (structure.commands.some((c) => limit(c.lineNo))) {
      const { dispatcher } = await createShell({
        seed: typeof header.seed === 'number' ? header.seed : undefined,
        id: `replay-${String(header.sessionId)}`,
        dataRoot,
        ...(config ? { config } : {}),
        ...(typeof header.edgelab === 'string' ? { provenance: { version: header.edgelab, git: header.git ?? null } } : {}),
        ...(opts.cwd !== undefined ? { cwd: opts.cwd } : {}),
      } as Parameters<typeof createShell>[0]);
      const sink = new MemorySink();
      dispatcher.setTranscript(sink);
      for (const { lineNo, record } of structure.commands) {
        if (!limit(lineNo)) break;
        const before = sink.records.length;
        const ex = await dispatcher.execute(String(record.line), opts.signal ? { signal: opts.signal } : {});
        const replayed = sink.records[before];
        const difference = replayed
          ? compareRecord(record, replayed)
          : { field: 'line', recorded: String(record.line), replayed: '(this command is never recorded)' };
        rows.push({ lineNo, seq: record.seq, line: String(record.line), status: ex.result.status, match: !difference });
        if (difference && (first === undefined || lineNo < first.lineNo || (lineNo === first.lineNo && first.phase === 'after'))) {
          first = { lineNo, field: difference.field, message: describeDifference(difference), phase: 'before' };
        }
        if (difference && opts.stopAtFirst) break;
        if (opts.signal?.aborted) break;
      }
    }
  } finally {
    if (opts.dataRoot === undefined) rmSync(dataRoot, { recursive: true, force: true });
  }
  return {
    commands: structure.commands.length,
    replayed: rows.length,
    matched: rows.filter((r) => r.match).length,
    seed: header.seed,
    complete: structure.cut === undefined,
    cut: structure.cut?.message,
    first,
    rows,
    records: structure.commands.map(({ lineNo, record }) => ({ lineNo, seq: record.seq, line: String(record.line) })),
    notes,
  };
}

/** The header's configuration, validated; undefined (replay uses configs/base.yaml) when absent or invalid. */
function recordedConfig(raw: unknown, notes: string[]): EdgelabConfig | undefined {
  if (raw === undefined) {
    notes.push('the header carries no configuration (format 1): replaying with configs/base.yaml');
    return undefined;
  }
  try {
    return validateConfig(raw);
  } catch (err) {
    notes.push(`the recorded configuration is not valid here (${err instanceof Error ? err.message : String(err)}): replaying with configs/base.yaml`);
    return undefined;
  }
}

/** One line naming where a transcript first differs: `line 7 (command #6 'show DEMO:1d'): blocks[1].digest differs (…)`. */
export function describeFinding(f: Finding, report: Pick<ReplayReport, 'records'>): string {
  const rec = report.records.find((r) => r.lineNo === f.lineNo);
  const what = rec ? ` (command #${String(rec.seq)} '${rec.line}')` : '';
  return `line ${f.lineNo}${what}: ${f.message.startsWith(f.field) ? f.message : `${f.field}: ${f.message}`}`;
}

export interface ReplayVerdict {
  /** What to show: one line per replayed command, notes, the count. */
  readonly lines: readonly string[];
  /** Set when the replay fails: the one line saying where and why. */
  readonly failure: string | undefined;
}

/**
 * What a replay says and whether it fails. With `check`, any finding fails (an edit, a cut, a
 * difference). Without it, a cut or a broken chain is reported but only a replayed command whose
 * re-derived fields differ fails the replay.
 */
export function replayVerdict(report: ReplayReport, check: boolean): ReplayVerdict {
  const lines = report.rows.map((r) => `${r.match ? '✓' : '✗'} #${r.seq} ${r.line}`);
  for (const n of report.notes) lines.push(`note: ${n}`);
  const first = report.first ? describeFinding(report.first, report) : undefined;
  const differs = report.rows.some((r) => !r.match);
  if (!check && first && !differs) lines.push(report.cut && report.first?.field === 'end' ? `replayed up to the cut: ${report.cut}` : `note: ${first}`);
  const firstBad = report.rows.find((r) => !r.match);
  if (firstBad && /^runs\b/.test(firstBad.line)) {
    lines.push('note: `runs` reads the results database; replay starts from an empty one, so a recording made on a database that already held other runs lists more (record with EDGELAB_DATA_ROOT set to a fresh folder)');
  }
  lines.push(`${report.matched}/${report.commands} commands reproduce their recorded digests (seed ${report.seed})${report.complete ? '' : ', transcript cut'}`);
  return { lines, failure: (check || differs) && first ? `replay: ${first}` : undefined };
}
