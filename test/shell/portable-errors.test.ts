/**
 * An error that names a file under the data root (here: the results database `runs show` looks
 * for) is recorded with the root written as $DATA_ROOT, so a replay — which always runs in a fresh
 * temp data root — reproduces its digest. Before, the temp path made every such line differ.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createShell } from '../../src/shell/runtime.js';
import { replayTranscript } from '../../src/shell/replay.js';
import { portableResult } from '../../src/shell/dispatcher.js';
import { configSchema } from '../../src/config/schema.js';
import type { TextBlock } from '../../src/core/result.js';

const dir = mkdtempSync(join(tmpdir(), 'edgelab-portable-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('errors naming the data root', () => {
  it('are shown with the real path, recorded with $DATA_ROOT, and replay to the same digest', async () => {
    const dataRoot = join(dir, 'root');
    const transcriptPath = join(dir, 's.jsonl');
    const shell = await createShell({ config: configSchema.parse({ synthetic: { symbols: ['BTCUSDT'], years: 0.1 } }), seed: 1, dataRoot, transcriptPath });
    const r = (await shell.dispatcher.execute('runs show nosuch')).result;
    expect(r.status).toBe('error');
    expect((r.blocks[0] as TextBlock).text).toContain(dataRoot);
    shell.transcript!.close();
    const record = readFileSync(transcriptPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>).find((x) => x['line'] === 'runs show nosuch')!;
    expect(String(record['summary'])).toContain('$DATA_ROOT');
    expect(String(record['summary'])).not.toContain(dataRoot);
    const report = await replayTranscript(transcriptPath);
    expect(report.first).toBeUndefined();
    expect(report.matched).toBe(report.commands);
  });
  it('a successful result is kept as it is', () => {
    const ok = { title: 't', status: 'ok', blocks: [{ kind: 'text', text: '/root/x' }] } as never;
    expect(portableResult(ok, '/root')).toBe(ok);
    const failed = { title: 't', status: 'error', blocks: [{ kind: 'text', text: 'cannot open /root/x' }] } as never;
    expect(JSON.stringify(portableResult(failed, '/root'))).toContain('cannot open $DATA_ROOT/x');
  });
});
