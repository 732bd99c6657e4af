/**
 * Ink hands a chunk of plain input to `useInput` as one string (ink/build/input-parser.js splits
 * only at escape sequences), so a paste, or `tmux send-keys 'exit' Enter`, arrives as 'exit\r'
 * with no `key.return`. This splits such a chunk into the keys a person would have pressed.
 */
import type { Key } from 'ink';

export const NO_KEY: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex
const RUNS = /[^\u0000-\u001f\u007f]+|[\u0000-\u001f\u007f]/g;

/** One control character as the key Ink would have reported for it alone. */
function controlKey(c: string): [string, Key] {
  if (c === '\r' || c === '\n') return ['', { ...NO_KEY, return: true }];
  if (c === '\t') return ['', { ...NO_KEY, tab: true }];
  if (c === '\u007f' || c === '\b') return ['', { ...NO_KEY, backspace: true }];
  const code = c.charCodeAt(0);
  // Ctrl+A..Ctrl+Z are 0x01..0x1a.
  if (code >= 1 && code <= 26) return [String.fromCharCode(code + 96), { ...NO_KEY, ctrl: true }];
  return ['', NO_KEY];
}

/** The key events in one input event: itself, or its pieces when it mixes text and control keys. */
export function splitInput(input: string, key: Key): [string, Key][] {
  if (input.length <= 1 || key.ctrl || key.meta || !CONTROL.test(input)) return [[input, key]];
  return (input.match(RUNS) ?? []).map((part) => (CONTROL.test(part) ? controlKey(part) : [part, NO_KEY]));
}
