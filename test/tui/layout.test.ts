import { describe, expect, it } from 'vitest';
import { CHART_PANE_ROWS, MIN_CHART_ROWS, computeLayout, minStackedBody, type Layout } from '../../src/tui/layout.js';

const height = (l: Layout, id: string): number => l.stacked.find((p) => p.id === id)?.rect.height ?? 0;

describe('layout', () => {
  it('120×40: log left, gates / equity / regime / risk stacked right, one row spare', () => {
    const l = computeLayout(120, 40);
    expect(l.mode).toBe('side');
    expect(l.rows).toBe(39);
    expect(l.log).toEqual({ width: 72, height: 36 });
    expect(l.stacked.map((p) => [p.id, p.rect.width, p.rect.height])).toEqual([
      ['gates', 48, 9],
      ['equity', 48, 14],
      ['regime', 48, 9],
      ['risk', 48, 4],
    ]);
    expect(l.stacked.reduce((n, p) => n + p.rect.height, 0)).toBe(l.log.height);
    // 14 outer rows: 2 borders, 2 axis rows, 1 drawdown line → 9 plotted rows.
    expect(height(l, 'equity') - 5).toBeGreaterThanOrEqual(MIN_CHART_ROWS);
  });
  it('80×24: one tabbed pane, full width, under a compact log; the chart keeps 8 rows', () => {
    const l = computeLayout(80, 24);
    expect(l.mode).toBe('below');
    expect(l.log).toEqual({ width: 80, height: 7 });
    expect(l.tabbed).toEqual({ width: 80, height: 13 });
    expect(l.stacked).toEqual([]);
    expect(l.log.height + l.tabbed!.height + 3).toBe(l.rows);
    expect(l.tabbed!.height - 5).toBe(MIN_CHART_ROWS);
  });
  it('200×60: the side column is capped at 64 columns and every pane is taller', () => {
    const l = computeLayout(200, 60);
    expect(l.log).toEqual({ width: 136, height: 56 });
    expect(l.stacked.map((p) => [p.id, p.rect.height])).toEqual([
      ['gates', 14],
      ['equity', 26],
      ['regime', 12],
      ['risk', 4],
    ]);
  });
  it('wide but short: the side column takes turns (tabbed) rather than squeezing the chart', () => {
    const l = computeLayout(120, 30);
    expect(30 - 1 - 3).toBeLessThan(minStackedBody());
    expect(l.mode).toBe('side');
    expect(l.tabbed).toEqual({ width: 48, height: 26 });
    expect(computeLayout(120, 20).tabbed!.height).toBeGreaterThanOrEqual(CHART_PANE_ROWS);
  });
  it('tiny terminals keep only the log', () => {
    const tiny = computeLayout(50, 12);
    expect(tiny.mode).toBe('log-only');
    expect(tiny.log).toEqual({ width: 50, height: 8 });
    expect(tiny.stacked).toEqual([]);
    expect(tiny.tabbed).toBeUndefined();
    expect(computeLayout(120, 15).mode).toBe('log-only');
    expect(computeLayout(80, 20).mode).toBe('log-only');
  });
});
