/**
 * The built shell (`node bin/edgelab.js`) driven in a real terminal: tmux at 80×24, 120×40 and
 * 200×60 runs `backtest`, `regime` and `runs` on the demo data, and the captured screens are
 * checked the way a person would look at them: nothing wider than the terminal, a chart of at
 * least 8 plotted rows with dates under it, the regime strips, Shift+Tab and Ctrl+T / Esc.
 *
 * Skips with a message when tmux is missing (.ci/run installs it) or the build is absent.
 * With EDGELAB_SCREENS_OUT=DIR the captures are written there (docs/shell-screens.md uses them).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TmuxShell, tmuxSkipReason } from './tmux-harness.js';

const skip = tmuxSkipReason('tmux screen test');
let shell = new TmuxShell('screens');
const trimmed = (screen: string): string => screen.replace(/\n+$/, '');
const capture = (): string[] => trimmed(shell.screen()).split('\n');

/** Poll the screen until `check` holds (throws with the last screen when it never does). */
const waitFor = async (check: (screen: string) => boolean, what: string, ms = 120_000): Promise<string> => trimmed(await shell.waitFor((s) => check(trimmed(s)), ms, what));

/** Busy while the job line (progress, Ctrl+C cancels) or a queued notice shows. */
const idle = (screen: string): boolean => !/Ctrl\+C cancels|queued:|waiting for/.test(screen);

/** The header names the running job ('▶ backtest 50%'). */
const running = (screen: string): boolean => /▶/.test(screen.split('\n')[0] ?? '');

/** Type a command and wait until it has run: its job shows in the header, then goes. */
async function run(line: string): Promise<string> {
  shell.line(line);
  // A quick command may finish before a capture sees it run.
  await waitFor(running, `'${line}' starting`, 5_000).catch(() => '');
  let quiet = 0;
  return waitFor((s) => (!running(s) && idle(s) ? ++quiet >= 3 : ((quiet = 0), false)), `the end of '${line}'`);
}

afterAll(() => shell.kill());

const out = process.env['EDGELAB_SCREENS_OUT'];
const save = (name: string, screen: string): void => {
  if (!out) return;
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, name), `${screen}\n`);
};

/** Plotted rows of a chart with 6-digit NAV labels ('147706 ┤'). */
const chartRows = (screen: string): number => screen.split('\n').filter((l) => /│ ?\d{5,6} [┤┼]/.test(l)).length;
const hasDateAxis = (screen: string): boolean => {
  const lines = screen.split('\n');
  const i = lines.findIndex((l) => /│ +└[─┬]*┬[─┬]*/.test(l));
  return i >= 0 && /20\d\d/.test(lines[i + 1] ?? '');
};

describe.skipIf(skip !== '')('the shell in tmux', { timeout: 400_000 }, () => {
  for (const [columns, rows] of [
    [80, 24],
    [120, 40],
    [200, 60],
  ] as const) {
    it(`${columns}×${rows}: backtest, regime and runs fit; charts have ≥ 8 rows and dates; Ctrl+T views a table`, async () => {
      shell = new TmuxShell(`screens-${columns}x${rows}`);
      // CI=true as on a CI runner: Ink would draw only the last frame; the shell must still draw live (docs/shell.md, Start-up).
      shell.start({ columns, rows, env: { CI: 'true' } });
      try {
        await waitFor((s) => /\d+ sets \(\d+ ready\)/.test(s) && idle(s) && / edgelab> /.test(s), 'the demo data');

        const backtest = await run('backtest');
        for (const l of backtest.split('\n')) expect([...l].length).toBeLessThanOrEqual(columns);
        // The equity pane is in front (tabbed) or stacked: either way its chart shows.
        expect(chartRows(backtest)).toBeGreaterThanOrEqual(8);
        expect(hasDateAxis(backtest)).toBe(true);
        // The trades and orders tables are wider than a 70- or 78-column log (a 136-column one holds them).
        if (columns < 200) expect(backtest).toContain('Ctrl+T views full width');
        save(`backtest-${columns}x${rows}.txt`, backtest);

        const regime = await run('regime');
        expect(regime).toMatch(/equity [▁▂▃▄▅▆▇█]+ +(BULL|BEAR|NEUTRAL)/);
        expect(regime).toMatch(/macro +[▁▂▃▄▅▆▇█]+ +(EXPANSION|SLOWDOWN|RECESSION)/);
        expect(hasDateAxis(regime)).toBe(true);
        save(`regime-${columns}x${rows}.txt`, regime);

        const runs = await run('runs');
        for (const l of runs.split('\n')) expect([...l].length).toBeLessThanOrEqual(columns);

        if (columns < 100) {
          // Shift+Tab walks the tabs (regime → gates → risk → equity) back to the chart.
          for (let i = 0; i < 4 && !/┌ \[equity\]/.test(capture().join('\n')); i++) {
            const before = capture()[8];
            shell.keys('BTab');
            await waitFor(() => capture()[8] !== before, 'the next tab', 10_000);
          }
          const equity = await waitFor((s) => /┌ \[equity\]/.test(s), 'the equity tab', 5_000);
          expect(chartRows(equity)).toBeGreaterThanOrEqual(8);
          expect(hasDateAxis(equity)).toBe(true);
        }

        shell.keys('C-t');
        const view = await waitFor((s) => /┌ .* · \d+\/\d+ from runs/.test(s), 'the table view');
        expect(view).toMatch(/rows \d+–\d+ of \d+/);
        for (const l of view.split('\n')) expect([...l].length).toBeLessThanOrEqual(columns);
        save(`table-view-${columns}x${rows}.txt`, view);
        shell.keys('Escape');
        await waitFor((s) => /┌ log/.test(s), 'the panes again after Esc');
      } finally {
        shell.kill();
      }
    });
  }
});
