/**
 * The screen body (log and panes) at 80×24, 120×40 and 200×60, as exact frames: the frames live
 * in test/tui/__screens__/ (reviewed text, shown in docs/shell-screens.md), and each size is also
 * checked for what must hold whatever the drawing details: every line exactly the terminal's
 * width, a chart of at least 8 plotted rows with dated ticks under it, the regime strips drawn.
 */
import { afterEach, describe, expect, it } from 'vitest';
import React from 'react';
import { cleanup, render } from 'ink-testing-library';
import { Body } from '../../src/tui/Body.js';
import { computeLayout, CHROME_ROWS } from '../../src/tui/layout.js';
import { paneState } from '../../src/tui/pane-state.js';
import { logLines, type LogEntry } from '../../src/tui/log-lines.js';
import { gates, ok, status, table, text, type CommandResult, type SeriesBlock } from '../../src/core/result.js';

afterEach(cleanup);

const DAY = 86_400_000;
const START = Date.UTC(2016, 0, 4);
/** 2016-01-04 .. 2021-12-30, every 4th day: 548 points. */
const x = Array.from({ length: 548 }, (_, i) => START + 4 * i * DAY);
const nav = x.map((_, i) => Math.round(100_000 * (1 + i / 1200 + 0.06 * Math.sin(i / 40)) * 100) / 100);
const drawdown = nav.map((v, i) => Math.round((v / Math.max(...nav.slice(0, i + 1)) - 1) * 1e4) / 1e4);

const backtest: CommandResult = ok('backtest', [
  text('demo portfolio · 2 assets · 2016-01-04..2021-12-30 · 4d clock · 548 steps\nSharpe 0.71 · MaxDD 11.9% · 37 trades'),
  gates('bias probes', [
    { name: 'look-ahead', value: 0, threshold: '0 changed signals', pass: true },
    { name: 'warm-up', value: 0, threshold: '0 changed signals', pass: true },
  ]),
  { kind: 'series', title: 'equity', pane: 'equity', x, xKind: 'time', series: [{ name: 'NAV', values: nav }] } satisfies SeriesBlock,
  { kind: 'series', title: 'drawdown', pane: 'drawdown', x, xKind: 'time', series: [{ name: 'drawdown', values: drawdown }] } satisfies SeriesBlock,
  status('risk', [
    { name: 'mode', value: 'NORMAL', tone: 'good' },
    { name: 'gross', value: '0.61×' },
    { name: 'DD', value: '3.3%', tone: 'warn' },
  ]),
  table(
    ['id', 'symbol', 'side', 'entry', 'exit', 'qty', 'entry price', 'exit price', 'fees', 'slippage', 'funding', 'borrow', 'pnl', 'return %', 'bars', 'model'],
    Array.from({ length: 6 }, (_, i) => [i + 1, i % 2 ? 'QQQ' : 'SPY', 'long', `2016-0${i + 2}-01 18:30`, `2016-0${i + 2}-03 18:30`, 100 + i, 101.5 + i, 102.25 + i, 1.2, 0.4, 0, 0, 73.5 - 20 * i, 0.74, 2, 'trend']),
    'trades',
    37,
  ),
]);

/** Rule codes: equity bull after day 200, vol high for a stretch, crypto on for the last third, macro flat. */
const codes = (f: (i: number) => number): number[] => x.map((_, i) => f(i));
const regime: CommandResult = ok('regime', [
  status('regime', [
    { name: 'equity', value: 'BULL', tone: 'good' },
    { name: 'vol', value: 'NORMAL', tone: 'info' },
  ]),
  text('regime BULL · vol NORMAL · crypto RISK_ON · macro EXPANSION as of 2021-12-30 00:00', 'info'),
  {
    kind: 'series',
    title: 'regime timeline (codes: see regime inputs)',
    pane: 'regime',
    x,
    series: [
      { name: 'equity', values: codes((i) => (i < 120 ? 0 : i < 200 ? 1 : 2)) },
      { name: 'vol', values: codes((i) => (i >= 300 && i < 340 ? 2 : 1)) },
      { name: 'crypto', values: codes((i) => (i >= 365 ? 1 : 0)) },
      { name: 'macro', values: codes(() => 2) },
    ],
  } satisfies SeriesBlock,
  table(
    ['dimension', 'status', 'inputs', 'rule', 'first known'],
    [
      ['equity', 'ok', 'SPY:1d', 'SPY vs 200d MA; codes 0 BEAR · 1 NEUTRAL · 2 BULL', '2016-10-18'],
      ['vol', 'ok', 'SPY:1d', 'realised 20d vol; codes 0 LOW · 1 NORMAL · 2 HIGH', '2016-02-01'],
      ['crypto', 'ok', 'BTCUSDT:15m', 'BTCUSDT vs 200d MA; codes 0 RISK_OFF · 1 RISK_ON', '2019-07-20'],
      ['macro', 'ok', 'MACRO:pmi', 'PMI > 50; codes 0 RECESSION · 1 SLOWDOWN · 2 EXPANSION', '2016-02-01'],
    ],
    'regime inputs',
  ),
]);

