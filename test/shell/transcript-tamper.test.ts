/**
 * Tamper-evident transcripts (issue 11, must-show 2): a real transcript is recorded (a CSV ingested,
 * cleaned and shown, a config change, a stored backtest, `runs`, a failing line, history), then
 * each named mutation below is applied to a copy and `replay --check` must fail naming the line and
 * field of the first difference. The untampered transcript passes. Some mutations also recompute
 * the hash chain, as a forger who knows the format would: those are caught by re-execution alone.
 */
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createShell } from '../../src/shell/runtime.js';
import { replayTranscript, replayVerdict } from '../../src/shell/replay.js';
import { CHAIN_START, chainHash } from '../../src/shell/transcript.js';
import { canonicalJson } from '../../src/core/canonical.js';

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const dir = mkdtempSync(join(tmpdir(), 'edgelab-tamper-'));
const original = join(dir, 'session.jsonl');

/** The recorded session; line numbers in the transcript are script index + 2 (the header is line 1). */
const SCRIPT = [
  'seed', //                                                                   line 2
  'ingest file test/fixtures/data/demo-daily.csv --symbol DEMO', //            line 3
  'clean raw:DEMO:1d --to 1d,1w', //                                           line 4
  'show DEMO:1d --rows 3', //                                                  line 5
  'config set backtest.risk.max_gross 1.0', //                                 line 6
  'backtest sma_cross --symbol DEMO --fast 10 --slow 30 --interval 1d --rows 3', // line 7
  'runs', //                                                                   line 8
  'show NOPE:1d', //  (fails)                                                  line 9
  'history', //                                                                line 10
];
const END = SCRIPT.length + 2; // line 11

type Line = Record<string, any>;
let recorded: Line[];

