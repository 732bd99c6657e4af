/**
 * The live leaderboard pane and the confirm dialog, driven like a person would (ink-testing-library
 * at 80×24, 120×40 and 200×60): a search command reports boards with its progress, the pane shows
 * them and follows each new report, fits the terminal, stays marked finished after the job, and
 * Ctrl+C cancels with the prompt coming back. The confirm dialog answers io.confirm: y yes; n,
 * Enter and Esc no (the default).
 */
import { afterEach, describe, expect, it } from 'vitest';
import React from 'react';
import { cleanup, render } from 'ink-testing-library';
import { z } from 'zod';
import { App } from '../../src/tui/App.js';
import { LeaderboardPane } from '../../src/tui/LeaderboardPane.js';
import { leaderboardLines, summaryText, durationText } from '../../src/tui/leaderboard-lines.js';
import { defineCommand, type AnyCommand } from '../../src/shell/command.js';
import type { LiveBoard } from '../../src/shell/live-board.js';
import { ok, text } from '../../src/core/result.js';
import { throwIfAborted } from '../../src/core/errors.js';
import { LiveBoardTracker, type BoardInput } from '../../src/optimize/live-board.js';
import { testDispatcher, until } from './fixtures.js';
import { KEY, frame, renderAt, type Size } from './render-at.js';

afterEach(cleanup);

const SIZES: readonly Size[] = [
  { columns: 80, rows: 24 },
  { columns: 120, rows: 40 },
  { columns: 200, rows: 60 },
];

const FAST = 'backtest.models.sma_cross.parameters.fast';
const SLOW = 'backtest.models.sma_cross.parameters.slow';
/** A trial whose bps is `score` (Sharpe score/2, max DD 10 % + fast/10 %). */
const trial = (fast: number, slow: number, score: number): BoardInput => ({
  key: `${fast}-${slow}`,
  point: { [FAST]: fast, [SLOW]: slow },
  score,
  metrics: { bps: score, sharpe: score / 2, max_drawdown: 0.1 + fast / 1000 },
  trades: fast + slow,
  cached: false,
});

/** A search that reports two boards, each after the test lets it go on (or Ctrl+C stops it). */
function searchCommand(): { command: AnyCommand; step: () => void; waiting: () => number } {
  let go: (() => void) | undefined;
  let reached = 0;
  const wait = (signal: AbortSignal): Promise<void> =>
    new Promise<void>((resolve) => {
      reached++;
      go = resolve;
      signal.addEventListener('abort', () => resolve(), { once: true });
    });
  const command = defineCommand({
    name: 'search',
    summary: 'a search reporting a live board',
    schema: z.object({}),
    async run(_s, _a, io) {
      const board = new LiveBoardTracker({ kind: 'optimize', title: 'optimize demo', objective: 'bps', params: [FAST, SLOW] });
      const first = [trial(5, 40, 0.21), trial(10, 40, 0.47), trial(15, 80, 0.33)];
      board.add(first);
      io.progress({ label: 'grid · 3/12 trials', fraction: 0.25, board: board.board({ done: 3, total: 12, cached: 0, phase: 'grid' }) });
      await wait(io.signal);
      throwIfAborted(io.signal);
      board.add([trial(20, 120, 0.91), trial(25, 160, -0.12)]);
      io.progress({ label: 'grid · 5/12 trials', fraction: 5 / 12, board: board.board({ done: 5, total: 12, cached: 0, phase: 'grid' }) });
      await wait(io.signal);
      throwIfAborted(io.signal);
      return ok('search', [text('best bps 0.9100 at fast=20 slow=120')]);
    },
  }) as unknown as AnyCommand;
  return { command, step: () => go?.(), waiting: () => reached };
}

/** Asks io.confirm once and says what it was told. */
const askCommand = defineCommand({
  name: 'ask',
  summary: 'asks a yes/no question',
  schema: z.object({}),
  async run(_s, _a, io) {
    if (!io.confirm) return ok('ask', [text('no confirm hook')]);
    const yes = await io.confirm('Promote sma_cross@2.0.0 to LIVE (real capital)?');
    return ok('ask', [text(yes ? 'answer: yes' : 'answer: no')]);
  },
}) as unknown as AnyCommand;

