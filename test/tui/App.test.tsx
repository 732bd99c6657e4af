/**
 * The shell driven like a person would: type into stdin, press keys, read the rendered frame.
 * Commands run through the real Dispatcher with small test commands (fixtures.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import React from 'react';
import { cleanup } from 'ink-testing-library';
import { z } from 'zod';
import { App, type AppProps } from '../../src/tui/App.js';
import { defineCommand, type AnyCommand } from '../../src/shell/command.js';
import { ok, table, text } from '../../src/core/result.js';
import { fakeDataset, slowJob, testDispatcher, until } from './fixtures.js';
import { KEY, frame, renderAt, type Size } from './render-at.js';

afterEach(cleanup);

const WIDE: Size = { columns: 120, rows: 40 };
const SMALL: Size = { columns: 80, rows: 24 };
const SHIFT_TAB = '\u001b[Z';

function shell(opts: Partial<AppProps> & { size?: Size; extra?: AnyCommand[] } = {}) {
  const dispatcher = opts.dispatcher ?? testDispatcher(opts.extra ?? []);
  const exits: number[] = [];
  const added: string[] = [];
  const size = opts.size ?? WIDE;
  const r = renderAt(
    <App
      dispatcher={dispatcher}
      header={{ sessionId: 'test-session', resultsDb: 'data/edgelab.duckdb', version: '0.1.0' }}
      size={size}
      throttleMs={10}
      onExit={() => exits.push(1)}
      onHistoryAdd={(l) => added.push(l)}
      {...(opts.history ? { history: opts.history } : {})}
      {...(opts.startupLines ? { startupLines: opts.startupLines } : {})}
      {...(opts.typedLines ? { typedLines: opts.typedLines } : {})}
    />,
    size,
  );
  const lines = (): string[] => frame(r).split('\n');
  const promptLine = (): string => lines().find((l) => l.startsWith(' edgelab> ')) ?? '';
  const submit = async (line: string, expectText: string): Promise<void> => {
    r.stdin.write(line);
    await until(() => promptLine().startsWith(` edgelab> ${line}`));
    r.stdin.write(KEY.enter);
    await until(() => frame(r).includes(expectText));
  };
  const press = async (key: string, check: () => boolean = () => true): Promise<void> => {
    r.stdin.write(key);
    await until(check);
  };
  return { r, dispatcher, exits, added, lines, promptLine, submit, press };
}

describe('the interactive shell', { timeout: 60_000 }, () => {
  it('typing a command shows its output in the log, and the prompt comes back empty', async () => {
    const s = shell();
    await s.submit('help', 'commands: help history gates halt chart exit');
    const f = frame(s.r);
    expect(f).toContain('│> help');
    expect(f).toContain('│  commands: help history gates halt chart exit');
    await until(() => s.promptLine().startsWith(' edgelab>  '));
    expect(s.promptLine()).toMatch(/^ edgelab> {2}/);
    expect(s.added).toEqual(['help']);
    expect(s.dispatcher.session.history).toEqual(['help']);
  });

  it('lines entered on the first frame run after the startup lines and are in the ↑ history (it is not cut short)', async () => {
    const s = shell({ history: ['datasets'], startupLines: ['gates'], typedLines: ['help'] });
    await until(() => s.dispatcher.session.history.length === 2);
    expect(s.dispatcher.session.history).toEqual(['gates', 'help']);
    // the typed line is persisted like any other; the startup line is not something the user typed
    expect(s.added).toEqual(['help']);
    await s.press(KEY.up, () => s.promptLine().startsWith(' edgelab> help'));
    await s.press(KEY.up, () => s.promptLine().startsWith(' edgelab> datasets'));
  });

  it('↑ recalls earlier lines (this session and the saved history), ↓ comes back', async () => {
    const s = shell({ history: ['datasets'] });
    await s.submit('help', 'commands:');
    await s.press(KEY.up, () => s.promptLine().startsWith(' edgelab> help'));
    expect(s.promptLine()).toMatch(/^ edgelab> help /);
    await s.press(KEY.up, () => s.promptLine().startsWith(' edgelab> datasets'));
    expect(s.promptLine()).toMatch(/^ edgelab> datasets /);
    await s.press(KEY.down, () => s.promptLine().startsWith(' edgelab> help'));
    await s.press(KEY.down, () => !s.promptLine().startsWith(' edgelab> help'));
    expect(s.promptLine()).toMatch(/^ edgelab> {2}/);
    // a recalled line runs again with Enter
    await s.press(KEY.up, () => s.promptLine().startsWith(' edgelab> help'));
    await s.press(KEY.enter, () => s.dispatcher.session.history.length === 2);
    expect(s.dispatcher.session.history).toEqual(['help', 'help']);
    await until(() => frame(s.r).split('│> help').length === 3);
  });

  it('Tab completes hel → help, and lists the choices when ambiguous', async () => {
    const s = shell();
    await s.press('hel', () => s.promptLine().startsWith(' edgelab> hel'));
    expect(s.promptLine()).toContain('(Tab: help');
    await s.press(KEY.tab, () => s.promptLine().startsWith(' edgelab> help '));
    expect(s.promptLine()).toMatch(/^ edgelab> help {2}/);
    await s.press(KEY.enter, () => frame(s.r).includes('commands: help'));
    await s.press('h', () => s.promptLine().startsWith(' edgelab> h'));
    await s.press(KEY.tab, () => s.lines().some((l) => l.includes('halt  help  history')));
    expect(s.lines()[s.lines().length - 1]).toBe('   halt  help  history');
    expect(s.promptLine()).toMatch(/^ edgelab> h /);
    await s.press(KEY.escape, () => !s.lines().some((l) => l.includes('halt  help  history')));
  });

  it('an unknown command shows a one-line error and the prompt comes back', async () => {
    const s = shell({ size: SMALL });
    await s.submit('hlep', "unknown command 'hlep'");
    const errorLines = s.lines().filter((l) => l.includes('unknown command'));
    expect(errorLines).toEqual(["│  hlep: unknown command 'hlep'; did you mean 'help'? (type help for the list) │"]);
    await until(() => s.promptLine().startsWith(' edgelab>  '));
    await s.submit('help', 'commands:');
    expect(s.dispatcher.session.history).toEqual(['hlep', 'help']);
  });

  it('a gates block updates the gates pane', async () => {
    const s = shell();
    expect(frame(s.r)).toContain('no gates yet');
    await s.submit('gates', 'gates · funding_ext:short:8h');
    const pane = s.lines().map((l) => l.slice(72));
    expect(pane.slice(1, 6)).toEqual([
      '┌ gates · funding_ext:short:8h · 2/3 pass ─────┐',
      '│ok  gate          value       threshold       │',
      '│✓   q-value       0.003       ≤ 0.10          │',
      '│✓   bootstrap CI  excludes 0  excludes 0      │',
      '│✗   stability     0.41        ≥ 0.60          │',
    ]);
    expect(frame(s.r)).toContain('│  funding_ext:short:8h: 2/3 gates pass (failing: stability)');
  });

  it('a status block with HALT shows in the risk pane, and a series fills the equity pane', async () => {
    const s = shell();
    expect(frame(s.r)).toContain('no risk or regime status yet');
    await s.submit('halt', 'risk mode');
    const risk = s.lines().findIndex((l) => l.includes('┌ risk '));
    expect(s.lines()[risk + 1]!.slice(72)).toBe('│risk mode  HALT  · DD 21.4%                   │');
    expect(s.lines()[risk + 2]!.slice(72)).toBe('│  why DD 21.4% > 20%                          │');
    await s.submit('chart', 'equity · portfolio');
    expect(frame(s.r)).toContain('drawdown max 4.5% · now 0.0%');
    expect(frame(s.r)).toContain('equity · portfolio · last 1.42');
  });

  it('PageUp scrolls the log back and PageDown returns to the end', async () => {
    const many: AnyCommand = defineCommand({
      name: 'many',
      summary: '60 lines',
      schema: z.object({}),
      run: () => ok('many', [text(Array.from({ length: 60 }, (_, i) => `row ${i}`).join('\n'))]),
    }) as unknown as AnyCommand;
    const s = shell({ extra: [many] });
    await s.submit('many', 'row 59');
    expect(frame(s.r)).not.toContain('row 20 ');
    await s.press(KEY.pageUp, () => frame(s.r).includes('lines back'));
    // 62 lines (banner, echo, 60 rows) in a 34-line window: at most 28 back
    expect(frame(s.r)).toContain('┌ log · ↑ 28 lines back · PgDn');
    expect(frame(s.r)).not.toContain('row 59');
    await s.press(KEY.pageUp, () => frame(s.r).includes('│> many'));
    await s.press(KEY.pageDown);
    await s.press(KEY.pageDown, () => frame(s.r).includes('row 59'));
    expect(frame(s.r)).toContain('┌ log · PgUp scrolls back');
  });

  it('a pane that fails to draw shows one red line; the shell and the other panes carry on', async () => {
    const broken: AnyCommand = defineCommand({
      name: 'broken',
      summary: 'a malformed series block',
      schema: z.object({}),
      run: () => ({ title: 'broken', status: 'ok', blocks: [{ kind: 'series', title: 'bad' } as never] }),
    }) as unknown as AnyCommand;
    const s = shell({ extra: [broken] });
    await s.submit('gates', 'gates · funding_ext');
    await s.submit('broken', 'equity pane failed to draw');
    expect(frame(s.r)).toContain('gates · funding_ext:short:8h');
    expect(frame(s.r)).toContain('│  (a series block could not be drawn:');
    await s.submit('help', 'commands: help');
    // the next result gives the pane a fresh attempt (still broken data, still contained)
    expect(frame(s.r)).toContain('equity pane failed to draw');
    await s.submit('chart', 'backtest done');
    expect(frame(s.r)).not.toContain('failed to draw');
    expect(frame(s.r)).toContain('equity · portfolio');
  });

  it('runs startup lines first and shows the datasets in the header', async () => {
    const load: AnyCommand = defineCommand({
      name: 'load',
      summary: 'load demo data',
      schema: z.object({}),
      run: (session) => {
        session.addDataset(fakeDataset('BTCUSDT:15m', true));
        session.addDataset(fakeDataset('SPY:1d', true));
        return ok('load', [text('2 datasets')]);
      },
    }) as unknown as AnyCommand;
    const s = shell({ extra: [load], startupLines: ['load'] });
    await until(() => frame(s.r).includes('2 datasets'));
    expect(s.lines()[0]).toBe(' edgelab 0.1.0 · session test-session · seed 42 · data: 2 sets (2 ready) · results: data/edgelab.duckdb');
    expect(frame(s.r)).toContain('│> load');
    expect(s.added).toEqual([]);
  });
});

describe('jobs and quitting', { timeout: 60_000 }, () => {
  it('shows a running job with progress, and Ctrl+C cancels it; the log says so', async () => {
    const job = slowJob();
    const s = shell({ extra: [job.command] });
    s.r.stdin.write('crunch');
    await until(() => s.promptLine().startsWith(' edgelab> crunch'));
    s.r.stdin.write(KEY.enter);
    await job.started;
    await until(() => frame(s.r).includes('54%'));
    const last = s.lines()[s.lines().length - 1]!;
    expect(last).toMatch(/^ [⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] ▕█+[▏▎▍▌▋▊▉]? *▏ {2}54% crunch 2021-03 · 1\.9 M bars\/s/);
    expect(last).toContain('Ctrl+C cancels');
    expect(s.lines()[0]).toContain('▶ crunch 54%');
    expect(frame(s.r)).toContain('│  warming up');
    // Enter while busy queues the line behind the job; Ctrl+C cancels the job and drops the queue
    await s.press('help', () => s.promptLine().startsWith(' edgelab> help'));
    await s.press(KEY.enter, () => s.promptLine().includes('queued: help'));
    // A line enters the session's history when the dispatcher takes it (with its transcript seq),
    // not when it ends: a background line or one still running is already part of what was typed,
    // in typing order. The queued 'help' has not reached the dispatcher, so it is not there yet.
    expect(s.dispatcher.session.history).toEqual(['crunch']);
    await s.press(KEY.ctrlC, () => frame(s.r).includes('crunch: cancelled'));
    expect(frame(s.r)).toContain('│  Ctrl+C: cancelling… (and dropping 1 queued line)');
    expect(s.lines()[s.lines().length - 1]).not.toContain('54%');
    expect(s.exits).toEqual([]);
    expect(s.dispatcher.session.history).toEqual(['crunch']);
    // the prompt is usable again
    await s.submit('help', 'commands: help');
    expect(s.dispatcher.session.history).toEqual(['crunch', 'help']);
  });

  it('lines typed during a job run after it, in order', async () => {
    const job = slowJob();
    const s = shell({ extra: [job.command] });
    await s.press('crunch', () => s.promptLine().startsWith(' edgelab> crunch'));
    await s.press(KEY.enter);
    await job.started;
    await s.press('gates', () => s.promptLine().startsWith(' edgelab> gates'));
    await s.press(KEY.enter, () => s.promptLine().includes('queued: gates'));
    await s.press('halt', () => s.promptLine().startsWith(' edgelab> halt'));
    await s.press(KEY.enter);
    job.release();
    await until(() => s.dispatcher.session.history.length === 3);
    expect(s.dispatcher.session.history).toEqual(['crunch', 'gates', 'halt']);
    await until(() => frame(s.r).includes('risk mode'));
    expect(frame(s.r)).toContain('crunched 42 bars');
  });

  it('handles keys that arrive in one chunk (a paste, tmux send-keys): text, Tab, Backspace, Enter', async () => {
    const s = shell();
    s.r.stdin.write('gates\rhal\t');
    await until(() => s.promptLine().startsWith(' edgelab> halt '));
    expect(s.dispatcher.session.history).toEqual(['gates']);
    s.r.stdin.write('x\u007f\r');
    await until(() => s.dispatcher.session.history.length === 2);
    expect(s.dispatcher.session.history).toEqual(['gates', 'halt']);
    s.r.stdin.write('exit\r');
    await until(() => s.exits.length > 0);
  });

  it('Ctrl+C at an idle prompt clears the line; a second one quits', async () => {
    const s = shell();
    await s.press('some text', () => s.promptLine().startsWith(' edgelab> some text'));
    await s.press(KEY.ctrlC, () => frame(s.r).includes('press Ctrl+C again to quit'));
    expect(s.promptLine()).toMatch(/^ edgelab> {2}/);
    expect(s.exits).toEqual([]);
    // another key disarms it
    await s.press('x', () => !frame(s.r).includes('press Ctrl+C again'));
    await s.press(KEY.ctrlC, () => frame(s.r).includes('press Ctrl+C again'));
    await s.press(KEY.ctrlC, () => s.exits.length > 0);
    expect(s.exits).toEqual([1]);
  });

  it('exit quits cleanly, and so does Ctrl+D on an empty line', async () => {
    const a = shell();
    await a.press('exit', () => a.promptLine().startsWith(' edgelab> exit'));
    await a.press(KEY.enter, () => a.exits.length > 0);
    expect(a.exits).toEqual([1]);

    const b = shell();
    await b.press('ab', () => b.promptLine().startsWith(' edgelab> ab'));
    await b.press(KEY.left);
    await b.press(KEY.ctrlD, () => b.promptLine().startsWith(' edgelab> a '));
    expect(b.exits).toEqual([]);
    await b.press(KEY.backspace, () => !b.promptLine().startsWith(' edgelab> a'));
    await b.press(KEY.ctrlD, () => b.exits.length > 0);
    expect(b.exits).toEqual([1]);
  });
});

describe('layout', { timeout: 60_000 }, () => {
  it('at 80×24 everything fits: a compact log over one tabbed pane; the latest result brings its pane, Shift+Tab cycles', async () => {
    const s = shell({ size: SMALL });
    await s.submit('gates', 'stability');
    await s.submit('halt', 'risk mode');
    const lines = s.lines();
    expect(lines.length).toBe(23);
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(80);
    expect(lines[1]).toMatch(/^┌ log .*┐$/);
    expect(lines[7]).toBe(`└${'─'.repeat(78)}┘`);
    expect(lines[8]).toMatch(/^┌ equity regime gates \[risk\] · Shift\+Tab · risk ─+┐$/);
    expect(lines[9]).toMatch(/^│risk mode {2}HALT {2}· DD 21\.4% .*│$/);
    expect(lines[20]).toBe(`└${'─'.repeat(78)}┘`);
    expect(lines[21]).toMatch(/^ edgelab> /);
    await s.press(SHIFT_TAB, () => s.lines()[8]!.startsWith('┌ [equity] regime'));
    expect(s.lines()[9]).toMatch(/^│no equity curve yet/);
    await s.press(SHIFT_TAB, () => s.lines()[8]!.startsWith('┌ equity [regime]'));
    await s.press(SHIFT_TAB, () => s.lines()[8]!.startsWith('┌ equity regime [gates]'));
    expect(s.lines()[9]).toMatch(/^│ok {2}gate/);
    // a new result with a chart brings the equity pane back to the front
    await s.submit('chart', 'backtest done');
    await until(() => s.lines()[8]!.startsWith('┌ [equity] regime gates risk'));
    // eslint-disable-next-line no-control-regex
    const chart = s.lines().slice(9, 20).map((l) => l.replace(/\u001b\[[0-9;]*m/g, ''));
    expect(chart.filter((l) => /^│ *[\d.]+ [┤┼]/.test(l)).length).toBe(8);
    expect(chart[8]).toMatch(/^│ +└┬/);
    expect(chart[9]).toMatch(/^│ +0 /);
  });

  it('Ctrl+T opens the latest tables full width; arrows scroll, Tab switches, Esc returns', async () => {
    const wide = defineCommand({
      name: 'wide',
      summary: 'two tables, one wider than the log',
      schema: z.object({}),
      run: () =>
        ok('wide', [
          table(['n', 'note'], [[1, 'short']], 'small'),
          table(
            ['id', ...Array.from({ length: 12 }, (_, i) => `column_${i}`)],
            Array.from({ length: 30 }, (_, r) => [r + 1, ...Array.from({ length: 12 }, (_, i) => `r${r + 1}c${i}`)]),
            'wide one',
            45,
          ),
        ]),
    }) as unknown as AnyCommand;
    const s = shell({ size: SMALL, extra: [wide] });
    await s.press(KEY.ctrlT, () => frame(s.r).includes('no table to view yet'));
    await s.submit('wide', '▸ 1 table cut to fit · Ctrl+T views full width');
    await s.press(KEY.ctrlT, () => s.lines()[1]!.startsWith('┌ wide one · 2/2 from wide'));
    let f = s.lines();
    expect(f[2]).toMatch(/^│id {2}column_0 {2}column_1/);
    expect(f[4]).toMatch(/^│ 1 {2}r1c0 /);
    // 24 rows - 1 spare - 3 chrome = 20; minus borders, header, rule and footer: 15 rows show.
    expect(f[18]).toMatch(/^│15 {2}r15c0 /);
    // id (2) + ten column_N (8) + column_10, column_11 (9) + 12 gaps of 2 = 124 columns.
    expect(f[19]).toMatch(/^│rows 1–15 of 30 \(45 in all\) · columns 1–78 of 124 ·/);
    await s.press(KEY.pageDown, () => s.lines()[4]!.startsWith('│15  r15c0'));
    await s.press(KEY.end, () => s.lines()[4]!.startsWith('│16  r16c0'));
    expect(s.lines()[18]).toMatch(/^│30 {2}r30c0 /);
    await s.press(KEY.right, () => s.lines()[19]!.includes('columns 9–86 of 124'));
    f = s.lines();
    // 'id  column_0': eight columns in is the 'm' of column_0
    expect(f[2]).toMatch(/^│mn_0 {2}column_1/);
    await s.press(KEY.tab, () => s.lines()[1]!.startsWith('┌ small · 1/2 from wide'));
    await s.press(KEY.escape, () => s.lines()[1]!.startsWith('┌ log'));
    expect(s.promptLine()).toMatch(/^ edgelab> {2}/);
  });

  it('at 120×40 the log and the side column share the screen', async () => {
    const s = shell({ size: WIDE });
    await s.submit('help', 'commands:');
    const lines = s.lines();
    expect(lines.length).toBe(39);
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(120);
    expect(lines[1]).toBe(`┌ log ${'─'.repeat(65)}┐┌ gates ${'─'.repeat(39)}┐`);
    expect(lines[37]).toMatch(/^ edgelab> /);
  });
});
