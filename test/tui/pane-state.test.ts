import { describe, expect, it } from 'vitest';
import { emptyPanes, paneState, reducePanes } from '../../src/tui/pane-state.js';
import { gates, ok, status, text, failed, type CommandResult, type SeriesBlock } from '../../src/core/result.js';

const series = (title: string, pane?: string): SeriesBlock => ({ kind: 'series', title, x: [0, 1], series: [{ name: title, values: [1, 2] }], ...(pane ? { pane } : {}) });
const ex = (line: string, result: CommandResult) => ({ line, result });
const g1 = gates('readiness BTCUSDT:15m', [{ name: 'gaps', value: 0, threshold: '≤ 3', pass: true }]);
const g2 = gates('readiness SPY:1d', [{ name: 'gaps', value: 9, threshold: '≤ 3', pass: false }]);

describe('pane state', () => {
  it('starts empty', () => {
    expect(paneState([])).toEqual(emptyPanes);
    expect(emptyPanes).toEqual({ status: [], count: 0 });
  });

  it('shows every gates block of the latest result that has any, and keeps them through results without gates', () => {
    const s = paneState([ex('a', ok('a', [g1])), ex('b', ok('b', [g1, text('x'), g2])), ex('c', ok('c', [text('no gates')]))]);
    expect(s.gates).toEqual({ source: 'b', blocks: [g1, g2] });
    expect(s.count).toBe(3);
  });

  it('takes the first equity series of the latest result, with that result’s drawdown', () => {
    const eq1 = series('run1');
    const eq2 = series('run2', 'equity');
    const dd2 = series('dd2', 'drawdown');
    const regime = series('regime', 'regime');
    let s = paneState([ex('bt1', ok('bt1', [eq1, series('dd1', 'drawdown')]))]);
    expect(s.equity?.equity).toBe(eq1);
    s = reducePanes(s, ex('bt2', ok('bt2', [regime, dd2, eq2, series('run3')])));
    expect(s.equity).toEqual({ source: 'bt2', equity: eq2, drawdown: dd2 });
    // a result with only a non-equity series leaves the pane alone; one without drawdown drops it
    s = reducePanes(s, ex('r', ok('r', [regime])));
    expect(s.equity?.source).toBe('bt2');
    s = reducePanes(s, ex('bt3', ok('bt3', [eq1])));
    expect(s.equity).toEqual({ source: 'bt3', equity: eq1 });
  });

  it('keeps the latest status block per title, in order of first appearance', () => {
    const risk1 = status('risk', [{ name: 'mode', value: 'NORMAL' }]);
    const regime = status('regime', [{ name: 'equity', value: 'BULL' }]);
    const risk2 = status('risk', [{ name: 'mode', value: 'HALT' }]);
    const s = paneState([ex('a', ok('a', [risk1])), ex('b', ok('b', [regime])), ex('c', ok('c', [risk2]))]);
    expect(s.status).toEqual([risk2, regime]);
  });

  it('reads blocks whatever the result status, and never changes the state it was given', () => {
    const before = paneState([ex('a', ok('a', [g1]))]);
    const frozen = JSON.stringify(before);
    const after = reducePanes(before, ex('e', { ...failed('e', 'boom'), blocks: [g2] }));
    expect(after.gates?.blocks).toEqual([g2]);
    expect(JSON.stringify(before)).toBe(frozen);
  });

  it('focus: the pane the latest result filled (regime over equity over gates over risk); kept through results that fill none', () => {
    const rs = { kind: 'table' as const, columns: ['dimension'], rows: [], title: 'performance by regime' };
    let s = paneState([ex('ingest', ok('ingest', [g1]))]);
    expect(s.focus).toBe('gates');
    s = reducePanes(s, ex('bt', ok('bt', [g1, series('eq'), status('risk', [{ name: 'mode', value: 'NORMAL' }]), rs])));
    expect(s.focus).toBe('equity');
    expect(s.regime?.split?.source).toBe('bt');
    expect(s.regime?.timeline).toBeUndefined();
    s = reducePanes(s, ex('regime', ok('regime', [status('regime', []), series('timeline', 'regime')])));
    expect(s.focus).toBe('regime');
    // the split stays beside the newer timeline
    expect(s.regime?.split?.source).toBe('bt');
    expect(s.regime?.timeline?.source).toBe('regime');
    s = reducePanes(s, ex('help', ok('help', [text('no panes')])));
    expect(s.focus).toBe('regime');
    expect(reducePanes(s, ex('halt', ok('halt', [status('risk', [])]))).focus).toBe('risk');
  });
});

