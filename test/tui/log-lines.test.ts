import { describe, expect, it } from 'vitest';
import { entryLines, gatesSummary, logLines, logWindow, type LogLine } from '../../src/tui/log-lines.js';
import { wrapLine, truncate, fit } from '../../src/tui/text-fit.js';
import { failed, gates, metrics, ok, table, text, type SeriesBlock } from '../../src/core/result.js';

describe('text fitting', () => {
  it('wraps hard without losing characters, and truncates with …', () => {
    expect(wrapLine('abcdefg', 3)).toEqual(['abc', 'def', 'g']);
    expect(wrapLine('ab  ', 3)).toEqual(['ab']);
    expect(wrapLine('', 3)).toEqual(['']);
    expect(wrapLine('✓✗·─', 2)).toEqual(['✓✗', '·─']);
    // at a space in the second half of the line when there is one
    expect(wrapLine('16 datasets · 4 planted edges', 20)).toEqual(['16 datasets · 4', 'planted edges']);
    expect(wrapLine('a bcdefghij', 6)).toEqual(['a bcde', 'fghij']);
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 3)).toBe('abc');
    expect(truncate('abc', 0)).toBe('');
    expect(fit('ab', 4)).toBe('ab  ');
  });
});

describe('log entries', () => {
  it('echoes the command line in bold cyan', () => {
    expect(entryLines({ kind: 'command', line: 'help' }, 40)).toEqual([{ text: '> help', color: 'cyan', bold: true }]);
  });
  it('indents results, colours an error red and wraps to the width', () => {
    const lines = entryLines({ kind: 'result', result: failed('nope', "unknown command 'nope'"), durationMs: 1 }, 16);
    expect(lines).toEqual([
      { text: '  unknown comman', color: 'red' },
      { text: "  d 'nope'", color: 'red' },
    ]);
  });
  it('keeps gates and series short: the panes show the detail', () => {
    const g = gates('edge', [
      { name: 'q', value: 0.01, threshold: '≤ 0.1', pass: true },
      { name: 'ci', value: 'spans 0', threshold: 'excludes 0', pass: false },
    ]);
    expect(gatesSummary(g)).toBe('edge: 1/2 gates pass (failing: ci)');
    const s: SeriesBlock = { kind: 'series', title: 'equity', x: [0, 1, 2], series: [{ name: 'nav', values: [1, null, 1.5] }] };
    const lines = entryLines({ kind: 'result', result: ok('bt', [g, s]), durationMs: 0 }, 80);
    expect(lines).toEqual([
      { text: '  edge: 1/2 gates pass (failing: ci)', color: 'yellow' },
      { text: '  equity: nav last 1.5 (3 points)' },
    ]);
  });
  it('renders tables and metrics as aligned text and notes a slow command', () => {
    const r = ok('show', [table(['sym', 'n'], [['BTC', 10], ['SPY', 200]]), metrics([{ name: 'Sharpe', value: 1.31, digits: 2 }])]);
    expect(logLines([{ kind: 'result', result: r, durationMs: 2500 }], 40).map((l) => l.text)).toEqual([
      '  sym    n',
      '  ───  ───',
      '  BTC   10',
      '  SPY  200',
      '  Sharpe 1.31',
      '  (took 2.5 s)',
    ]);
  });
  it('colours text blocks by tone and messages grey by default', () => {
    expect(entryLines({ kind: 'result', result: ok('x', [text('fine', 'good'), text('hmm', 'warn')]), durationMs: 0 }, 20)).toEqual([
      { text: '  fine', color: 'green' },
      { text: '  hmm', color: 'yellow' },
    ]);
    expect(entryLines({ kind: 'message', text: 'warming up' }, 20)).toEqual([{ text: '  warming up', color: 'gray' }]);
  });
});

describe('log window', () => {
  const lines: LogLine[] = Array.from({ length: 10 }, (_, i) => ({ text: `l${i}` }));
  it('follows the end at scroll 0 and clamps scrolling to the first line', () => {
    expect(logWindow(lines, 3, 0)).toEqual({ lines: [{ text: 'l7' }, { text: 'l8' }, { text: 'l9' }], scroll: 0 });
    expect(logWindow(lines, 3, 4).lines.map((l) => l.text)).toEqual(['l3', 'l4', 'l5']);
    expect(logWindow(lines, 3, 99)).toEqual({ lines: [{ text: 'l0' }, { text: 'l1' }, { text: 'l2' }], scroll: 7 });
    expect(logWindow(lines.slice(0, 2), 3, 5)).toEqual({ lines: [{ text: 'l0' }, { text: 'l1' }], scroll: 0 });
    expect(logWindow([], 3, -1)).toEqual({ lines: [], scroll: 0 });
  });
});
