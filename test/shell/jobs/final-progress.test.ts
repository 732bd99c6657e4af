/**
 * A job's last progress reaches the shell before its result is handed back: the job worker's
 * outcome travels on piscina's own channel and could overtake the job's final messages, which
 * carry the live leaderboard's last state (docs/shell.md, "Live leaderboard"). Run `optimize` in a
 * job worker as the interactive shell does and check the last progress seen when `run` resolves
 * says every trial is done, as the result does. Workers load the compiled commands: `npm run build`.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createShell } from '../../../src/shell/runtime.js';
import { JobWorkers, workerFile } from '../../../src/shell/jobs/worker-pool.js';
import type { Progress } from '../../../src/shell/command.js';
import type { MetricsBlock } from '../../../src/core/result.js';

const root = resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'edgelab-final-progress-'));
let built = true;
try {
  workerFile();
} catch {
  built = false;
}
if (!built) console.warn('final job progress: skipped, the job worker is not built (run npm run build)');
const workers = new JobWorkers({ threads: 1 });
afterAll(async () => {
  await workers.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!built)('a job worker’s last progress', () => {
  it('arrives before the outcome: the live board of a finished optimize says all trials are done', async () => {
    const shell = await createShell({ root, cwd: dir, dataRoot: join(dir, 'data') });
    expect((await shell.dispatcher.execute('ingest synthetic --symbols SPY --start 2021-01-01 --years 1 --equity-start 2014-01-01')).result.status).toBe('ok');
    // fast 10|30|50 × slow 20|40|60: (30,20), (50,20), (50,40) are infeasible (fast must be shorter)
    for (let round = 0; round < 3; round++) {
      let last: Progress | undefined;
      const outcome = await workers.run(shell.session, 'optimize sma_cross --grid fast=10..50:20,slow=20..60:20 --workers 0 --no-store', { onProgress: (p) => (last = p) });
      expect(outcome.result.status).toBe('ok');
      const search = outcome.result.blocks.find((b) => b.kind === 'metrics' && b.title === 'search') as MetricsBlock;
      const metric = (name: string): unknown => search.items.find((i) => i.name === name)!.value;
      expect(metric('trials evaluated')).toBe(9);
      expect(metric('infeasible points')).toBe(3);
      expect(last?.board).toMatchObject({ done: 9, total: 9, infeasible: 3, cached: 0 });
      expect(last?.board?.top.length).toBe(6);
    }
  }, 180_000);
});
