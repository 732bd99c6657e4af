/**
 * The prompt line: `edgelab> text█` with a block cursor, and a dim key hint on the right when
 * there is room. Long lines scroll horizontally to keep the cursor visible. Editing state lives in
 * prompt-state.ts; key handling in the App (one input handler for the whole screen).
 */
import React from 'react';
import { Text } from 'ink';
import { displayWidth } from '../shell/format.js';
import { truncate } from './text-fit.js';
import { PROMPT_TEXT } from './prompt-text.js';

export const PROMPT = PROMPT_TEXT;

export interface PromptProps {
  readonly value: string;
  readonly cursor: number;
  readonly width: number;
  /** A job is running: the line is drawn dim (typing ahead still works). */
  readonly busy: boolean;
  /** Completion the hint can name, e.g. 'backtest'. */
  readonly completionHint?: string;
  /** A short message shown instead of the key hint (e.g. why Enter did nothing). */
  readonly message?: string;
}

const HINTS = ['Tab complete · ↑↓ history · PgUp/PgDn scroll · Ctrl+C cancel · help', 'Tab · ↑↓ · PgUp/PgDn · help', ''];

/** The visible slice of the line and where the cursor falls in it. */
export function visibleSlice(value: string, cursor: number, room: number): { text: string; cursor: number } {
  if (value.length + 1 <= room) return { text: value, cursor };
  const start = Math.max(0, Math.min(cursor - room + 1, value.length + 1 - room));
  return { text: value.slice(start, start + room), cursor: cursor - start };
}

export function Prompt({ value, cursor, width, busy, completionHint, message }: PromptProps): React.JSX.Element {
  const room = Math.max(1, width - 1 - PROMPT.length);
  const shown = visibleSlice(value, cursor, room);
  const before = shown.text.slice(0, shown.cursor);
  const at = shown.text[shown.cursor] ?? ' ';
  const after = shown.text.slice(shown.cursor + 1);
  const free = room - displayWidth(shown.text) - 1 - 4;
  const candidates = completionHint ? [`(Tab: ${completionHint} · ↑↓ history · Ctrl+C cancel · help)`, `(Tab: ${completionHint})`, ...HINTS] : HINTS;
  const hint = message !== undefined ? truncate(message, Math.max(0, free)) : busy ? '' : (candidates.find((h) => displayWidth(h) <= free) ?? '');
  return (
    <Text wrap="truncate">
      <Text color={busy ? 'gray' : 'cyan'} bold>
        {' '}
        {PROMPT}
      </Text>
      <Text dimColor={busy}>{before}</Text>
      <Text inverse>{at}</Text>
      <Text dimColor={busy}>{after}</Text>
      {hint ? (
        <Text color={message !== undefined ? 'yellow' : 'gray'}>
          {' '.repeat(Math.max(4, free - displayWidth(hint) + 4))}
          {hint}
        </Text>
      ) : null}
    </Text>
  );
}
