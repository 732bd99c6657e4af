/**
 * A job command's yes/no question (io.confirm) reaches the shell thread from its worker: `paper
 * start --live --real` runs as a job, and the question it asks crosses the job's message port to the
 * shell's confirm (the TUI dialog), whose answer goes back. Without a confirm (a background line, a
 * headless run) the command gets no io.confirm and refuses. Workers load the compiled commands:
 * `npm run build`.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createShell } from '../../../src/shell/runtime.js';
import { JobWorkers, workerFile } from '../../../src/shell/jobs/worker-pool.js';
import type { TextBlock } from '../../../src/core/result.js';

const root = resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'edgelab-job-confirm-'));
let built = true;
try {
  workerFile();
} catch {
  built = false;
}
if (!built) console.warn('job confirm: skipped, the job worker is not built (run npm run build)');
const workers = new JobWorkers({ threads: 1 });
afterAll(async () => {
  await workers.close();
  rmSync(dir, { recursive: true, force: true });
});

const LINE = 'paper start sma_cross --symbol BTCUSDT --live --unpromoted --real --broker binance';

describe.skipIf(!built)('confirm from a job worker', () => {
  it('asks the shell thread and honours its answer; without a confirm the command refuses as headless', async () => {
    const shell = await createShell({ root, cwd: dir, dataRoot: join(dir, 'data') });
    const asked: string[] = [];
    const declined = await workers.run(shell.session, LINE, { confirm: async (q) => { asked.push(q); return false; } });
    expect(asked).toEqual(["Trade sma_cross on binance's REAL account (real orders, real capital)?"]);
    expect(declined.result.status).toBe('error');
    expect((declined.result.blocks[0] as TextBlock).text).toMatch(/live trading on the real account was not confirmed/);
    const headless = await workers.run(shell.session, LINE);
    expect((headless.result.blocks[0] as TextBlock).text).toMatch(/headless runs must pass --yes-live/);
  }, 120_000);
});
