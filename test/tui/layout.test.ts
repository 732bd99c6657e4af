import { describe, expect, it } from 'vitest';
import { computeLayout } from '../../src/tui/layout.js';

describe('layout', () => {
  it('120×40: log left, gates / equity / risk stacked right, one row spare', () => {
    const l = computeLayout(120, 40);
    expect(l.mode).toBe('wide');
    expect(l.rows).toBe(39);
    expect(l.log).toEqual({ width: 72, height: 36 });
    expect(l.gates).toEqual({ width: 48, height: 16 });
    expect(l.equity).toEqual({ width: 48, height: 15 });
    expect(l.risk).toEqual({ width: 48, height: 5 });
    expect(l.gates.height + l.equity.height + l.risk.height).toBe(l.log.height);
    expect(l.log.width + l.gates.width).toBe(120);
  });
  it('80×24: the side panes fold under the log', () => {
    const l = computeLayout(80, 24);
    expect(l.mode).toBe('folded');
    expect(l.log).toEqual({ width: 80, height: 12 });
    expect(l.gates).toEqual({ width: 40, height: 8 });
    expect(l.equity).toEqual({ width: 40, height: 5 });
    expect(l.risk).toEqual({ width: 40, height: 3 });
    expect(l.log.height + l.gates.height + 3).toBe(l.rows);
  });
  it('very wide terminals cap the side column; tiny ones keep only the log', () => {
    expect(computeLayout(300, 60).gates.width).toBe(64);
    const tiny = computeLayout(50, 12);
    expect(tiny.mode).toBe('log-only');
    expect(tiny.log).toEqual({ width: 50, height: 8 });
    expect(tiny.gates.height).toBe(0);
    expect(computeLayout(120, 15).mode).toBe('log-only');
  });
});
