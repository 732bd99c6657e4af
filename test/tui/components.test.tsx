import { afterEach, describe, expect, it } from 'vitest';
import React from 'react';
import { render, cleanup } from 'ink-testing-library';
import { Table, fitWidths } from '../../src/tui/Table.js';
import { GatesPane, gatesRows } from '../../src/tui/GatesPane.js';
import { EquityPane, equityLines, MODELS_LINE_FROM } from '../../src/tui/EquityPane.js';
import { emptyPanes, reducePanes } from '../../src/tui/pane-state.js';
import { RiskPane, flowFields } from '../../src/tui/RiskPane.js';
import { headerSegments, dataSegment } from '../../src/tui/StatusBar.js';
import { progressBar, progressText } from '../../src/tui/ProgressLine.js';
import { visibleSlice } from '../../src/tui/Prompt.js';
import { topBorder } from '../../src/tui/Pane.js';
import { gates, status } from '../../src/core/result.js';
import { equityBlock, fakeDataset } from './fixtures.js';

afterEach(cleanup);

describe('Table (ink-table props)', () => {
  it('draws a header and aligned rows, numbers to the right', () => {
    const { lastFrame } = render(
      <Table
        data={[
          { hypothesis: 'funding_ext:short:8h', n: 412, q: 0.003 },
          { hypothesis: 'liq_vacuum:long:4h', n: 97, q: 0.41 },
        ]}
      />,
    );
    expect(lastFrame()).toBe(['hypothesis              n      q', 'funding_ext:short:8h  412  0.003', 'liq_vacuum:long:4h     97   0.41'].join('\n'));
  });
  it('shows only the named columns, in order, and cuts the widest to fit maxWidth', () => {
    const { lastFrame } = render(<Table data={[{ a: 'alpha-beta-gamma', b: 'x', c: 1 }]} columns={['c', 'a']} maxWidth={12} />);
    expect(lastFrame()).toBe(['c  a', '1  alpha-be…'].join('\n'));
  });
  it('renders an empty table as its header', () => {
    const { lastFrame } = render(<Table data={[]} columns={['a', 'b']} />);
    expect(lastFrame()).toBe('a  b');
  });
  it('fitWidths shrinks the widest column first and never below 3', () => {
    expect(fitWidths([10, 4], 12, 2)).toEqual([6, 4]);
    expect(fitWidths([3, 3], 2, 2)).toEqual([3, 3]);
  });
});

const edge = gates('funding_ext:short:8h', [
  { name: 'q-value', value: 0.003, threshold: '≤ 0.10', pass: true },
  { name: 'stability', value: 0.41, threshold: '≥ 0.60', pass: false, reason: 'unstable' },
]);

describe('GatesPane', () => {
  it('draws one gates block as a table in a titled pane (exact frame)', () => {
    const { lastFrame } = render(<GatesPane state={{ source: 'discover', blocks: [edge] }} width={44} height={6} />);
    expect(lastFrame()).toBe(
      [
        '┌ gates · funding_ext:short:8h · 1/2 pass ─┐',
        '│ok  gate       value  threshold           │',
        '│✓   q-value    0.003  ≤ 0.10              │',
        '│✗   stability   0.41  ≥ 0.60              │',
        '│                                          │',
        '└──────────────────────────────────────────┘',
      ].join('\n'),
    );
  });
  it('summarises several blocks one row each, failing first, and says when rows are cut', () => {
    const ok1 = gates('BTCUSDT:15m', [{ name: 'gaps', value: 0, threshold: '≤ 3', pass: true }]);
    const bad = gates('SPY:1d', [
      { name: 'gaps', value: 0, threshold: '≤ 3', pass: true },
      { name: 'stale', value: 9, threshold: '≤ 2', pass: false, reason: 'flat closes' },
    ]);
    expect(gatesRows([ok1, bad]).rows).toEqual([
      { ok: '✗', set: 'SPY:1d', pass: '1/2', failing: 'stale: flat closes' },
      { ok: '✓', set: 'BTCUSDT:15m', pass: '1/1', failing: '' },
    ]);
    const { lastFrame } = render(<GatesPane state={{ source: 'ingest', blocks: [ok1, bad, ok1, ok1] }} width={40} height={5} />);
    expect(lastFrame()).toBe(
      [
        '┌ gates · 4 sets · 4/5 pass ───────────┐',
        '│ok  set     pass  failing             │',
        '│✗   SPY:1d  1/2   stale: flat closes  │',
        '│… 3 more (see log)                    │',
        '└──────────────────────────────────────┘',
      ].join('\n'),
    );
  });
  it('says when there are no gates yet', () => {
    expect(render(<GatesPane state={undefined} width={56} height={3} />).lastFrame()).toBe(
      [`┌ gates ${'─'.repeat(47)}┐`, '│no gates yet (from discovery, data checks)            │', `└${'─'.repeat(54)}┘`].join('\n'),
    );
  });
});

