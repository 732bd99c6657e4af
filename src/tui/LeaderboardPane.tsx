/**
 * The live leaderboard pane (docs/shell.md, "Live leaderboard"): while `optimize` or `walkforward`
 * runs it takes the place of the side panes (or the tabbed pane under the log at 80 columns) and
 * shows the board its progress carries; once the job has ended it stays, marked finished or
 * cancelled, until the next line runs. The text comes from leaderboard-lines.ts.
 */
import React from 'react';
import { Text } from 'ink';
import type { LiveBoard } from '../shell/live-board.js';
import { Pane } from './Pane.js';
import { leaderboardLines, type BoardClock } from './leaderboard-lines.js';

export interface LeaderboardPaneProps {
  readonly board: LiveBoard;
  readonly clock: BoardClock;
  /** Outer size, borders included. */
  readonly width: number;
  readonly height: number;
}

export function LeaderboardPane({ board, clock, width, height }: LeaderboardPaneProps): React.JSX.Element | null {
  const lines = leaderboardLines(board, clock, width - 2, height - 2);
  const state = clock.ended === undefined ? 'live' : clock.ended === 'ok' ? 'finished' : clock.ended;
  // The pane's title names the command, so the note keeps what it runs on ('live · sma_cross SPY 1d'): it fits a 48-column side pane.
  const what = board.title.replace(/^(optimize|walkforward) /, '');
  return (
    <Pane title={board.kind === 'walkforward' ? 'walk-forward' : 'leaderboard'} note={`${state} · ${what}`} width={width} height={height} borderColor={clock.ended === undefined ? 'cyan' : 'gray'}>
      {lines.map((l, i) => (
        <Text key={i} wrap="truncate" {...(l.style === 'header' ? { color: 'gray' } : l.style === 'note' ? { color: 'gray', italic: true } : l.style === 'best' ? { bold: true, color: 'green' } : {})}>
          {l.text}
        </Text>
      ))}
    </Pane>
  );
}
