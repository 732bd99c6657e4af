import { describe, expect, it } from 'vitest';
import { emptyPrompt, promptReducer, type PromptAction, type PromptState } from '../../src/tui/prompt-state.js';

const run = (actions: readonly PromptAction[], from: PromptState = emptyPrompt): PromptState => actions.reduce(promptReducer, from);
const type = (text: string): PromptAction => ({ type: 'insert', text });

describe('prompt editing', () => {
  it('inserts at the cursor and moves it', () => {
    const s = run([type('hlp'), { type: 'left' }, { type: 'left' }, type('e')]);
    expect(s).toMatchObject({ value: 'help', cursor: 2 });
  });
  it('folds pasted newlines and tabs into spaces and drops control characters', () => {
    expect(run([type('show\tSPY:1d\r\n--rows 5\u0007')]).value).toBe('show SPY:1d --rows 5');
  });
  it('backspace and delete at the edges are no-ops', () => {
    expect(run([{ type: 'backspace' }])).toBe(emptyPrompt);
    const s = run([type('ab'), { type: 'delete' }]);
    expect(s).toMatchObject({ value: 'ab', cursor: 2 });
    expect(run([{ type: 'home' }, { type: 'delete' }], s)).toMatchObject({ value: 'b', cursor: 0 });
    expect(run([{ type: 'backspace' }], s)).toMatchObject({ value: 'a', cursor: 1 });
  });
  it('clamps cursor moves', () => {
    expect(run([type('ab'), { type: 'right' }, { type: 'right' }]).cursor).toBe(2);
    expect(run([type('ab'), { type: 'home' }, { type: 'left' }]).cursor).toBe(0);
  });
  it('kills before, after and the word before the cursor', () => {
    const s = run([type('backtest --from 2020'), { type: 'left' }, { type: 'left' }]);
    expect(run([{ type: 'killBefore' }], s)).toMatchObject({ value: '20', cursor: 0 });
    expect(run([{ type: 'killAfter' }], s)).toMatchObject({ value: 'backtest --from 20', cursor: 18 });
    expect(run([{ type: 'killWord' }], s)).toMatchObject({ value: 'backtest --from 20', cursor: 16 });
    expect(run([{ type: 'end' }, { type: 'killWord' }, { type: 'killWord' }], s)).toMatchObject({ value: 'backtest ', cursor: 9 });
  });
});

describe('prompt history', () => {
  const history = ['ingest synthetic', 'datasets', 'help'];
  it('↑ walks back from the newest, stopping at the oldest; ↓ walks forward and restores the draft', () => {
    let s = run([type('dra')]);
    s = promptReducer(s, { type: 'historyUp', history });
    expect(s).toMatchObject({ value: 'help', cursor: 4, historyIndex: 2, draft: 'dra' });
    s = run([{ type: 'historyUp', history }, { type: 'historyUp', history }, { type: 'historyUp', history }], s);
    expect(s).toMatchObject({ value: 'ingest synthetic', historyIndex: 0 });
    s = promptReducer(s, { type: 'historyDown', history });
    expect(s.value).toBe('datasets');
    s = run([{ type: 'historyDown', history }, { type: 'historyDown', history }], s);
    expect(s).toMatchObject({ value: 'dra', cursor: 3, historyIndex: null });
    expect(promptReducer(s, { type: 'historyDown', history })).toBe(s);
  });
  it('does nothing with an empty history; editing a recalled line leaves browsing', () => {
    expect(promptReducer(emptyPrompt, { type: 'historyUp', history: [] })).toBe(emptyPrompt);
    const s = run([{ type: 'historyUp', history }, type('!')]);
    expect(s).toMatchObject({ value: 'help!', historyIndex: null });
  });
});

describe('prompt completion', () => {
  const completer = (line: string) =>
    line.startsWith('show ') ? { start: 5, candidates: ['BTCUSDT:15m', 'BTCUSDT:funding'] } : { start: 0, candidates: ['help', 'history'].filter((c) => c.startsWith(line)) };
  it('completes a unique candidate with a trailing space', () => {
    expect(run([type('hel'), { type: 'complete', complete: completer }])).toMatchObject({ value: 'help ', cursor: 5, candidates: [] });
  });
  it('extends to the common prefix and keeps the choices when ambiguous; Escape dismisses them', () => {
    const s = run([type('show B'), { type: 'complete', complete: completer }]);
    expect(s).toMatchObject({ value: 'show BTCUSDT:', cursor: 13, candidates: ['BTCUSDT:15m', 'BTCUSDT:funding'] });
    expect(promptReducer(s, { type: 'dismiss' }).candidates).toEqual([]);
  });
  it('completes the text before the cursor and keeps the rest', () => {
    const s = run([type('h --x'), { type: 'home' }, { type: 'right' }, { type: 'complete', complete: completer }]);
    expect(s).toMatchObject({ value: 'h --x', cursor: 1, candidates: ['help', 'history'] });
    const t = run([type('hel --x'), { type: 'home' }, { type: 'right' }, { type: 'right' }, { type: 'right' }, { type: 'complete', complete: completer }]);
    expect(t).toMatchObject({ value: 'help  --x', cursor: 5 });
  });
});