function shell(size: Size, extra: AnyCommand[]) {
  const dispatcher = testDispatcher(extra);
  const r = renderAt(<App dispatcher={dispatcher} header={{ sessionId: 'test-session', resultsDb: 'data/edgelab.duckdb', version: '0.1.0' }} size={size} throttleMs={10} />, size);
  const lines = (): string[] => frame(r).split('\n');
  const promptLine = (): string => lines().find((l) => l.startsWith(' edgelab> ')) ?? '';
  const type = async (line: string): Promise<void> => {
    r.stdin.write(line);
    await until(() => promptLine().startsWith(` edgelab> ${line}`));
    r.stdin.write(KEY.enter);
  };
  return { r, lines, promptLine, type };
}

/** Every line of the frame fits the width, and the frame the height (one row is kept free). */
function expectFits(f: string, size: Size): void {
  const lines = f.split('\n');
  expect(lines.length).toBeLessThanOrEqual(size.rows - 1);
  for (const l of lines) expect([...l].length).toBeLessThanOrEqual(size.columns);
}

/** The rows of the pane's top list: '1  20  120  0.9100 …' with the pane border stripped. */
const topRows = (f: string): string[][] =>
  f
    .split('\n')
    .map((l) => /│ *(\d+) +(\d+) +(\d+) +(-?\d+\.\d{4})\b/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => m.slice(1, 5));