describe('EquityPane', () => {
  const [eq, dd] = equityBlock([1, 1.1, 1.05, 1.2], [0, 0, -0.045, 0]);
  it('plots the equity and summarises the drawdown when short', () => {
    // 1.05 sits half a row above 1.00 and asciichart rounds it up onto the 1.10 row.
    expect(equityLines({ source: 'bt', equity: eq!, drawdown: dd! }, 30, 4, [])).toEqual(['1.20 ┤  ╭', '1.10 ┤╭─╯', '1.00 ┼╯', 'drawdown max 4.5% · now 0.0%']);
  });
  it('adds a drawdown chart when tall, and a legend for several lines', () => {
    const two = { ...eq!, series: [eq!.series[0]!, { name: 'bench', values: [1, 1, 1, 1] }] };
    const lines = equityLines({ source: 'bt', equity: two, drawdown: dd! }, 30, 18, []);
    expect(lines[0]).toBe('─ equity  ─ bench');
    expect(lines.length).toBe(18);
    // legend, 8 plotted rows and the axis (index x 0..3: ticks 0 and 2, as '0' and '1' would
    // touch), the drawdown line, then a 6-row drawdown chart: 4 plotted rows and its axis.
    expect(lines.slice(8, 12)).toEqual(['1.00 ┼───', '     └┬─┬─', '      0 2', 'drawdown max 4.5% · now 0.0%']);
    expect(lines[15]).toBe('-0.045 ┤ ╰╯');
    expect(lines.slice(16)).toEqual(['       └┬─┬─', '        0 2']);
    // below DRAWDOWN_CHART_FROM inner rows the drawdown is one line, under 13 plotted rows
    const short = equityLines({ source: 'bt', equity: two, drawdown: dd! }, 30, 17, []);
    expect(short.filter((l) => /[┤┼]/.test(l)).length).toBe(13);
    expect(short[short.length - 1]).toBe('drawdown max 4.5% · now 0.0%');
  });
  it('shows the P&L by model: one line of last values when short, its own chart when tall', () => {
    const models = { kind: 'series' as const, title: 'P&L by model', pane: 'models', x: [0, 1, 2, 3], xKind: 'index' as const, series: [{ name: 'trend', values: [0, 40, 25, 120] }, { name: 'carry', values: [0, -10, null, -30] }] };
    // Below MODELS_LINE_FROM rows the equity chart keeps every row (no models line at all)
    expect(equityLines({ source: 'bt', equity: eq!, drawdown: dd!, models }, 60, MODELS_LINE_FROM - 1, [])).toEqual(equityLines({ source: 'bt', equity: eq!, drawdown: dd! }, 60, MODELS_LINE_FROM - 1, []));
    const short = equityLines({ source: 'bt', equity: eq!, drawdown: dd!, models }, 60, MODELS_LINE_FROM, []);
    // the equity chart and the drawdown line as before, then the models line (last finite values)
    expect(short.length).toBe(MODELS_LINE_FROM);
    expect(short.at(-2)).toBe('drawdown max 4.5% · now 0.0%');
    expect(short.at(-1)).toBe('P&L by model: trend +120 · carry -30');
    const tall = equityLines({ source: 'bt', equity: eq!, drawdown: dd!, models }, 60, 30, []);
    expect(tall.length).toBe(30);
    // the bottom third (10 rows): legend, then a chart from +120 (top label) down to -30 with its axis
    expect(tall[20]).toBe('P&L by model: ─ trend  ─ carry');
    expect(tall[21]).toMatch(/^ *120\.0 ┤/);
    expect(tall.slice(21, 28).some((l) => /^ *-30\.0 ┤/.test(l))).toBe(true);
    expect(tall[29]).toMatch(/^ +0 +2/);
    expect(tall.slice(0, 20).some((l) => l.startsWith('drawdown max 4.5%'))).toBe(true);
  });
  it('keeps the per-model block of the result that filled the equity pane', () => {
    const models = { kind: 'series' as const, title: 'P&L by model', pane: 'models', x: [0, 1], xKind: 'index' as const, series: [{ name: 'a', values: [0, 1] }] };
    const state = reducePanes(emptyPanes, { line: 'backtest', result: { title: 'backtest', status: 'ok', blocks: [eq!, dd!, models] } });
    expect(state.equity?.models).toBe(models);
    const next = reducePanes(state, { line: 'backtest b', result: { title: 'backtest', status: 'ok', blocks: [eq!] } });
    expect(next.equity?.models).toBeUndefined();
  });
  it('draws the pane with the last value in the title', () => {
    const frame = render(<EquityPane state={{ source: 'bt', equity: eq! }} width={24} height={5} colors={[]} />).lastFrame();
    expect(frame).toBe(['┌ equity · portfolio ──┐', '│1.20 ┤  ╭             │', '│1.10 ┤╭─╯             │', '│1.00 ┼╯               │', '└──────────────────────┘'].join('\n'));
    const wide = render(<EquityPane state={{ source: 'bt', equity: eq! }} width={40} height={3} colors={[]} />).lastFrame();
    expect(wide?.split('\n')[0]).toBe('┌ equity · portfolio · last 1.2 ───────┐');
    // a block titled 'equity' does not repeat the pane's name
    const plain = render(<EquityPane state={{ source: 'bt', equity: { ...eq!, title: 'equity' } }} width={40} height={3} colors={[]} />).lastFrame();
    expect(plain?.split('\n')[0]).toBe('┌ equity · last 1.2 ───────────────────┐');
  });
});

