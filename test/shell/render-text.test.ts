import { describe, expect, it } from 'vitest';
import { renderText, fillForChart, downsampleLast } from '../../src/shell/render-text.js';
import { ok, metrics, gates, status, table, text } from '../../src/core/result.js';

describe('renderText', () => {
  it('draws a series with warm-up NaN and a gap without failing', () => {
    const values = [null, null, 1, 2, NaN, 4, 5, null, 7, 8, 9, 10];
    const r = ok('t', [{ kind: 'series', title: 'close', x: values.map((_, i) => i * 86_400_000), series: [{ name: 'a', values }] }]);
    const out = renderText(r, { width: 60 });
    expect(out.split('\n')[0]).toBe('close (1970-01-01 .. 1970-01-12): a');
    expect(out.split('\n')).toHaveLength(10); // title + 7 chart rows (height 6) + the date axis (2 rows)
    // Days 0..11 since the epoch: 14-day ticks from the epoch put one tick on the first column,
    // 1970-01-01, right of the y axis glyph.
    const rows = out.split('\n');
    const yAxis = [...rows[1]!].findIndex((c) => c === '┤' || c === '┼');
    expect([...rows[8]!][yAxis]).toBe('└');
    expect([...rows[8]!][yAxis + 1]).toBe('┬');
    expect(rows[9]).toBe(`${' '.repeat(yAxis + 1)}1970-01-01`);
  });
  it('a flat or empty series becomes a one-line summary', () => {
    const flat = ok('t', [{ kind: 'series', title: 'flat', x: [0, 1, 2], xKind: 'index', series: [{ name: 'a', values: [3, 3, 3] }] }]);
    expect(renderText(flat)).toBe('flat: a last 3 (3 points)');
    const empty = ok('t', [{ kind: 'series', title: 'none', x: [0, 1], xKind: 'index', series: [{ name: 'a', values: [null, null] }] }]);
    expect(renderText(empty)).toBe('none: a last – (2 points)');
  });
  it('fillForChart carries the last finite value and back-fills the warm-up', () => {
    expect(fillForChart([NaN, NaN, 2, NaN, 5])).toEqual([2, 2, 2, 2, 5]);
    expect(fillForChart([NaN, NaN])).toBeUndefined();
  });
  it('downsampleLast keeps the last value of each bucket (what was known at its end)', () => {
    expect(downsampleLast([1, 2, 3, 4, 5, 6], 3)).toEqual([2, 4, 6]);
    expect(downsampleLast([1, null, 3], 5)).toEqual([1, NaN, 3]);
  });
  it('renders metrics with units, gates with pass counts, status and tables', () => {
    const r = ok('t', [
      text('hello'),
      metrics([{ name: 'Sharpe', value: 1.234, digits: 2 }, { name: 'CAGR', value: 0.118, unit: '%', digits: 1 }, { name: 'gross', value: 0.94, unit: 'x' }]),
      gates('readiness', [{ name: 'coverage', value: 0.99, threshold: '≥ 0.95', pass: true }, { name: 'gaps', value: 7, threshold: '≤ 3', pass: false, reason: 'too many gaps' }]),
      status('risk', [{ name: 'mode', value: 'HALT', tone: 'bad' }, { name: 'DD', value: '21%' }]),
      table(['a', 'b'], [['x', 1.5], ['yy', 10]], 'tbl', 5),
    ]);
    expect(renderText(r)).toBe(
      [
        'hello',
        'Sharpe 1.23 · CAGR 11.8% · gross 0.94×',
        'readiness: 1/2 gates pass',
        '   gate      value  threshold  reason',
        '─  ────────  ─────  ─────────  ─────────────',
        '✓  coverage   0.99  ≥ 0.95',
        '✗  gaps          7  ≤ 3        too many gaps',
        'risk: mode HALT · DD 21%',
        'tbl',
        'a     b',
        '──  ───',
        'x   1.5',
        'yy   10',
        '… 3 more rows (5 in all)',
      ].join('\n'),
    );
  });
});
