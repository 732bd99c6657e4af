/**
 * In tmux: after a backtest stores a run, `runs show bt` + Tab completes the stored run's id from the
 * results store (read in the background), and Enter runs it (history lists it as ok). Skips with a message when tmux
 * or the build is missing (.ci/run installs tmux; npm test builds).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { TmuxShell, tmuxSkipReason } from './tmux-harness.js';

const skip = tmuxSkipReason('tmux run-id test');
const shell = new TmuxShell('runids');
afterAll(() => shell.kill());

describe.skipIf(skip !== '')('run ids complete with Tab in tmux', () => {
  it('runs show bt<Tab> completes the stored run id; Enter runs it', async () => {
    shell.start({ columns: 120, rows: 40 });
    await shell.ready(240_000);
    shell.line('backtest sma_cross --symbol SPY --interval 1d --skip-probes');
    // the full report (monthly and yearly tables) scrolls its "stored as run" line above the log view,
    // so the id is read from the `runs` listing once the backtest has finished
    await shell.waitFor(/\(took [\d.]+ (ms|s)\)/, 300_000);
    shell.line('runs');
    const listed = await shell.waitFor(/bt-[0-9a-f]{6,}/, 60_000);
    const id = /(bt-[0-9a-f]{6,})/.exec(listed)![1]!;
    shell.type('runs show bt');
    shell.keys('Tab');
    // the first read of the store lands in the background, then the line completes
    const completed = await shell.waitFor(new RegExp(`edgelab> runs show ${id}`), 60_000);
    expect(completed).toContain(`runs show ${id}`);
    shell.keys('Enter');
    // it ran and succeeded: history lists the completed line as ok
    await shell.waitFor(/edgelab> {2}/, 60_000);
    shell.line('history');
    await shell.waitFor(new RegExp(`runs show ${id}\\s+ok`), 60_000);
  }, 900_000);
});