describe('RiskPane', () => {
  it('shows the latest status blocks with the mode as a badge', () => {
    const frame = render(
      <RiskPane status={[status('risk', [{ name: 'mode', value: 'HALT' }, { name: 'DD', value: '21.4%' }]), status('regime', [{ name: 'equity', value: 'BULL' }])]} width={40} height={4} />,
    ).lastFrame();
    expect(frame).toBe(['┌ risk ────────────────────────────────┐', '│risk mode  HALT  · DD 21.4%           │', '│regime equity BULL                    │', '└──────────────────────────────────────┘'].join('\n'));
  });
  it('flows fields onto more lines when there is room', () => {
    const b = status('risk', [{ name: 'mode', value: 'REDUCED' }, { name: 'gross', value: '0.94×' }, { name: 'why', value: 'DD 10.3% > 10%' }]);
    expect(flowFields(b, 34, 3).map((l) => l.map((f) => f.name))).toEqual([['mode', 'gross'], ['why']]);
    expect(flowFields(b, 30, 3).map((l) => l.map((f) => f.name))).toEqual([['mode'], ['gross'], ['why']]);
    expect(flowFields(b, 34, 1).map((l) => l.map((f) => f.name))).toEqual([['mode', 'gross']]);
  });
});

describe('StatusBar', () => {
  const datasets = new Map([
    ['BTCUSDT:15m', fakeDataset('BTCUSDT:15m', true)],
    ['SPY:1d', fakeDataset('SPY:1d', false)],
    ['MACRO:pmi', fakeDataset('MACRO:pmi', undefined)],
  ]);
  it('counts readiness', () => {
    expect(dataSegment(datasets)).toEqual({ text: 'data: 3 sets (1 ready, 1 failing, 1 unchecked)', color: 'red' });
    expect(dataSegment(new Map())).toEqual({ text: 'data: none loaded', color: 'yellow' });
    expect(dataSegment(new Map([['a', fakeDataset('a', true)]]))).toEqual({ text: 'data: 1 set (1 ready)', color: 'green' });
    expect(dataSegment(new Map([['a', fakeDataset('a', undefined)]]))).toEqual({ text: 'data: 1 set (1 unchecked)', color: 'yellow' });
    // raw (uncleaned) data is named as such; derived tables and macro series are only counted
    const raw = { ...fakeDataset('raw:X:1d', undefined), stage: 'raw' as const };
    const derived = { ...fakeDataset('features:X:1d', undefined), stage: 'derived' as const, kind: 'features' as const };
    const series = { ...fakeDataset('MACRO:pmi', undefined), kind: 'series' as const };
    expect(dataSegment(new Map([['r', raw], ['d', derived], ['s', series], ['a', fakeDataset('a', true)]]))).toEqual({ text: 'data: 4 sets (1 ready, 1 raw)', color: 'yellow' });
    expect(dataSegment(new Map([['d', derived], ['a', fakeDataset('a', true)]]))).toEqual({ text: 'data: 2 sets (1 ready)', color: 'green' });
  });
  it('drops segments that do not fit instead of wrapping', () => {
    const p = { sessionId: '20261121-2215-a3f', seed: 42, datasets, resultsDb: 'data/edgelab.duckdb', version: '0.1.0', job: 'backtest', fraction: 0.54 };
    expect(headerSegments({ ...p, width: 200 }).map((s) => s.text)).toEqual([
      'edgelab 0.1.0',
      'session 20261121-2215-a3f',
      'seed 42',
      'data: 3 sets (1 ready, 1 failing, 1 unchecked)',
      '▶ backtest 54%',
      'results: data/edgelab.duckdb',
    ]);
    // the version goes first, then seed, session and results; data and the job stay
    expect(headerSegments({ ...p, width: 80 }).map((s) => s.text)).toEqual(['edgelab', 'data: 3 sets (1 ready, 1 failing, 1 unchecked)', '▶ backtest 54%']);
    expect(headerSegments({ ...p, job: undefined, fraction: undefined, width: 120 }).map((s) => s.text)).toEqual([
      'edgelab',
      'session 20261121-2215-a3f',
      'data: 3 sets (1 ready, 1 failing, 1 unchecked)',
      'results: data/edgelab.duckdb',
    ]);
    expect(headerSegments({ ...p, width: 8 }).map((s) => s.text)).toEqual(['edgelab']);
    expect(headerSegments({ ...p, width: 6 }).map((s) => s.text)).toEqual(['edge…']);
  });
});

