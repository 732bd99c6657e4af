import { describe, expect, it } from 'vitest';
import { NO_KEY, splitInput } from '../../src/tui/keys.js';

describe('splitInput', () => {
  it('passes single keys and plain text through unchanged', () => {
    const up = { ...NO_KEY, upArrow: true };
    expect(splitInput('', up)).toEqual([['', up]]);
    expect(splitInput('help', NO_KEY)).toEqual([['help', NO_KEY]]);
    expect(splitInput('\r', { ...NO_KEY, return: true })).toEqual([['\r', { ...NO_KEY, return: true }]]);
  });
  it('splits text mixed with Enter, Tab, Backspace and Ctrl keys', () => {
    expect(splitInput('exit\r', NO_KEY)).toEqual([
      ['exit', NO_KEY],
      ['', { ...NO_KEY, return: true }],
    ]);
    expect(splitInput('hel\tx\u007f\u0003\n', NO_KEY)).toEqual([
      ['hel', NO_KEY],
      ['', { ...NO_KEY, tab: true }],
      ['x', NO_KEY],
      ['', { ...NO_KEY, backspace: true }],
      ['c', { ...NO_KEY, ctrl: true }],
      ['', { ...NO_KEY, return: true }],
    ]);
  });
});