describe('live leaderboard pane', { timeout: 60_000 }, () => {
  for (const size of SIZES) {
    it(`${size.columns}×${size.rows}: shows progress and the top trials, follows each report, fits, and stays marked finished`, async () => {
      const search = searchCommand();
      const s = shell(size, [search.command]);
      await s.type('search');
      await until(() => frame(s.r).includes('┌ leaderboard · live · demo'));
      const first = frame(s.r);
      expectFits(first, size);
      expect(first).toContain('3/12 trials');
      expect(first).toMatch(/#\s+fast\s+slow\s+bps/);
      // best first: 0.47 (10/40), 0.33 (15/80), 0.21 (5/40)
      expect(topRows(first).map((r) => r.slice(1))).toEqual([
        ['10', '40', '0.4700'],
        ['15', '80', '0.3300'],
        ['5', '40', '0.2100'],
      ]);

      search.step();
      await until(() => frame(s.r).includes('5/12 trials'));
      const second = frame(s.r);
      expectFits(second, size);
      expect(topRows(second).map((r) => r.slice(1))).toEqual([
        ['20', '120', '0.9100'],
        ['10', '40', '0.4700'],
        ['15', '80', '0.3300'],
        ['5', '40', '0.2100'],
        ['25', '160', '-0.1200'],
      ]);
      if (size.columns >= 120) expect(second).toMatch(/Sharpe\s+max DD\s+trades/);

      search.step();
      await until(() => frame(s.r).includes('┌ leaderboard · finished · demo'));
      const done = frame(s.r);
      expectFits(done, size);
      expect(done).toMatch(/finished after \d+ s/);
      expect(done).toContain('best bps 0.9100 at fast=20 slow=120');
      // the next line puts the usual panes back
      await s.type('help');
      await until(() => !frame(s.r).includes('┌ leaderboard'));
    });
  }

  for (const size of SIZES) {
    it(`${size.columns}×${size.rows}: a walk-forward board shows its folds and the fold in hand's top, and fits`, async () => {
      const board = new LiveBoardTracker({ kind: 'walkforward', title: 'walkforward sma_cross SPY 1d', objective: 'bps', params: ['fast', 'slow'] });
      const folds = [1, 2, 3].map((fold) => ({ fold, train: `201${fold}-01-01..201${fold + 2}-12-31`, test: `201${fold + 3}-01-01..201${fold + 3}-12-31`, chosen: { fast: 5 * fold, slow: 80 }, inSample: 0.5 + fold / 10, outOfSample: fold === 2 ? null : 0.1 * fold }));
      for (const f of folds) board.addFold(f);
      board.add([trial(10, 40, 0.47), trial(20, 120, 0.91)]);
      const wf = defineCommand({
        name: 'wf',
        summary: 'a walk-forward board',
        schema: z.object({}),
        async run(_s, _a, io) {
          io.progress({ label: 'walk-forward fold 4/9', fraction: 3 / 9, board: board.board({ done: 2, total: 30, cached: 0, foldsTotal: 9, phase: 'fold 4/9 in sample' }) });
          await new Promise<void>((resolve) => io.signal.addEventListener('abort', () => resolve(), { once: true }));
          throwIfAborted(io.signal);
          return ok('wf', []);
        },
      }) as unknown as AnyCommand;
      const s = shell(size, [wf]);
      await s.type('wf');
      await until(() => frame(s.r).includes('┌ walk-forward · live · sma_cross SPY 1d'));
      const f = frame(s.r);
      expectFits(f, size);
      expect(f).toContain('3/9 folds');
      const rows = [...f.matchAll(/│(\d)  (20\d\d-\d\d(?:-\d\d)?)\.\.20\d\d-\d\d(?:-\d\d)? +(\d+\/80) +(\d\.\d{3}) +(\d\.\d{3}|–)/g)].map((m) => [m[1], m[3], m[4], m[5]]);
      expect(rows).toEqual([
        ['1', '5/80', '0.600', '0.100'],
        ['2', '10/80', '0.700', '–'],
        ['3', '15/80', '0.800', '0.300'],
      ]);
      expect(topRows(f).map((r) => r.slice(1))).toEqual([
        ['20', '120', '0.9100'],
        ['10', '40', '0.4700'],
      ]);
      s.r.stdin.write(KEY.ctrlC);
      await until(() => frame(s.r).includes('┌ walk-forward · cancelled'));
    });
  }

  it('Ctrl+C cancels the search: the pane says cancelled and the prompt comes back', async () => {
    const size = SIZES[0]!;
    const search = searchCommand();
    const s = shell(size, [search.command]);
    await s.type('search');
    await until(() => frame(s.r).includes('┌ leaderboard · live'));
    s.r.stdin.write(KEY.ctrlC);
    await until(() => frame(s.r).includes('search: cancelled'));
    await until(() => frame(s.r).includes('┌ leaderboard · cancelled'));
    expect(frame(s.r)).toMatch(/cancelled after \d+ s/);
    await until(() => /^ edgelab> {2}/.test(s.promptLine()));
  });
});

describe('leaderboard text', () => {
  const board = (extra: Partial<LiveBoard> = {}): LiveBoard => ({
    kind: 'optimize', title: 'optimize demo', objective: 'bps', done: 312, total: 400, cached: 37, evaluated: 124, params: ['fast', 'slow'],
    top: [{ rank: 1, params: { fast: 10, slow: 80 }, objective: 0.6123, sharpe: 1.31, maxDrawdown: 0.142, trades: 48, cached: false }],
    ...extra,
  });

  it('summary: done/total, read back, trials/s from the evaluated count, ETA from the fraction', () => {
    // 124 trials in 10 s = 12.4/s; 78 % done after 10 s → 10 × 0.22 / 0.78 = 2.82 s left
    expect(summaryText(board({ phase: 'grid' }), { elapsedSeconds: 10, fraction: 0.78 })).toBe('ETA 3 s · 312/400 trials · 37 read back · 12.4 trials/s · grid');
    expect(summaryText(board(), { elapsedSeconds: 200, fraction: 0.5, ended: 'ok' })).toBe('finished after 3 m 20 s · 312/400 trials · 37 read back · 0.6 trials/s');
    // a narrow pane with rows to spare puts the summary on two lines
    expect(leaderboardLines(board({ phase: 'grid' }), { elapsedSeconds: 10, fraction: 0.78 }, 46, 12).slice(0, 2).map((l) => l.text)).toEqual(['ETA 3 s · 312/400 trials · 37 read back', '12.4 trials/s · grid']);
    expect(durationText(3725)).toBe('1 h 02 m');
    expect(summaryText(board({ done: 100, total: 100, cached: 0, infeasible: 10, evaluated: 100 }), { elapsedSeconds: 6, fraction: 1, ended: 'ok' })).toBe('finished after 6 s · 100/100 trials · 10 infeasible · 16.7 trials/s');
  });

  it('drops trades, then max DD, then Sharpe before cutting; never wider than the pane', () => {
    const wide = leaderboardLines(board(), { elapsedSeconds: 1 }, 60, 5).map((l) => l.text);
    expect(wide[1]).toBe('#  fast  slow     bps  Sharpe  max DD  trades');
    expect(wide[2]).toBe('1    10    80  0.6123    1.31   14.2%      48');
    const narrow = leaderboardLines(board(), { elapsedSeconds: 1 }, 30, 5).map((l) => l.text);
    expect(narrow[1]).toBe('#  fast  slow     bps  Sharpe');
    for (const l of narrow) expect([...l].length).toBeLessThanOrEqual(30);
  });

  it('walk-forward: the latest folds that fit, then the fold in hand’s top trials', () => {
    const folds = Array.from({ length: 8 }, (_, i) => ({ fold: i + 1, train: '2015-01-01..2016-12-31', test: `20${17 + i}-01-01..20${17 + i}-06-30`, chosen: { fast: 10 + i, slow: 80 }, inSample: 0.5 + i / 100, outOfSample: i === 3 ? null : 0.2 }));
    const wf = board({ kind: 'walkforward', folds, foldsTotal: 12, title: 'walkforward sma_cross SPY 1d' });
    const lines = leaderboardLines(wf, { elapsedSeconds: 4 }, 46, 11).map((l) => l.text);
    expect(lines).toHaveLength(9); // summary (2 lines), fold header, 3 folds, note, top header, the one trial
    expect(lines[0]).toMatch(/^8\/12 folds · 312\/400 trials/);
    expect(lines[1]).toMatch(/^3\d\.\d trials\/s$/); // 124 in 4 s, on the second line
    // 46 columns hold the test windows by month only
    expect(lines[2]).toBe('#  test window       fast/slow     IS    OOS');
    expect(lines.slice(3, 6)).toEqual([
      '6  2022-01..2022-06      15/80  0.550  0.200',
      '7  2023-01..2023-06      16/80  0.560  0.200',
      '8  2024-01..2024-06      17/80  0.570  0.200',
    ]);
    // with room for every fold and 62 columns: whole dates, and an undefined OOS score as –
    const tall = leaderboardLines(wf, { elapsedSeconds: 4 }, 62, 20).map((l) => l.text);
    expect(tall.slice(2, 10).map((l) => l.slice(0, 1))).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
    expect(tall[5]).toBe('4  2020-01-01..2020-06-30      13/80  0.530      –');
    expect(lines[6]).toBe('in-sample top of the fold in hand (bps)');
    expect(lines[8]).toMatch(/^1 +10 +80 +0\.6123/);
    expect(lines[7]).toMatch(/^# +fast +slow +bps/);
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(46);
  });

  it('the pane draws the board in its border at a given size', () => {
    const { lastFrame } = render(<LeaderboardPane board={board()} clock={{ elapsedSeconds: 10, fraction: 0.78 }} width={52} height={6} />);
    const f = lastFrame()!.split('\n');
    expect(f[0]).toBe('┌ leaderboard · live · demo ' + '─'.repeat(23) + '┐');
    expect(f[1]).toBe('│ETA 3 s · 312/400 trials · 37 read back · 12.4 tr…│');
    expect(f[2]).toBe('│#  fast  slow     bps  Sharpe  max DD  trades     │');
    expect(f).toHaveLength(6);
  });
});

describe('confirm dialog', { timeout: 60_000 }, () => {
  for (const [key, name, answer] of [
    ['y', 'y', 'yes'],
    ['n', 'n', 'no'],
    [KEY.enter, 'Enter (the default)', 'no'],
    [KEY.escape, 'Esc', 'no'],
  ] as const) {
    it(`asks on the prompt's line; ${name} answers ${answer}`, async () => {
      const size = SIZES[0]!;
      const s = shell(size, [askCommand]);
      await s.type('ask');
      await until(() => frame(s.r).includes(' ? Promote sma_cross@2.0.0 to LIVE (real capital)? [y/N]'));
      const asking = frame(s.r);
      expect(asking).toContain('y confirms · n, Enter or Esc = No (the default)');
      expect(asking).not.toMatch(/^ edgelab> /m); // the dialog has the prompt's line
      expectFits(asking, size);
      s.r.stdin.write('x'); // other keys do nothing
      await new Promise((r) => setTimeout(r, 50));
      expect(frame(s.r)).toContain('[y/N]');
      s.r.stdin.write(key);
      await until(() => frame(s.r).includes(`answer: ${answer}`));
      expect(frame(s.r)).toContain(answer === 'yes' ? 'y — confirmed' : 'N — not confirmed');
      await until(() => /^ edgelab> {2}/.test(s.promptLine()));
    });
  }

  it('Ctrl+C answers no and cancels the line', async () => {
    const s = shell(SIZES[1]!, [askCommand]);
    await s.type('ask');
    await until(() => frame(s.r).includes('[y/N]'));
    s.r.stdin.write(KEY.ctrlC);
    await until(() => frame(s.r).includes('Ctrl+C — not confirmed'));
    await until(() => /^ edgelab> {2}/.test(s.promptLine()));
  });
});
