/**
 * The full-width table view: one table of the latest result, its header fixed on top, the rows
 * scrolled by table-view.ts, and a footer saying which rows and columns show and which keys move.
 */
import React from 'react';
import { Box, Text } from 'ink';
import { Pane } from './Pane.js';
import { VIEW_KEYS, viewLines, viewportOf, type TableViewState } from './table-view.js';
import { truncate } from './text-fit.js';

export interface TableViewProps {
  readonly state: TableViewState;
  /** Outer size, borders included. */
  readonly width: number;
  readonly height: number;
}

/** Where the window is and the keys; the short key list when the long one does not fit. */
function footer(position: string, width: number): string {
  const full = `${position} · ${VIEW_KEYS}`;
  return full.length <= width ? full : truncate(`${position} · ${SHORT_KEYS}`, width);
}

const SHORT_KEYS = '↑↓←→ PgUp/PgDn Home/End · Tab · Esc back';

export function TableView({ state, width, height }: TableViewProps): React.JSX.Element | null {
  const vp = viewportOf(width, height);
  const view = viewLines(state, vp);
  const blank = vp.rows - view.rows.length;
  return (
    <Pane title={view.title} width={width} height={height} borderColor="cyan">
      <Box flexDirection="column">
        {view.head.map((l, i) => (
          <Text key={`h${i}`} bold={i === 0} wrap="truncate">
            {l === '' ? ' ' : l}
          </Text>
        ))}
        {view.rows.map((l, i) => (
          <Text key={i} wrap="truncate">
            {l === '' ? ' ' : l}
          </Text>
        ))}
        {Array.from({ length: Math.max(0, blank) }, (_, i) => (
          <Text key={`b${i}`}> </Text>
        ))}
        <Text color="gray" wrap="truncate">
          {footer(view.position, vp.width)}
        </Text>
      </Box>
    </Pane>
  );
}
