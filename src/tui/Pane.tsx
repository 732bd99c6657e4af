/**
 * A bordered pane with its title in the top border (`┌ gates ───┐`), as in the TUI.md sketch.
 * Ink's Box draws borders but no titles, so the top edge is drawn here and the Box draws the rest.
 */
import React from 'react';
import { Box, Text } from 'ink';
import { truncate } from './text-fit.js';
import { displayWidth } from '../shell/format.js';

export interface PaneProps {
  /** Shown in the top border. */
  readonly title: string;
  /** Dim text after the title (e.g. which command filled the pane). */
  readonly note?: string;
  /** Outer width and height, borders included. */
  readonly width: number;
  readonly height: number;
  readonly borderColor?: string;
  readonly children?: React.ReactNode;
}

/** The top border line: `┌ title · note ─────┐` cut to width (the note goes first). */
export function topBorder(title: string, note: string | undefined, width: number): { title: string; note: string; fill: string } {
  const inner = Math.max(0, width - 2);
  const t = truncate(` ${title} `, inner);
  // The note is dropped rather than cut: a half note ('· la…') says nothing.
  const full = note ? `· ${note} ` : '';
  const n = displayWidth(full) <= inner - displayWidth(t) ? full : '';
  const fill = '─'.repeat(Math.max(0, inner - displayWidth(t) - displayWidth(n)));
  return { title: t, note: n, fill };
}

export function Pane({ title, note, width, height, borderColor = 'gray', children }: PaneProps): React.JSX.Element | null {
  if (width < 4 || height < 2) return null;
  const top = topBorder(title, note, width);
  return (
    <Box flexDirection="column" width={width} height={height} flexShrink={0}>
      <Text wrap="truncate">
        <Text color={borderColor}>┌</Text>
        <Text bold>{top.title}</Text>
        <Text color="gray">{top.note}</Text>
        <Text color={borderColor}>{top.fill}┐</Text>
      </Text>
      <Box borderStyle="single" borderTop={false} borderColor={borderColor} height={height - 1} width={width} flexDirection="column" overflow="hidden">
        {children}
      </Box>
    </Box>
  );
}
