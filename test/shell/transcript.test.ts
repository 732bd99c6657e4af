import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TranscriptWriter, readTranscriptFile, chainHash, CHAIN_START } from '../../src/shell/transcript.js';
import { sha256, canonicalJson } from '../../src/core/canonical.js';
import { createShell } from '../../src/shell/runtime.js';
import { replayTranscript } from '../../src/shell/replay.js';
import { parseScript } from '../../src/shell/script.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'edgelab-transcript-'));

describe('transcripts', () => {
  it('writes a header and one parseable line per recorded command', async () => {
    const path = join(tmp(), 't.jsonl');
    const { dispatcher, transcript } = await createShell({ seed: 5, id: 't', transcriptPath: path });
    await dispatcher.execute('seed');
    await dispatcher.execute('nonsense');
    await dispatcher.execute('exit');
    transcript!.close();
    const lines = readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatchObject({ type: 'header', seed: 5, format: 2 });
    expect(lines[1]).toMatchObject({ type: 'command', seq: 1, line: 'seed', status: 'ok', summary: 'seed 5' });
    expect(lines[2]).toMatchObject({ seq: 2, line: 'nonsense', status: 'error' });
    expect(lines[1].digest).toMatch(/^[0-9a-f]{64}$/);
    expect(lines[3]).toMatchObject({ type: 'end', count: 2, head: lines[2].hash });
  });

  it('chains every line: hash = sha256(previous hash + newline + canonical JSON of the line without its hash)', async () => {
    const path = join(tmp(), 'chain.jsonl');
    const { dispatcher, transcript } = await createShell({ seed: 5, id: 'c', transcriptPath: path });
    await dispatcher.execute('seed');
    transcript!.close();
    const raw = readFileSync(path, 'utf8').trim().split('\n');
    let prev = 'edgelab-transcript-2';
    for (const text of raw) {
      const { hash, ...rest } = JSON.parse(text);
      // written from scratch here, not through chainHash: the documented bytes
      expect(hash).toBe(sha256(`${prev}\n${canonicalJson(rest)}`));
      expect(text).toBe(canonicalJson({ ...rest, hash }));
      prev = hash;
    }
    expect(CHAIN_START).toBe('edgelab-transcript-2');
    expect(chainHash(CHAIN_START, { a: 1, hash: 'ignored' })).toBe(sha256('edgelab-transcript-2\n{"a":1}'));
  });

  it('a torn last line (process killed mid-write) leaves the complete lines readable', () => {
    const path = join(tmp(), 'torn.jsonl');
    const w = new TranscriptWriter(path, { type: 'header', format: 2, edgelab: '0', git: null, node: 'x', seed: 1, configDigest: 'c', sessionId: 's' });
    w.write({ type: 'command', seq: 1, line: 'seed', command: 'seed', args: {}, status: 'ok', durationMs: 1, digest: 'd', blocks: [], summary: 's' });
    // killed before close(): no end record
    writeFileSync(path, `${readFileSync(path, 'utf8')}{"type":"command","seq":2,"li`);
    const t = readTranscriptFile(path);
    expect(t.lines.map((l) => l.value?.['type'])).toEqual(['header', 'command', undefined]);
    expect(t.tornTail).toBe(true);
  });

  it('replay reproduces digests; an edited digest is named by command and block', async () => {
    const dir = tmp();
    const path = join(dir, 'r.jsonl');
    const { dispatcher, transcript } = await createShell({ seed: 3, id: 'r', transcriptPath: path });
    for (const l of ['seed', 'config show session', 'history']) await dispatcher.execute(l);
    transcript!.close();
    const good = await replayTranscript(path);
    expect(good.first).toBeUndefined();
    expect(good.matched).toBe(3);

    const lines = readFileSync(path, 'utf8').trim().split('\n');
    const rec = JSON.parse(lines[2]!);
    rec.digest = '0'.repeat(64);
    rec.blocks[0].digest = 'f'.repeat(64);
    lines[2] = JSON.stringify(rec);
    const edited = join(dir, 'edited.jsonl');
    writeFileSync(edited, `${lines.join('\n')}\n`);
    const bad = await replayTranscript(edited, { stopAtFirst: true });
    expect(bad.first).toMatchObject({ lineNo: 3, field: 'blocks[0].digest' });
  });
});

describe('session scripts', () => {
  it('skips comments and blank lines and reads expect-error markers', () => {
    expect(parseScript('# c\n\nseed 1\n  hepl   # expect-error\n')).toEqual([
      { lineNo: 3, text: 'seed 1', expectError: false },
      { lineNo: 4, text: 'hepl', expectError: true },
    ]);
  });
});
