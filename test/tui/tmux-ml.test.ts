/**
 * The ML panes in tmux: in the interactive shell, `fit --model gbdt` on a small synthetic universe
 * runs as a job and its result shows the fit summary, the out-of-fold scores, the feature
 * importance (the state features by name), the reliability table and the learning curve, at
 * 200×60, and the learning pane beside the log (its end values and kept round are the
 * selected-rounds table's); the window then shrinks to 80×24 and, paged back, the log shows the same out-of-fold
 * scores. Skips with a message when tmux or the build is missing.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { TmuxShell, tmuxSkipReason } from './tmux-harness.js';

const skip = tmuxSkipReason('tmux ML test');
const shell = new TmuxShell('ml');
afterAll(() => shell.kill());

describe.skipIf(skip !== '')('ML fit results in tmux', () => {
  it('fit --model gbdt shows scores, importance, reliability and the learning curve', async () => {
    shell.start({ columns: 200, rows: 60 });
    await shell.ready(180_000);
    shell.line('ingest synthetic --symbols BTCUSDT --years 0.5 --universe 4');
    await shell.waitFor(/XS004USDT/, 300_000);
    shell.line('fit --model gbdt --interval 1h --horizons 1d --rounds 20 --depth 3 --folds 4 --early-stop 5 --out state');
    const done = await shell.waitFor(/reliability of out-of-fold P\(up\)/, 600_000);
    expect(done).not.toMatch(/error/i);
    const text = done;
    if (process.env['EDGELAB_TMUX_DUMP']) console.log(text);
    expect(text).toMatch(/state: multiclass boosted trees \(target direction: down \/ flat \/ up\) on 4 symbols × 4368 1h bars/);
    // Out-of-fold scores: accuracy in [0, 1], log-loss near ln 3 (three classes, a weak signal);
    // the row has IC and IC t after them (the selected-rounds rows of the learning curve do not).
    const oof = /│\s+1d\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+-?[\d.]+\s+-?[\d.]+\s/.exec(text)!;
    expect(Number(oof[1])).toBeGreaterThan(1000);
    expect(Number(oof[2])).toBeGreaterThan(0.2);
    expect(Math.abs(Number(oof[3]) - Math.log(3))).toBeLessThan(0.3);
    // Importance: every state feature listed by name, and the gain shares (rounded to 4 places) sum to 1.
    expect(text).toMatch(/feature importance \(share of total split gain/);
    let shares = 0;
    for (const feature of ['ret_1', 'ret_3', 'ret_5', 'ret_10', 'ret_20', 'log_vol', 'dist_mean']) {
      const m = new RegExp(`│\\s+${feature}\\s+([\\d.]+)\\s`).exec(text);
      expect(m, feature).not.toBeNull();
      shares += Number(m![1]);
    }
    expect(Math.abs(shares - 1)).toBeLessThan(1e-3);
    expect(text).toMatch(/P\(up\) from\s+to\s+rows\s+mean predicted\s+observed up/);
    // The learning curve: train and validation, one point per kept round plus round 0.
    expect(text).toMatch(/learning curve 1d \(train vs validation loss per round\): train last [\d.]+ \(\d+ points\) · validation last [\d.]+ \(\d+ points\)/);
    // The learning pane takes the side column: its header's last train and validation losses and
    // kept round are the selected-rounds table's (last row and 'kept' row, read from the log), the
    // kept round is marked ▲ on the round axis, and both curves' glyphs are drawn.
    expect(text).toMatch(/┌ learning · loss per round/);
    const header = /│(?:1d ─ train ([\d.]+) ═ valid(?:ation)? ([\d.]+) ┊ kept r(\d+)\/(\d+)|1d · ─ train ([\d.]+) · ═ validation ([\d.]+) · ┊ kept round (\d+) of (\d+))/.exec(text);
    expect(header, text).not.toBeNull();
    const [train, valid, kept, last] = (header![1] !== undefined ? header!.slice(1, 5) : header!.slice(5, 9)).map(Number) as [number, number, number, number];
    const lastRow = new RegExp(`│\\s+1d\\s+${last}\\s+([\\d.]+)\\s+([\\d.]+)\\s+[^│]*last`).exec(text);
    expect(lastRow, text).not.toBeNull();
    expect(Math.abs(Number(lastRow![1]) / train - 1)).toBeLessThan(1e-4);
    expect(Math.abs(Number(lastRow![2]) / valid - 1)).toBeLessThan(1e-4);
    expect(text).toMatch(new RegExp(`│\\s+1d\\s+${kept}\\s+[\\d.]+\\s+[\\d.]+\\s+(start, )?kept`));
    expect(text).toMatch(/└┬[─┬]*▲/);
    expect(text).toMatch(/┤[^│]*[═║╔╗╚╝]/);
    expect(text).toMatch(/┤[^│]*[─╭╮╰╯]/);
    // Shift+Tab gives the side column back to the stacked panes, and again brings the curves back.
    shell.keys('BTab');
    const stacked = await shell.waitFor((s) => !/┌ learning/.test(s) && /┌ gates/.test(s), 10_000, 'the stacked panes');
    expect(stacked).toMatch(/┌ equity/);
    shell.keys('BTab');
    await shell.waitFor(/┌ learning · loss per round/, 10_000, 'the learning pane again');

    // The same result after the window shrinks to 80×24: the shell lays out again (log over a
    // tabbed pane), the log's frame is 80 wide, and paging back (PgUp) shows the out-of-fold row
    // with the values read at 200×60. tmux resizes the window itself (the harness has no resize).
    execFileSync('tmux', ['-L', `edgelab-ml-${process.pid}`, 'resize-window', '-t', 'shell', '-x', '80', '-y', '24']);
    const logTop = (s: string): string | undefined => s.split('\n').find((l) => /^┌ log.*┐$/.test(l));
    const small = await shell.waitFor((s) => [...(logTop(s) ?? '')].length === 80, 60_000, 'the log framed at 80 columns');
    expect(small.split('\n').filter((l) => l.length > 0).every((l) => [...l].length <= 80)).toBe(true);
    // At 80 columns the learning pane is the tab in front (under the log), its chart with the kept round.
    expect(small).toMatch(/┌ equity regime gates risk \[learning\] · Shift\+Tab/);
    const dots = (v: number): string => String(v).replace('.', '\\.');
    expect(small).toMatch(new RegExp(`│1d [^│]*train ${dots(train)} [^│]*${dots(valid)} [^│]*┊ kept r(ound )?${kept}`));
    expect(small).toMatch(/└┬[─┬]*▲/);
    // Each PgUp waits for the log's "↑ N lines back" to grow: waiting for the words alone took the
    // screen of the previous page, so the keys ran ahead of the captures and paged past the row.
    const linesBack = (s: string): number => Number(/↑ (\d+) lines? back/.exec(s)?.[1] ?? 0);
    let paged = small;
    for (let i = 0; i < 12 && !/│\s+1d\s+\d+\s+[\d.]+\s+[\d.]+\s+-?[\d.]+\s+-?[\d.]+\s/.test(paged); i++) {
      const before = linesBack(paged);
      shell.keys('PPage');
      paged = await shell.waitFor((s) => linesBack(s) > before, 10_000, 'the log scrolled back one page');
    }
    const again = /│\s+1d\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+-?[\d.]+\s+-?[\d.]+\s/.exec(paged);
    expect(again, paged).not.toBeNull();
    expect([again![1], again![2], again![3]]).toEqual([oof[1], oof[2], oof[3]]);
  }, 900_000);
});
