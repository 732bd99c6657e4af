/**
 * The ML results as a person sees them in the shell's log, at 80×24, 120×40 and 200×60: a real
 * `fit --model gbdt` (two horizons, so the importance table has two share columns) is drawn by the
 * Body component through ink-testing-library, and the log is paged from its first line to its last
 * (PgUp / PgDn windows). On every page every line is exactly the terminal's width; over the pages
 * the fit summary, every table whole with its title (none is cut, so no Ctrl+T hint) and both
 * learning-curve lines are on screen. Read off the screen, the gain shares of each horizon sum to 1,
 * and the out-of-fold rows, accuracy and log-loss are the result's values.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import React from 'react';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanup, render } from 'ink-testing-library';
import { Body } from '../../src/tui/Body.js';
import { computeLayout, CHROME_ROWS } from '../../src/tui/layout.js';
import { paneState } from '../../src/tui/pane-state.js';
import { logLines, type LogEntry } from '../../src/tui/log-lines.js';
import { tableText } from '../../src/tui/table-view.js';
import { createShell } from '../../src/shell/runtime.js';
import { configSchema } from '../../src/config/schema.js';
import type { CommandResult, TableBlock, TextBlock } from '../../src/core/result.js';

afterEach(cleanup);
const dir = mkdtempSync(join(tmpdir(), 'edgelab-ml-screens-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LINE = 'fit --model gbdt --interval 1h --horizons 1d,3d --rounds 12 --depth 3 --folds 3 --out state';
let fit: CommandResult;

beforeAll(async () => {
  const shell = await createShell({ config: configSchema.parse({ synthetic: { symbols: ['BTCUSDT'], start: '2022-01-01', years: 0.5 } }), seed: 42, dataRoot: dir });
  expect((await shell.dispatcher.execute('ingest synthetic --universe 3')).result.status).toBe('ok');
  fit = (await shell.dispatcher.execute(LINE)).result;
  expect(fit.status, JSON.stringify(fit.blocks[0])).toBe('ok');
}, 300_000);

// eslint-disable-next-line no-control-regex
const plain = (s: string): string => s.replace(/\u001b\[[0-9;]*m/g, '');

/**
 * Every page of the log, from the first line (scrolled all the way up) to the last (scroll 0): the
 * whole frame, and the text inside the log's borders (the log is the top-left pane in every layout).
 */
function pages(columns: number, rows: number): { frame: string[]; log: string[] }[] {
  const layout = computeLayout(columns, rows);
  const entries: LogEntry[] = [{ kind: 'command', line: LINE }, { kind: 'result', result: fit, durationMs: 12_000 }];
  const lines = logLines(entries, layout.log.width - 2);
  const panes = paneState([{ line: LINE, result: fit }]);
  const height = layout.log.height - 2;
  const out: { frame: string[]; log: string[] }[] = [];
  for (let scroll = Math.max(0, lines.length - height); ; scroll = Math.max(0, scroll - height)) {
    const tree = <Body layout={layout} panes={panes} lines={lines} scroll={scroll} />;
    const r = render(tree);
    Object.defineProperty(r.stdout, 'columns', { get: () => columns, configurable: true });
    r.rerender(tree);
    const frame = plain(r.lastFrame() ?? '').split('\n');
    out.push({ frame, log: frame.slice(1, layout.log.height - 1).map((l) => [...l].slice(1, layout.log.width - 1).join('').trimEnd()) });
    r.unmount();
    if (scroll === 0) break;
  }
  return out;
}

const tables = (): TableBlock[] => fit.blocks.filter((b): b is TableBlock => b.kind === 'table');
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('ML fit results in the log at each terminal size', () => {
  for (const [columns, rows] of [
    [80, 24],
    [120, 40],
    [200, 60],
  ] as const) {
    it(`${columns}×${rows}: every page fits; summary, tables, learning curves and their values are on screen`, () => {
      const all = pages(columns, rows);
      expect(all.length).toBeGreaterThan(0);
      for (const { frame } of all) {
        expect(frame.length).toBe(rows - 1 - CHROME_ROWS);
        for (const l of frame) expect([...l].length).toBe(columns);
      }
      // What the log showed, page after page; a wrapped line continues on the next line.
      const screen = all.map((p) => p.log.join('\n')).join('\n');
      const wrapped = (words: string): RegExp => new RegExp(words.split(' ').map(escape).join('\\s+'));
      const logWidth = computeLayout(columns, rows).log.width - 4; // borders and the 2-space indent

      // The summary's first words (the text block wraps at the log width).
      const summary = (fit.blocks[0] as TextBlock).text.split('\n')[0]!;
      expect(screen).toMatch(wrapped(summary));

      // Each table: whole when it fits; else every line cut with '…' and the hint to view it in full.
      let cut = 0;
      for (const t of tables()) {
        const textLines = tableText(t);
        const fits = textLines.every((l) => [...l].length <= logWidth);
        if (fits) {
          for (const l of textLines) expect(screen, `${t.title}: ${l}`).toContain(l.trimEnd());
          if (t.title && [...t.title].length <= logWidth) expect(screen).toContain(t.title);
        }
        else {
          cut++;
          expect(screen).toContain(`${[...textLines[textLines.length - 1]!].slice(0, logWidth - 1).join('')}…`);
        }
      }
      if (process.env["EDGELAB_SCREEN_DUMP"]) console.log(`${columns}×${rows}: ${all.length} pages, ${cut} tables cut\n${screen}`);
      if (cut > 0) expect(screen).toContain(`${cut === 1 ? '1 table' : `${cut} tables`} cut to fit`);
      // Every ML table and its title fit the log from 80 columns on: nothing is cut.
      expect(cut).toBe(0);
      expect(screen).not.toContain('cut to fit');

      // Read off the screen: gain shares per horizon sum to 1 (rounded to 4 places, 7 features).
      const sums = [0, 0];
      for (const feature of ['ret_1', 'ret_3', 'ret_5', 'ret_10', 'ret_20', 'log_vol', 'dist_mean']) {
        const m = new RegExp(`^\\s+${feature}\\s+([\\d.]+)\\s+([\\d.]+)$`, 'm').exec(screen);
        expect(m, feature).not.toBeNull();
        sums[0]! += Number(m![1]);
        sums[1]! += Number(m![2]);
      }
      for (const s of sums) expect(Math.abs(s - 1)).toBeLessThan(1e-3);

      // The out-of-fold scores on screen are the result's (rows, accuracy, log-loss per horizon).
      const oof = tables().find((t) => (t.title ?? '').startsWith('out-of-fold scores'))!;
      for (const row of oof.rows) {
        const [h, n, acc, logLoss] = row as [string, number, number, number];
        const m = new RegExp(`^\\s+${escape(h)}\\s+(\\d+)\\s+([\\d.]+)\\s+([\\d.]+)`, 'm').exec(screen);
        expect(m, h).not.toBeNull();
        expect([Number(m![1]), Number(m![2]), Number(m![3])]).toEqual([n, acc, logLoss]);
        expect(acc).toBeGreaterThan(0);
        expect(acc).toBeLessThan(1);
      }
      // The learning curves: one line per horizon, train and validation.
      for (const h of ['1d', '3d']) {
        expect(screen).toMatch(new RegExp(`learning\\s+curve\\s+${h}\\s+\\(train\\s+vs\\s+validation\\s+loss\\s+per\\s+round\\):\\s+train\\s+last\\s+[\\d.]+\\s+\\(\\d+\\s+points\\)\\s+·\\s+validation\\s+last\\s+[\\d.]+`));
      }
    });
  }
});