beforeAll(async () => {
  const dataRoot = join(dir, 'data');
  const { dispatcher, transcript } = await createShell({ seed: 42, id: 'tamper', cwd: repo, dataRoot, transcriptPath: original });
  for (const l of SCRIPT) await dispatcher.execute(l);
  transcript!.close();
  recorded = readFileSync(original, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const copy = (): Line[] => structuredClone(recorded);
const serialise = (lines: readonly (Line | string)[]): string => `${lines.map((l) => (typeof l === 'string' ? l : canonicalJson(l))).join('\n')}\n`;
/** Recompute every hash and the end record's head (what a forger who knows the format would do). */
function rechain(lines: Line[]): Line[] {
  let prev = CHAIN_START;
  for (const l of lines) {
    if (l['type'] === 'end') l['head'] = prev;
    l['hash'] = chainHash(prev, l);
    prev = l['hash'];
  }
  return lines;
}
/** Line `n` (1-based) of a copy, edited by `fn`. */
const edit = (n: number, fn: (l: Line) => void, chain = false): string => {
  const lines = copy();
  fn(lines[n - 1]!);
  return serialise(chain ? rechain(lines) : lines);
};
const flipHex = (h: string): string => `${h[0] === '0' ? '1' : '0'}${h.slice(1)}`;

interface Tamper {
  readonly name: string;
  readonly text: () => string;
  readonly line: number;
  readonly field: string;
}

const TAMPERS: readonly Tamper[] = [
  // result and block digests
  { name: 'first block digest', text: () => edit(5, (l) => (l.blocks[0].digest = flipHex(l.blocks[0].digest))), line: 5, field: 'blocks[0].digest' },
  { name: 'last block digest', text: () => edit(5, (l) => (l.blocks.at(-1).digest = flipHex(l.blocks.at(-1).digest))), line: 5, field: 'blocks[1].digest' },
  { name: 'a block digest of a stored backtest', text: () => edit(7, (l) => (l.blocks[3].digest = flipHex(l.blocks[3].digest))), line: 7, field: 'blocks[3].digest' },
  { name: 'block digest, chain recomputed', text: () => edit(8, (l) => (l.blocks[1].digest = flipHex(l.blocks[1].digest)), true), line: 8, field: 'blocks[1].digest' },
  { name: 'block kind', text: () => edit(5, (l) => (l.blocks[1].kind = 'text')), line: 5, field: 'blocks[1].kind' },
  { name: 'block removed', text: () => edit(5, (l) => l.blocks.pop()), line: 5, field: 'blocks' },
  { name: 'block added', text: () => edit(2, (l) => l.blocks.push({ kind: 'text', digest: '0'.repeat(64) })), line: 2, field: 'blocks' },
  { name: 'result digest', text: () => edit(4, (l) => (l.digest = flipHex(l.digest))), line: 4, field: 'digest' },
  { name: 'result digest, chain recomputed', text: () => edit(10, (l) => (l.digest = flipHex(l.digest)), true), line: 10, field: 'digest' },
  // summary text
  { name: 'summary text', text: () => edit(2, (l) => (l.summary = 'seed 43')), line: 2, field: 'summary' },
  { name: 'summary text, chain recomputed', text: () => edit(8, (l) => (l.summary = `${l.summary} `), true), line: 8, field: 'summary' },
  // datasets changed
  { name: 'dataset digest', text: () => edit(4, (l) => (l.datasets['DEMO:1w'] = flipHex(l.datasets['DEMO:1w']))), line: 4, field: 'datasets.DEMO:1w' },
  { name: 'dataset removed from a record', text: () => edit(4, (l) => delete l.datasets['DEMO:1d'], true), line: 4, field: 'datasets.DEMO:1d' },
  { name: 'dataset added to a record', text: () => edit(5, (l) => (l.datasets = { 'DEMO:1d': '0'.repeat(64) })), line: 5, field: 'datasets.DEMO:1d' },
  // arguments, command, line
  { name: 'argument value', text: () => edit(5, (l) => (l.args.rows = 4)), line: 5, field: 'args' },
  { name: 'argument added', text: () => edit(7, (l) => (l.args.noStore = true), true), line: 7, field: 'args' },
  { name: 'command name', text: () => edit(3, (l) => (l.command = 'ingest synthetic')), line: 3, field: 'command' },
  { name: 'changed line', text: () => edit(5, (l) => (l.line = 'show DEMO:1d --rows 4'), true), line: 5, field: 'args' },
  { name: 'changed line, same arguments', text: () => edit(5, (l) => (l.line = 'show DEMO:1d  --rows  3')), line: 5, field: 'hash' },
  // status
  { name: 'status ok → error', text: () => edit(6, (l) => (l.status = 'error'), true), line: 6, field: 'status' },
  { name: 'status error → ok', text: () => edit(9, (l) => (l.status = 'ok')), line: 9, field: 'status' },
  { name: 'status → cancelled', text: () => edit(7, (l) => (l.status = 'cancelled')), line: 7, field: 'status' },
  // config
  { name: 'config digest on the config set record', text: () => edit(6, (l) => (l.config = flipHex(l.config))), line: 6, field: 'config' },
  { name: 'config digest added to a record', text: () => edit(5, (l) => (l.config = '0'.repeat(64)), true), line: 5, field: 'config' },
  { name: 'header config digest', text: () => edit(1, (l) => (l.configDigest = flipHex(l.configDigest))), line: 1, field: 'configDigest' },
  { name: 'header config value (digest kept)', text: () => edit(1, (l) => (l.config.backtest.risk.max_gross = 3), true), line: 1, field: 'configDigest' },
  // header
  { name: 'header seed', text: () => edit(1, (l) => (l.seed = 7)), line: 1, field: 'hash' },
  { name: 'header edgelab version', text: () => edit(1, (l) => (l.edgelab = '9.9.9')), line: 1, field: 'hash' },
  { name: 'header format', text: () => edit(1, (l) => (l.format = 1), true), line: 1, field: 'format' },
  { name: 'header hash', text: () => edit(1, (l) => (l.hash = flipHex(l.hash))), line: 1, field: 'hash' },
  // sequence numbers
  { name: 'sequence number', text: () => edit(4, (l) => (l.seq = 9)), line: 4, field: 'seq' },
  { name: 'sequence number, chain recomputed', text: () => edit(8, (l) => (l.seq = 8), true), line: 8, field: 'seq' },
  // other fields covered only by the chain
  { name: 'duration', text: () => edit(7, (l) => (l.durationMs = 1)), line: 7, field: 'hash' },
  { name: 'record hash', text: () => edit(6, (l) => (l.hash = flipHex(l.hash))), line: 6, field: 'hash' },
  // records deleted, reordered, inserted, duplicated
  { name: 'record deleted', text: () => serialise(copy().filter((_, i) => i !== 4)), line: 5, field: 'seq' },
  { name: 'record deleted, renumbered and rechained', text: () => serialise(rechain(renumber(copy().filter((_, i) => i !== 3)))), line: 4, field: 'status' },
  { name: 'records reordered', text: () => serialise(swap(copy(), 4, 5)), line: 5, field: 'seq' },
  { name: 'records reordered, renumbered and rechained', text: () => serialise(rechain(renumber(swap(copy(), 2, 3)))), line: 3, field: 'status' },
  { name: 'record inserted with the next number', text: () => serialise(insertAt(copy(), 4, { ...recorded[1]!, seq: 4 })), line: 5, field: 'hash' },
  { name: 'record inserted, renumbered and rechained', text: () => serialise(rechain(renumber(insertAt(copy(), 2, recorded[3]!)))), line: 3, field: 'status' },
  { name: 'record duplicated', text: () => serialise(insertAt(copy(), 5, recorded[4]!)), line: 6, field: 'seq' },
  { name: 'second header inserted', text: () => serialise(insertAt(copy(), 3, recorded[0]!)), line: 4, field: 'type' },
  { name: 'unknown record type', text: () => edit(9, (l) => (l.type = 'note')), line: 9, field: 'type' },
  // truncation and the end record
  { name: 'end record removed (killed session)', text: () => serialise(copy().slice(0, -1)), line: END, field: 'end' },
  { name: 'last three lines removed', text: () => serialise(copy().slice(0, -3)), line: END - 2, field: 'end' },
  { name: 'cut in the middle of a line', text: () => serialise(copy()).slice(0, -40), line: END, field: 'end' },
  { name: 'end record count', text: () => edit(END, (l) => (l.count = 8)), line: END, field: 'count' },
  { name: 'end record head', text: () => edit(END, (l) => (l.head = flipHex(l.head))), line: END, field: 'head' },
  { name: 'end record hash', text: () => edit(END, (l) => (l.hash = flipHex(l.hash))), line: END, field: 'hash' },
  { name: 'line after the end record', text: () => serialise([...copy(), recorded[1]!]), line: END + 1, field: 'type' },
  // bytes
  { name: 'line pretty-printed', text: () => serialise(copy().map((l, i) => (i === 2 ? JSON.stringify(l, null, 1).replace(/\n/g, '') : l))), line: 3, field: 'bytes' },
  { name: 'line not JSON', text: () => serialise(copy().map((l, i) => (i === 6 ? '{"type":"command",' : l))), line: 7, field: 'json' },
];

function renumber(lines: Line[]): Line[] {
  let seq = 0;
  for (const l of lines) {
    if (l['type'] === 'command') l['seq'] = ++seq;
    if (l['type'] === 'end') l['count'] = seq;
  }
  return lines;
}
function swap(lines: Line[], a: number, b: number): Line[] {
  [lines[a], lines[b]] = [lines[b]!, lines[a]!];
  return lines;
}
function insertAt(lines: Line[], at: number, line: Line): Line[] {
  lines.splice(at, 0, structuredClone(line));
  return lines;
}

describe('replay --check on a real transcript', () => {
  it('the untampered transcript passes: complete, every record reproduced', async () => {
    const report = await replayTranscript(original, { cwd: repo, stopAtFirst: true });
    expect(report.first).toBeUndefined();
    expect(report.complete).toBe(true);
    expect(report.matched).toBe(SCRIPT.length);
    expect(replayVerdict(report, true).failure).toBeUndefined();
    // the record of `config set` carries the new effective config digest; others carry none
    expect(recorded.filter((l) => l['type'] === 'command' && l['config'] !== undefined).map((l) => l['line'])).toEqual(['config set backtest.risk.max_gross 1.0']);
  }, 120_000);

  it('a cut transcript replays up to the cut and says where; only --check fails on it', async () => {
    const path = join(dir, 'cut.jsonl');
    writeFileSync(path, serialise(copy().slice(0, 7))); // header + 6 records: killed during the backtest
    const report = await replayTranscript(path, { cwd: repo });
    expect(report.complete).toBe(false);
    expect(report.replayed).toBe(6);
    expect(report.matched).toBe(6);
    const cut = 'the transcript is cut after line 7: no end record (the session was killed, or lines were removed from the end)';
    expect(report.cut).toBe(cut);
    const plain = replayVerdict(report, false);
    expect(plain.failure).toBeUndefined();
    expect(plain.lines).toContain(`replayed up to the cut: ${cut}`);
    expect(plain.lines.at(-1)).toBe('6/6 commands reproduce their recorded digests (seed 42), transcript cut');
    expect(replayVerdict(report, true).failure).toBe(`replay: line 8: end: ${cut}`);
  }, 120_000);

  it(`has at least 30 distinct tamper kinds (${TAMPERS.length})`, () => {
    expect(new Set(TAMPERS.map((t) => t.name)).size).toBe(TAMPERS.length);
    expect(TAMPERS.length).toBeGreaterThanOrEqual(30);
  });

  it.each(TAMPERS)('catches: $name (line $line, field $field)', async (t) => {
    const path = join(dir, `${t.name.replace(/\W+/g, '-')}.jsonl`);
    const text = t.text();
    expect(text).not.toBe(readFileSync(original, 'utf8'));
    writeFileSync(path, text);
    const report = await replayTranscript(path, { cwd: repo, stopAtFirst: true });
    expect(report.first, 'no difference found').toBeDefined();
    expect({ line: report.first!.lineNo, field: report.first!.field }).toEqual({ line: t.line, field: t.field });
    const failure = replayVerdict(report, true).failure;
    expect(failure).toMatch(new RegExp(`^replay: line ${t.line}\\b`));
    expect(failure).toContain(t.field);
  }, 120_000);
});