describe('ProgressLine', () => {
  it('draws eighth-cell bars', () => {
    expect(progressBar(0.54, 10)).toBe('▕█████▍    ▏');
    expect(progressBar(0, 4)).toBe('▕    ▏');
    expect(progressBar(1, 4)).toBe('▕████▏');
    expect(progressBar(7, 4)).toBe('▕████▏');
    expect(progressBar(NaN, 4)).toBe('▕    ▏');
  });
  it('says what, how far, how fast and how to cancel', () => {
    const base = { job: 'backtest', elapsedSeconds: 12.7, frame: 2, width: 120 };
    expect(progressText({ ...base, progress: { label: 'backtest 2021-03', fraction: 0.54, rate: '1.9 M bars/s' } })).toBe(
      ' ⠹ ▕██████████▊         ▏  54% backtest 2021-03 · 1.9 M bars/s · 12 s · Ctrl+C cancels',
    );
    expect(progressText({ ...base, progress: undefined, elapsedSeconds: 0.2, cancelling: true })).toBe(' ⠹ backtest · cancelling…');
  });
});

describe('prompt and pane helpers', () => {
  it('scrolls a long prompt line to keep the cursor visible', () => {
    expect(visibleSlice('abcdefghij', 10, 5)).toEqual({ text: 'ghij', cursor: 4 });
    expect(visibleSlice('abcdefghij', 0, 5)).toEqual({ text: 'abcde', cursor: 0 });
    expect(visibleSlice('abc', 1, 5)).toEqual({ text: 'abc', cursor: 1 });
  });
  it('cuts the pane title before the border runs out', () => {
    expect(topBorder('gates', '2/3 pass', 20)).toEqual({ title: ' gates ', note: '· 2/3 pass ', fill: '' });
    expect(topBorder('a very long pane title', undefined, 12)).toEqual({ title: ' a very l…', note: '', fill: '' });
    expect(topBorder('equity', 'last 1.42', 16)).toEqual({ title: ' equity ', note: '', fill: '──────' });
  });
});
