/**
 * Walk-forward's live pane in a real terminal at 80×24 (the pane under the log): while
 * `walkforward` runs in its job worker, the pane fills in one row per finished fold (test window,
 * chosen parameters, IS and OOS score) above the fold in hand's top trials, nothing is wider than
 * the terminal, and Ctrl+C cancels with the pane saying so and the prompt back. Skips with a message
 * when tmux or the build is missing.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { TmuxShell, tmuxSkipReason } from './tmux-harness.js';

const skip = tmuxSkipReason('tmux walk-forward test', 'src/optimize/trial-worker.js');
const shell = new TmuxShell('walkforward');
afterAll(() => shell.kill());

/** Fold rows of the pane: '│2  2014-01-05..2015-01-05   12/80  0.412  0.108'. */
const FOLD_ROW = /│ *(\d+) +\d{4}-\d{2}(?:-\d{2})?\.\.\d{4}-\d{2}(?:-\d{2})? +\d+\/\d+ +-?\d+\.\d{3} +(?:-?\d+\.\d{3}|–)/g;
const foldsShown = (screen: string): number[] => [...screen.matchAll(FOLD_ROW)].map((m) => Number(m[1]));

describe.skipIf(skip !== '')('walkforward in tmux at 80×24', () => {
  it('the walk-forward pane adds a row per finished fold; it fits; Ctrl+C cancels and the prompt returns', async () => {
    shell.start({ columns: 80, rows: 24 });
    await shell.ready(180_000);
    // ~660 points per fold: folds finish one by one slowly enough to watch
    shell.line('walkforward sma_cross --grid fast=2..40:1,slow=40..200:10 --train 3y --test 1y --no-store');
    const one = await shell.waitFor((s) => /┌ walk-forward · live/.test(s) && foldsShown(s).length >= 1, 300_000, 'the first fold row');
    expect(one).toMatch(/#\s+test window\s+fast\/slow\s+IS\s+OOS/);
    expect(one).toMatch(/\d+\/\d+ folds/);
    const two = await shell.waitFor((s) => Math.max(...foldsShown(s)) >= 2 && /┌ walk-forward · live/.test(s), 300_000, 'a second fold row');
    expect(foldsShown(two)).toContain(2);
    for (const l of two.split('\n')) expect([...l].length).toBeLessThanOrEqual(80);

    shell.keys('C-c');
    const cancelled = await shell.waitFor((s) => /walkforward: cancelled/.test(s) || /┌ walk-forward · cancelled/.test(s), 60_000, 'the cancelled walk-forward');
    await shell.waitFor(/edgelab> {2}/, 60_000, 'the prompt back');
    expect(shell.screen()).toMatch(/┌ walk-forward · cancelled/);
    expect(cancelled).not.toMatch(/walk-forward · finished/);
  }, 900_000);
});
