import { describe, expect, it } from 'vitest';
import { drawdownSummary, fillGaps, plotLines } from '../../src/tui/chart.js';

describe('fillGaps', () => {
  it('fills forward and back-fills a leading gap', () => {
    expect(fillGaps([null, 2, NaN, null, 5])).toEqual([2, 2, 2, 2, 5]);
    expect(fillGaps([null, NaN])).toEqual([]);
    expect(fillGaps([])).toEqual([]);
  });
});

describe('plotLines', () => {
  it('draws exactly the rows asked for, labelled min..max, marking the first value', () => {
    const out = plotLines([[1, 2, 3, 4]], 20, 4, []);
    expect(out).toEqual([
      '4.00 ┤  ╭',
      '3.00 ┤ ╭╯',
      '2.00 ┤╭╯',
      '1.00 ┼╯',
    ]);
  });
  it('keeps every line within the width and resamples long series', () => {
    const v = Array.from({ length: 1000 }, (_, i) => 100 + 10 * Math.sin(i / 50));
    for (const [w, h] of [[30, 5], [44, 12], [70, 3]] as const) {
      const out = plotLines([v], w, h, []);
      expect(out.length).toBe(h);
      for (const l of out) expect([...l].length).toBeLessThanOrEqual(w);
    }
  });
  it('survives gaps, a flat line and no data', () => {
    expect(plotLines([[null, 1, NaN, 1]], 20, 3, [])).toEqual(['1.00 ┼───']);
    expect(plotLines([[null, null]], 20, 3, [])).toEqual([]);
    expect(plotLines([[1, 2]], 6, 3, [])).toEqual([]);
  });
});

describe('drawdownSummary', () => {
  it('reports the deepest and the current drawdown, in % for fractions', () => {
    expect(drawdownSummary([0, -0.05, -0.142, -0.031])).toBe('drawdown max 14.2% · now 3.1%');
    expect(drawdownSummary([0, 0.2, 0.1])).toBe('drawdown max 20.0% · now 10.0%');
    expect(drawdownSummary([0, -120, -50])).toBe('drawdown max 120.00 · now 50.00');
    expect(drawdownSummary([null, NaN])).toBeUndefined();
  });
});
