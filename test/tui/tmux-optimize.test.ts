/**
 * Optimiser must-show in a real terminal: while an `optimize` sweep runs (its trials on the worker
 * pool inside the job's worker thread), the live leaderboard pane shows the trials done, the rate
 * and the best trials so far and keeps updating; typed keys echo; Ctrl+C cancels, the pane says so
 * and the prompt comes back. Skips with a message when tmux or the build is missing (.ci/run
 * installs tmux; npm test builds).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { TmuxShell, tmuxSkipReason } from './tmux-harness.js';

const skip = tmuxSkipReason('tmux optimize test', 'src/optimize/trial-worker.js');
const shell = new TmuxShell('optimize');
afterAll(() => shell.kill());

/** Trials done according to the pane's summary line ('1234/15089 trials'). */
const doneOf = (screen: string): number => Number(/(\d+)\/\d+ trials/.exec(screen)?.[1] ?? -1);
/** The pane's best row: rank 1, fast, slow and the bps objective. */
const BEST_ROW = /│ *1 +\d+ +\d+ +-?\d+\.\d{4}/;

describe.skipIf(skip !== '')('optimize in tmux', () => {
  it('the leaderboard pane fills and updates during the sweep, keys echo, Ctrl+C cancels and the prompt returns', async () => {
    shell.start({ columns: 120, rows: 40 });
    await shell.ready(180_000);
    // ~15,000 points: long enough to watch it and cancel it on a loaded machine
    shell.line('optimize sma_cross --grid fast=2..80:1,slow=20..400:2 --no-store');
    const first = await shell.waitFor((s) => /┌ leaderboard · live · sma_cross/.test(s) && BEST_ROW.test(s) && doneOf(s) > 0, 300_000, 'the live leaderboard pane with a best trial');
    expect(first).toMatch(/#\s+fast\s+slow\s+bps/);
    expect(first).toMatch(/\d+\.\d trials\/s/);
    const later = await shell.waitFor((s) => doneOf(s) > doneOf(first), 120_000, 'the pane counting more trials');
    expect(later).toMatch(/grid · \d+\/\d+ trials/); // still running

    shell.type('xyz');
    const echoed = await shell.waitFor(/edgelab> xyz/, 60_000);
    expect(echoed).toMatch(/grid · \d+\/\d+ trials/); // still running when the keys showed

    shell.keys('C-u');
    shell.keys('C-c');
    const cancelled = await shell.waitFor((s) => /optimize: cancelled/.test(s) && /┌ leaderboard · cancelled/.test(s), 60_000, 'the cancelled sweep');
    expect(cancelled).toMatch(/cancelled after \d+/);
    await shell.waitFor(/edgelab> {2}/, 60_000, 'the prompt back');
    expect(shell.screen()).not.toMatch(/Ctrl\+C cancels/);
  }, 900_000);
});
