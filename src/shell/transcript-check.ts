/**
 * The checks of a transcript that need no re-execution (docs/sessions.md "What --check
 * guarantees"): every line is canonical JSON of the right type, command records are numbered
 * 1, 2, 3… in order, each line's hash chains to the line before it, the header's config digest is
 * the digest of the config it carries, and an end record closes the file with the right count and
 * chain head. Replay (src/shell/replay.ts) adds the checks that need re-execution and merges both
 * by line: the first finding by line number (and, within a line, by field order) is the one named.
 */
import { canonicalJson, digestOf } from '../core/canonical.js';
import { CHAIN_START, TRANSCRIPT_FORMAT, chainHash, type RawLine, type TranscriptFile, type TranscriptHeader, type TranscriptRecord } from './transcript.js';

/**
 * When a finding is checked relative to re-execution on the same line: 'before' findings (the line
 * does not parse, is not canonical, has the wrong type or number) make re-executing it pointless;
 * 'after' findings (hash, end record fields) are reported only if re-execution agrees.
 */
export type Phase = 'before' | 'after';

export interface Finding {
  readonly lineNo: number;
  /** The field that differs: 'seq', 'blocks[2].digest', 'hash', 'end'… */
  readonly field: string;
  readonly message: string;
  readonly phase: Phase;
}

export interface CommandLine {
  readonly lineNo: number;
  readonly record: TranscriptRecord;
}

export interface Structure {
  readonly header: TranscriptHeader;
  /** Command records that parse, in file order (a cut transcript: those before the cut). */
  readonly commands: readonly CommandLine[];
  /** The first finding by line (before 'after' on the same line); undefined when none. */
  readonly first: Finding | undefined;
  /** Set when the file has no end record or its last line is torn. */
  readonly cut: { readonly afterLine: number; readonly message: string } | undefined;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : canonicalJson(v));

/** Check a transcript's structure and chain. */
export function checkStructure(file: TranscriptFile): Structure {
  const findings: Finding[] = [];
  const found = (lineNo: number, field: string, message: string, phase: Phase = 'before'): void => {
    findings.push({ lineNo, field, message, phase });
  };
  const header = file.lines[0]!.value as unknown as TranscriptHeader;
  const commands: CommandLine[] = [];
  let prev = CHAIN_START;
  let seq = 0;
  let end: RawLine | undefined;
  let cut: Structure['cut'];
  const last = file.lines.length;

  for (const line of file.lines) {
    const v = line.value;
    if (line.lineNo === last && file.tornTail) {
      cut = { afterLine: line.lineNo - 1, message: `line ${line.lineNo} is torn: the transcript was cut while it was being written (no end record)` };
      found(line.lineNo, 'end', cut.message);
      break;
    }
    if (end) {
      found(line.lineNo, 'type', `a line after the end record (line ${end.lineNo})`);
      continue;
    }
    if (v === undefined) {
      found(line.lineNo, 'json', 'not a JSON object');
      continue;
    }
    if (line.text !== canonicalJson(v)) found(line.lineNo, 'bytes', 'not written as canonical JSON (sorted keys, no spaces): edited by hand?');
    const type = v['type'];
    if (line.lineNo === 1) {
      checkHeader(header, found);
    } else if (type === 'command') {
      seq++;
      if (v['seq'] !== seq) found(line.lineNo, 'seq', `command record numbered ${str(v['seq'])}, expected ${seq} (a record was removed, inserted, duplicated or moved)`);
      commands.push({ lineNo: line.lineNo, record: v as unknown as TranscriptRecord });
    } else if (type === 'end') {
      end = line;
      if (v['count'] !== seq) found(line.lineNo, 'count', `end record counts ${str(v['count'])} command records, the file holds ${seq}`, 'after');
      if (v['head'] !== prev) found(line.lineNo, 'head', `end record names chain head ${str(v['head']).slice(0, 12)}, the last record's hash is ${prev.slice(0, 12)}`, 'after');
    } else {
      found(line.lineNo, 'type', type === 'header' ? 'a second header' : `unknown record type ${str(type)}`);
    }
    const expected = chainHash(prev, v);
    if (v['hash'] !== expected) {
      found(line.lineNo, 'hash', `chain hash ${str(v['hash']).slice(0, 12)} does not match the line's bytes (expected ${expected.slice(0, 12)}): the line was edited, or the one before it was`, 'after');
    }
    prev = typeof v['hash'] === 'string' ? v['hash'] : expected;
  }
  if (!end && !cut) {
    cut = { afterLine: last, message: `the transcript is cut after line ${last}: no end record (the session was killed, or lines were removed from the end)` };
    found(last + 1, 'end', cut.message);
  }
  const rank = (f: Finding): number => f.lineNo * 2 + (f.phase === 'after' ? 1 : 0);
  const first = findings.reduce<Finding | undefined>((a, f) => (a === undefined || rank(f) < rank(a) ? f : a), undefined);
  return { header, commands, first, cut };
}

function checkHeader(header: TranscriptHeader, found: (lineNo: number, field: string, message: string) => void): void {
  if (header.format !== TRANSCRIPT_FORMAT) {
    found(1, 'format', `transcript format ${str(header.format)}: this edgelab writes and checks format ${TRANSCRIPT_FORMAT} (format 1 has no hash chain or end record; record the session again)`);
    return;
  }
  if (header.config === undefined) {
    found(1, 'config', 'the header carries no configuration');
    return;
  }
  const digest = digestOf(header.config);
  if (header.configDigest !== digest) {
    found(1, 'configDigest', `header config digest ${str(header.configDigest).slice(0, 12)} is not the digest of the config it carries (${digest.slice(0, 12)})`);
  }
}
