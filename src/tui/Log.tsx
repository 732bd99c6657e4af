/**
 * The output log pane: the last screenful of display lines, or an earlier window when the user
 * scrolled back with PageUp (the title then says how far).
 */
import React from 'react';
import { Box, Text } from 'ink';
import { Pane } from './Pane.js';
import { logWindow, type LogLine } from './log-lines.js';

export interface LogProps {
  /** Every display line, oldest first (log-lines.ts). */
  readonly lines: readonly LogLine[];
  /** Lines scrolled up from the end; 0 follows new output. */
  readonly scroll: number;
  /** Outer size, borders included. */
  readonly width: number;
  readonly height: number;
}

export function Log({ lines, scroll, width, height }: LogProps): React.JSX.Element | null {
  const view = logWindow(lines, Math.max(0, height - 2), scroll);
  const note = view.scroll > 0 ? `↑ ${view.scroll} lines back · PgDn` : lines.length > height - 2 ? 'PgUp scrolls back' : undefined;
  return (
    <Pane title="log" {...(note ? { note } : {})} width={width} height={height}>
      <Box flexDirection="column">
        {view.lines.map((l, i) => (
          <Text key={i} wrap="truncate" {...(l.color ? { color: l.color } : {})} bold={l.bold ?? false}>
            {l.text === '' ? ' ' : l.text}
          </Text>
        ))}
      </Box>
    </Pane>
  );
}
