import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TranscriptWriter, readTranscript } from '../../src/shell/transcript.js';
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
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({ type: 'header', seed: 5, format: 1 });
    expect(lines[1]).toMatchObject({ type: 'command', seq: 1, line: 'seed', status: 'ok', summary: 'seed 5' });
    expect(lines[2]).toMatchObject({ seq: 2, line: 'nonsense', status: 'error' });
    expect(lines[1].digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a torn last line (process killed mid-write) leaves the complete lines readable', () => {
    const path = join(tmp(), 'torn.jsonl');
    const w = new TranscriptWriter(path, { type: 'header', format: 1, edgelab: '0', git: null, node: 'x', seed: 1, configDigest: 'c', sessionId: 's' });
    w.write({ type: 'command', seq: 1, line: 'seed', command: 'seed', args: {}, status: 'ok', durationMs: 1, digest: 'd', blocks: [], summary: 's' });
    w.close();
    writeFileSync(path, `${readFileSync(path, 'utf8')}{"type":"command","seq":2,"li`);
    const t = readTranscript(path);
    expect(t.records).toHaveLength(1);
    expect(t.damaged).toEqual([3]);
  });

  it('replay reproduces digests; an edited digest is named by command and block', async () => {
    const dir = tmp();
    const path = join(dir, 'r.jsonl');
    const { dispatcher, transcript } = await createShell({ seed: 3, id: 'r', transcriptPath: path });
    for (const l of ['seed', 'config show session', 'history']) await dispatcher.execute(l);
    transcript!.close();
    const good = await replayTranscript(path);
    expect(good.mismatches).toEqual([]);
    expect(good.matched).toBe(3);

    const lines = readFileSync(path, 'utf8').trim().split('\n');
    const rec = JSON.parse(lines[2]!);
    rec.digest = '0'.repeat(64);
    rec.blocks[0].digest = 'f'.repeat(64);
    lines[2] = JSON.stringify(rec);
    const edited = join(dir, 'edited.jsonl');
    writeFileSync(edited, `${lines.join('\n')}\n`);
    const bad = await replayTranscript(edited, { stopAtFirst: true });
    expect(bad.mismatches).toHaveLength(1);
    expect(bad.mismatches[0]).toMatchObject({ seq: 2, line: 'config show session', what: 'block 1 (text)' });
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
