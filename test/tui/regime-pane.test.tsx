/**
 * The regime pane: level names read from the inputs table, strips whose glyph height is the level
 * (checked column by column against the codes), the current value, the axis, and the split.
 */
import { afterEach, describe, expect, it } from 'vitest';
import React from 'react';
import { cleanup, render } from 'ink-testing-library';
import { RegimePane, splitRows, timelineLines } from '../../src/tui/RegimePane.js';
import { paneState, regimeLevels } from '../../src/tui/pane-state.js';
import { ok, status, table, text, type SeriesBlock } from '../../src/core/result.js';

afterEach(cleanup);

const DAY = 86_400_000;
const inputs = table(
  ['dimension', 'status', 'inputs', 'rule', 'first known'],
  [
    ['equity', 'ok', 'SPY:1d', 'SPY vs 200d MA; codes 0 BEAR · 1 NEUTRAL · 2 BULL', null],
    ['crypto', 'ok', 'BTCUSDT:15m', 'BTCUSDT vs 200d MA; codes 0 RISK_OFF · 1 RISK_ON', null],
    ['macro', 'missing', '', 'PMI > 50', null],
  ],
  'regime inputs',
);
const x = Array.from({ length: 10 }, (_, i) => Date.UTC(2020, 11, 27) + i * DAY);
const timeline: SeriesBlock = {
  kind: 'series',
  title: 'regime timeline',
  pane: 'regime',
  x,
  series: [
    { name: 'equity', values: [0, 0, 1, 1, 2, 2, 2, 1, 0, 2] },
    { name: 'crypto', values: [0, 0, 0, 0, 0, 1, 1, 1, 1, 1] },
    { name: 'macro', values: x.map(() => null) },
  ],
};

describe('regimeLevels', () => {
  it('reads the code legend of each dimension from the rule column, and skips rows without one', () => {
    expect(regimeLevels([inputs])).toEqual({ equity: ['BEAR', 'NEUTRAL', 'BULL'], crypto: ['RISK_OFF', 'RISK_ON'] });
    expect(regimeLevels([table(['a'], [['x']])])).toEqual({});
  });
});

describe('timelineLines', () => {
  it('one glyph per code (▁ first level … █ last), the current level, and dates under the strips', () => {
    const lines = timelineLines({ source: 'regime', blocks: [timeline], levels: regimeLevels([inputs]) }, 30, 5);
    // 3-level equity: 0 → ▁, 1 → ▅ (half of 7 eighths, rounded), 2 → █; 2-level crypto: ▁ / █.
    const glyph = { equity: ['▁', '▅', '█'], crypto: ['▁', '█'] };
    // Strip columns: 30 − name (6) − widest current value (RISK_ON, 7) − 2 spaces = 15; 10 values fill 10.
    expect(lines[0]).toBe(`equity ${timeline.series[0]!.values.map((v) => glyph.equity[v!]).join('')}${' '.repeat(5)} BULL`);
    expect(lines[1]).toBe(`crypto ${timeline.series[1]!.values.map((v) => glyph.crypto[v!]).join('')}${' '.repeat(5)} RISK_ON`);
    // macro has no values: no strip. The axis: the year turns at the 6th day (2021-01-01).
    expect(lines).toHaveLength(4);
    expect(lines[2]).toBe(`      └─────┬────`);
    expect(lines[3]).toBe(`${' '.repeat(7 + 5)}2021`);
  });
  it('probabilities run 0 ▁ … 1 █ and show as a percentage', () => {
    const hmm: SeriesBlock = { kind: 'series', title: 'HMM', pane: 'regime', x: [0, 1, 2], xKind: 'index', series: [{ name: 'P(bull)', values: [0, 0.5, 1] }] };
    expect(timelineLines({ source: 'regime --hmm', blocks: [hmm], levels: {} }, 20, 1)).toEqual(['P(bull) ▁▅█     100%']);
  });
});

describe('RegimePane', () => {
  it('draws the strips from a regime result and a backtest split under them when there is room', () => {
    const split = table(['dimension', 'regime', 'bars', 'time %', 'return %', 'ann. return %', 'ann. vol %', 'Sharpe'], [['equity', 'BULL', 40, 61.4, 3.2, 8.1, 12, 0.68]], 'performance by regime');
    const panes = paneState([
      { line: 'backtest', result: ok('backtest', [split]) },
      { line: 'regime', result: ok('regime', [status('regime', []), text('r'), timeline, inputs]) },
    ]);
    expect(panes.focus).toBe('regime');
    expect(splitRows(split)).toEqual({ columns: ['dimension', 'regime', 'time %', 'ann. return %', 'Sharpe'], rows: [{ dimension: 'equity', regime: 'BULL', 'time %': 61.4, 'ann. return %': 8.1, Sharpe: 0.68 }] });
    const frame = render(<RegimePane state={panes.regime} width={44} height={10} />).lastFrame()!.split('\n');
    expect(frame[0]).toBe(`┌ regime · ▁ low … █ high ${'─'.repeat(17)}┐`);
    expect(frame[1]).toMatch(/^│equity ▁▁▅▅███▅▁█ +BULL +│$/);
    expect(frame[5]).toBe('│performance by regime (backtest)          │');
    // 42 inner columns: the two widest headers are cut until the five columns fit.
    expect(frame[6]).toBe('│dimensi…  regime  time %  ann. re…  Sharpe│');
    expect(frame[7]).toBe('│equity    BULL      61.4       8.1    0.68│');
  });
  it('says what fills it when empty', () => {
    expect(render(<RegimePane state={undefined} width={40} height={3} />).lastFrame()).toContain('no regime timeline yet');
  });
});
