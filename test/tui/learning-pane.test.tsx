/**
 * The learning pane as a person sees it.
 *
 * A hand-made curve first (learning-chart.ts alone): the y labels span the losses, the train curve
 * is drawn in light lines and the validation curve in double lines (told apart without colour), the
 * kept round is `▲` on the round axis exactly under its round, and the header says each curve's
 * last value.
 *
 * Then a real `fit --model gbdt` with two horizons and early stopping, drawn by the Body component
 * through ink-testing-library at 80×24 (a tabbed pane under the log), 120×40 and 200×60 (the
 * learning pane takes the side column): every frame line is exactly the terminal's width; each
 * horizon's last train and validation loss, read off the screen, are the series block's last
 * values; each charted horizon's `▲` sits at its kept round's column, and its plot holds both
 * curves' glyphs. The headless text draws each curve in both glyph sets with its last values, then
 * the selected-rounds table; with the equity tab chosen the side column stacks the four panes again.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import React from 'react';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanup, render } from 'ink-testing-library';
import { Body, tabIds, tabStrip } from '../../src/tui/Body.js';
import { computeLayout, CHROME_ROWS } from '../../src/tui/layout.js';
import { paneState } from '../../src/tui/pane-state.js';
import { logLines, type LogEntry } from '../../src/tui/log-lines.js';
import { columnOfPoint, curvePlot, formatLoss, learningLines, type LearningCurve } from '../../src/tui/learning-chart.js';
import { createShell } from '../../src/shell/runtime.js';
import { configSchema } from '../../src/config/schema.js';
import type { CommandResult, SeriesBlock } from '../../src/core/result.js';
import { renderText } from '../../src/shell/render-text.js';

afterEach(cleanup);
// eslint-disable-next-line no-control-regex
const plain = (s: string): string => s.replace(/\u001b\[[0-9;]*m/g, '');
const TRAIN_GLYPHS = /[─│╭╮╰╯]/;
const VALID_GLYPHS = /[═║╔╗╚╝]/;

describe('learning chart (hand-made curve)', () => {
  // Train falls 1.0 → 0.5 over rounds 0..10; validation falls to 0.8 at round 4 and rises after.
  const rounds = Array.from({ length: 11 }, (_, i) => i);
  const curve: LearningCurve = {
    label: '1d', rounds, train: rounds.map((r) => 1 - r * 0.05), valid: rounds.map((r) => (r <= 4 ? 1 - r * 0.05 : 0.8 + (r - 4) * 0.02)), kept: 4, stoppedEarly: true,
  };

  it('labels, glyphs, the kept round under its round, and the header', () => {
    const lines = curvePlot(curve, 40, 12);
    expect(lines.length).toBe(12);
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(40);
    const plot = lines.slice(0, 10);
    const labels = plot.map((l) => Number(l.split('┤')[0]));
    expect(labels[0]).toBeCloseTo(1, 10); // the highest loss (round 0)
    expect(labels[labels.length - 1]).toBeCloseTo(0.5, 10); // the lowest (train, round 10)
    const axis = plot[0]!.indexOf('┤');
    // 40 columns − 5 label − axis = 34 for 11 rounds: 3 columns per round, round r at column 3r.
    // Round 0 (both curves at 1.0) is on the top row; the last train point (0.5) on the bottom row.
    expect(plot[0]![axis + 1]).toMatch(VALID_GLYPHS); // drawn over the equal train point
    // asciichart draws the step from point i to i + 1 in column i, so the last point (column 30)
    // shows in column 29, the step into it.
    expect(plot[9]![axis + 1 + 29]).toMatch(TRAIN_GLYPHS);
    // Validation ends at 0.92: row round((1 − 0.92) / 0.5 · 9) = 1 from the top, in double lines.
    expect(plot[1]![axis + 1 + 29]).toMatch(VALID_GLYPHS);
    // The round axis: ▲ at round 4's column (12), the tick labels are rounds, and the axis is named.
    const rule = lines[10]!;
    expect(rule.indexOf('▲') - rule.indexOf('└') - 1).toBe(12);
    expect(lines[11]).toMatch(/^ round 0 {2}1 {2}2 {2}3 {2}4/);
    const header = learningLines([curve], 40, 13)[0]!;
    expect(header).toContain(formatLoss(0.5));
    expect(header).toContain(formatLoss(0.92));
    expect(header).toMatch(/r4\/10/);
  });

  it('resampled to a narrow width, ▲ goes to the bucket holding the kept round', () => {
    const long = Array.from({ length: 101 }, (_, i) => i);
    const c: LearningCurve = { label: '3d', rounds: long, train: long.map((r) => 1 / (1 + r)), valid: long.map((r) => 1 / (1 + r) + r * 0.001), kept: 37 };
    const lines = curvePlot(c, 30, 9);
    const rule = lines[7]!;
    const points = 30 - (rule.indexOf('└') + 1);
    // Bucket c holds rounds up to floor((c + 1) · 101 / points) − 1.
    const column = rule.indexOf('▲') - rule.indexOf('└') - 1;
    expect(Math.floor((column * 101) / points) - 1).toBeLessThan(37);
    expect(Math.floor(((column + 1) * 101) / points) - 1).toBeGreaterThanOrEqual(37);
    expect(column).toBe(columnOfPoint(37, 101, points));
    // Every tick label is a whole round number ≤ 100 starting under a tick (none cut short).
    const labelRow = lines[8]!;
    for (const m of labelRow.matchAll(/\d+/g)) {
      expect(Number(m[0])).toBeLessThanOrEqual(100);
      expect('┬▲').toContain(rule[m.index!]);
    }
  });
});

const dir = mkdtempSync(join(tmpdir(), 'edgelab-learning-pane-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const LINE = 'fit --model gbdt --interval 1h --horizons 1d,3d --rounds 30 --depth 3 --folds 3 --early-stop 4 --out state';
let fit: CommandResult;

beforeAll(async () => {
  const shell = await createShell({ config: configSchema.parse({ synthetic: { symbols: ['BTCUSDT'], start: '2022-01-01', years: 0.5 } }), seed: 42, dataRoot: dir });
  expect((await shell.dispatcher.execute('ingest synthetic --universe 3')).result.status).toBe('ok');
  fit = (await shell.dispatcher.execute(LINE)).result;
  expect(fit.status, JSON.stringify(fit.blocks[0])).toBe('ok');
}, 300_000);

function frameAt(columns: number, rows: number): string[] {
  const layout = computeLayout(columns, rows);
  const entries: LogEntry[] = [{ kind: 'command', line: LINE }, { kind: 'result', result: fit, durationMs: 9_000 }];
  const lines = logLines(entries, layout.log.width - 2);
  const panes = paneState([{ line: LINE, result: fit }]);
  expect(panes.focus).toBe('learning');
  const tree = <Body layout={layout} panes={panes} lines={lines} scroll={0} />;
  const r = render(tree);
  Object.defineProperty(r.stdout, 'columns', { get: () => columns, configurable: true });
  r.rerender(tree);
  const frame = plain(r.lastFrame() ?? '').split('\n');
  r.unmount();
  return frame;
}

describe('learning pane of a real fit at each terminal size', () => {
  for (const [columns, rows] of [
    [80, 24],
    [120, 40],
    [200, 60],
  ] as const) {
    it(`${columns}×${rows}: both horizons' end values, the kept round marked, nothing wider than the screen`, () => {
      const frame = frameAt(columns, rows);
      expect(frame.length).toBe(rows - 1 - CHROME_ROWS);
      for (const l of frame) expect([...l].length).toBe(columns);
      const layout = computeLayout(columns, rows);
      // The pane's text: right of the log at 120 and 200 columns, under it at 80.
      const pane = layout.mode === 'side' ? frame.map((l) => [...l].slice(layout.log.width + 1, columns - 1).join('')) : frame.slice(layout.log.height + 1, -1).map((l) => [...l].slice(1, columns - 1).join(''));
      const top = layout.mode === 'side' ? [...frame[0]!].slice(layout.log.width).join('') : frame[layout.log.height]!;
      expect(top).toMatch(layout.mode === 'side' ? /^┌ learning · loss per round/ : new RegExp(`^┌ ${tabStrip('learning', tabIds(paneState([{ line: LINE, result: fit }]))).replace(/[[\]+]/g, '\\$&')}`));
      const text = pane.join('\n');
      if (process.env['EDGELAB_SCREEN_DUMP']) console.log(`${columns}×${rows}\n${frame.join('\n')}`);

      const blocks = fit.blocks.filter((b): b is SeriesBlock => b.kind === 'series' && b.pane === 'learning');
      expect(blocks.map((b) => b.title.split(' ')[2])).toEqual(['1d', '3d']);
      let charted = 0;
      for (const b of blocks) {
        const label = b.title.split(' ')[2]!;
        const train = b.series[0]!.values as number[];
        const valid = b.series[1]!.values as number[];
        // The header: label, last train loss, last validation loss, kept round / last round.
        const headerIndex = pane.findIndex((l) => l.startsWith(`${label} `));
        expect(headerIndex, label).toBeGreaterThanOrEqual(0);
        const header = pane[headerIndex]!;
        const values = [...header.matchAll(/\d+\.\d+(?:e-\d+)?/g)].map((m) => Number(m[0]));
        expect(values.slice(0, 2)).toEqual([Number(formatLoss(train[train.length - 1])), Number(formatLoss(valid[valid.length - 1]))]);
        const kept = /r(?:ound )?(\d+)(?:\/| of )(\d+)/.exec(header);
        expect(kept, header).not.toBeNull();
        expect(Number(kept![2])).toBe(train.length - 1);
        const keptRound = Number(kept![1]);
        // Kept = the first strictly lowest validation loss (early stopping's rule, docs/ml.md).
        expect(keptRound).toBe(valid.reduce((bi, v, i) => (v < valid[bi]! ? i : bi), 0));
        // A charted horizon: its rows follow the header up to the round axis.
        const ruleIndex = pane.findIndex((l, i) => i > headerIndex && /└/.test(l));
        const nextHeader = pane.findIndex((l, i) => i > headerIndex && /^\d+d /.test(l));
        if (ruleIndex < 0 || (nextHeader >= 0 && ruleIndex > nextHeader)) continue;
        charted++;
        const rule = pane[ruleIndex]!;
        const points = [...rule].length - rule.indexOf('└') - 1;
        // Fewer rounds than columns: a whole number of columns per round; more: resampled buckets.
        const perRound = train.length <= points ? Math.floor((points - 1) / (train.length - 1)) : 0;
        const keptColumn = rule.indexOf('▲') - rule.indexOf('└') - 1;
        if (perRound > 0) expect(keptColumn).toBe(keptRound * perRound);
        else expect(keptColumn).toBe(columnOfPoint(keptRound, train.length, points));
        const plot = pane.slice(headerIndex + 1, ruleIndex).join('\n');
        expect(plot).toMatch(TRAIN_GLYPHS);
        expect(plot).toMatch(VALID_GLYPHS);
        expect(pane[ruleIndex + 1]).toMatch(/round\s+0\s/);
      }
      // The first horizon always gets a chart; from 120×40 on both do.
      expect(charted).toBeGreaterThanOrEqual(columns >= 120 ? 2 : 1);
      expect(text).not.toContain('no learning curve yet');
    });
  }
});

describe('the learning curve in headless text and the stacked panes', () => {
  it('run prints each curve in both glyph sets with its last values, then the selected rounds', () => {
    const text = renderText(fit, { width: 100 });
    for (const b of fit.blocks.filter((x): x is SeriesBlock => x.kind === 'series' && x.pane === 'learning')) {
      const train = b.series[0]!.values as number[];
      const valid = b.series[1]!.values as number[];
      const start = text.indexOf(`${b.title}: ─ train (last ${formatLoss(train[train.length - 1])}) · ═ validation (last ${formatLoss(valid[valid.length - 1])})`);
      expect(start, b.title).toBeGreaterThanOrEqual(0);
      const chart = text.slice(start).split('\n').slice(1, 13);
      expect(chart.join('\n')).toMatch(TRAIN_GLYPHS);
      expect(chart.join('\n')).toMatch(VALID_GLYPHS);
      for (const l of chart) expect([...l].length).toBeLessThanOrEqual(80);
    }
    expect(text).toMatch(/learning curve: selected rounds[^\n]*\n\s*horizon\s+round\s+train loss\s+validation loss\s+note/);
  });

  it('120×40 with the equity tab chosen (Shift+Tab): the side column stacks gates, equity, regime and risk again', () => {
    const layout = computeLayout(120, 40);
    const panes = paneState([{ line: LINE, result: fit }]);
    const tree = <Body layout={layout} panes={panes} lines={[]} scroll={0} tab="equity" />;
    const r = render(tree);
    Object.defineProperty(r.stdout, 'columns', { get: () => 120, configurable: true });
    r.rerender(tree);
    const frame = plain(r.lastFrame() ?? '');
    r.unmount();
    expect(frame).not.toContain('┌ learning');
    for (const pane of ['gates', 'equity', 'regime']) expect(frame).toMatch(new RegExp(`┌ ${pane} `));
  });
});