const entries: LogEntry[] = [
  { kind: 'command', line: 'backtest' },
  { kind: 'result', result: backtest, durationMs: 6500 },
  { kind: 'command', line: 'regime' },
  { kind: 'result', result: regime, durationMs: 300 },
];
const panes = paneState([
  { line: 'backtest', result: backtest },
  { line: 'regime', result: regime },
]);

// eslint-disable-next-line no-control-regex
const plain = (s: string): string => s.replace(/\u001b\[[0-9;]*m/g, '');

function bodyAt(columns: number, rows: number, tab?: 'equity'): string[] {
  const layout = computeLayout(columns, rows);
  const lines = logLines(entries, layout.log.width - 2);
  const r = render(<Body layout={layout} panes={panes} lines={lines} scroll={0} {...(tab ? { tab } : {})} />);
  Object.defineProperty(r.stdout, 'columns', { get: () => columns, configurable: true });
  r.rerender(<Body layout={layout} panes={panes} lines={lines} scroll={0} {...(tab ? { tab } : {})} />);
  return plain(r.lastFrame() ?? '').split('\n');
}

/** Plotted rows of the equity chart: lines with a y label and the axis glyph. */
const plotted = (frame: readonly string[], label: RegExp): number => frame.filter((l) => label.test(l)).length;

describe('the shell screens', () => {
  for (const [columns, rows] of [
    [80, 24],
    [120, 40],
    [200, 60],
  ] as const) {
    it(`${columns}×${rows}: every line fits exactly, the chart has ≥ 8 rows and a date axis, the regime is drawn`, async () => {
      // A tabbed layout shows the latest result's pane (regime); the equity tab is checked too.
      const frame = bodyAt(columns, rows);
      expect(frame.length).toBe(rows - 1 - CHROME_ROWS);
      for (const l of frame) expect([...l].length).toBe(columns);
      await expect(frame.join('\n') + '\n').toMatchFileSnapshot(`__screens__/body-${columns}x${rows}.txt`);

      const withEquity = columns < 100 ? bodyAt(columns, rows, 'equity') : frame;
      // The NAV labels are 6-digit numbers: '1xxxxx ┤'.
      expect(plotted(withEquity, /│1\d{5} [┤┼]/)).toBeGreaterThanOrEqual(8);
      // The first bar is 2016-01-04, so the first whole year starts the axis labels.
      const axis = withEquity.find((l) => /│ +└[─┬]+/.test(l));
      expect(axis).toBeDefined();
      const labels = withEquity[withEquity.indexOf(axis!) + 1]!;
      expect(labels).toMatch(/2017/);
      expect(labels).toMatch(/2021/);
      // Regime strips: level names close each strip (the pane is in front at 80×24, stacked above).
      const text = frame.join('\n');
      for (const strip of [/equity ▁+▅+█+ BULL/, /vol +▅+█+▅+ NORMAL/, /crypto ▁+█+ RISK_ON/, /macro +█+ EXPANSION/]) expect(text).toMatch(strip);
      // The trades table is cut in the log, with the hint that Ctrl+T shows it whole.
      expect(text).toContain('▸ 1 table cut to fit · Ctrl+T views full width');
    });
  }
  it('120×30 (wide but short): the side column is one tabbed pane, and the chart still gets ≥ 8 rows', () => {
    const frame = bodyAt(120, 30, 'equity');
    expect(frame.length).toBe(30 - 1 - CHROME_ROWS);
    for (const l of frame) expect([...l].length).toBe(120);
    expect(frame[0]).toMatch(/^┌ log .*┐┌ \[equity\] regime gates risk · Shift\+Tab/);
    expect(plotted(frame, /│1\d{5} [┤┼]/)).toBeGreaterThanOrEqual(8);
  });
});

