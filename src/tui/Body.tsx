/**
 * The screen between the header and the prompt: the log and the panes, arranged by the layout
 * (panes stacked in a side column, one tabbed pane beside or under the log, or the log alone).
 * Each part has its own error boundary, keyed so the next result gets a fresh attempt.
 */
import React from 'react';
import { Box } from 'ink';
import { LEARNING_PANE, PANE_IDS, type Layout, type PaneId, type Rect } from './layout.js';
import type { PaneState } from './pane-state.js';
import type { LogLine } from './log-lines.js';
import { ErrorBoundary } from './ErrorBoundary.js';
import { Log } from './Log.js';
import { GatesPane } from './GatesPane.js';
import { EquityPane } from './EquityPane.js';
import { RegimePane } from './RegimePane.js';
import { RiskPane } from './RiskPane.js';
import { LeaderboardPane } from './LeaderboardPane.js';
import { LearningPane } from './LearningPane.js';
import type { LiveBoard } from '../shell/live-board.js';
import type { BoardClock } from './leaderboard-lines.js';

export interface BodyProps {
  readonly layout: Layout;
  readonly panes: PaneState;
  /** Every log display line, oldest first. */
  readonly lines: readonly LogLine[];
  /** Lines scrolled back from the end of the log. */
  readonly scroll: number;
  /** The pane a tabbed layout shows. @default the pane the latest result filled, else equity */
  readonly tab?: PaneId;
  /** A search's live leaderboard: it takes the panes' place (side column or tabbed pane) while shown. */
  readonly live?: { readonly board: LiveBoard; readonly clock: BoardClock };
}

/** The key that cycles the tabbed pane, as the tab strip names it. */
export const NEXT_TAB_KEY = 'Shift+Tab';

/** The tabs there are: the four panes, and the learning pane once a fit has filled it. */
export const tabIds = (panes?: PaneState): readonly PaneId[] => (panes?.learning ? [...PANE_IDS, LEARNING_PANE] : PANE_IDS);

/** The tab strip of a tabbed pane: `[equity] regime gates risk · Shift+Tab`. */
export function tabStrip(active: PaneId, ids: readonly PaneId[] = PANE_IDS): string {
  return `${ids.map((id) => (id === active ? `[${id}]` : id)).join(' ')} · ${NEXT_TAB_KEY}`;
}

/** The pane after `current` in tab order. */
export const nextTab = (current: PaneId, ids: readonly PaneId[] = PANE_IDS): PaneId => ids[(ids.indexOf(current) + 1) % ids.length]!;

/**
 * What Shift+Tab brings in a stacked side column: the learning pane (the whole column) and the
 * stacked panes take turns, once a fit has filled the learning pane.
 */
export const nextStacked = (current: PaneId): PaneId => (current === LEARNING_PANE ? 'equity' : LEARNING_PANE);

/** One pane in its rectangle (tabs: the strip that replaces its title). */
function PaneView({ id, rect, panes, tabs }: { readonly id: PaneId; readonly rect: Rect; readonly panes: PaneState; readonly tabs?: string }): React.JSX.Element {
  const size = { width: rect.width, height: rect.height, ...(tabs ? { tabs } : {}) };
  const view =
    id === 'gates' ? <GatesPane state={panes.gates} {...size} /> : id === 'learning' ? <LearningPane state={panes.learning} {...size} /> : id === 'equity' ? <EquityPane state={panes.equity} {...size} /> : id === 'regime' ? <RegimePane state={panes.regime} {...size} /> : <RiskPane status={panes.status} {...size} />;
  return (
    <ErrorBoundary key={`${id}${panes.count}`} name={`${id} pane`}>
      {view}
    </ErrorBoundary>
  );
}

export function Body({ layout, panes, lines, scroll, tab, live }: BodyProps): React.JSX.Element {
  const log = (
    <ErrorBoundary key={`l${lines.length}`} name="log">
      <Log lines={lines} scroll={scroll} width={layout.log.width} height={layout.log.height} />
    </ErrorBoundary>
  );
  if (layout.mode === 'log-only') return log;
  const active = tab ?? panes.focus ?? 'equity';
  const liveRect = layout.tabbed ?? { width: layout.stacked[0]?.rect.width ?? 0, height: layout.log.height };
  const side = live ? (
    <ErrorBoundary key={`board ${live.board.title}`} name="leaderboard pane">
      <LeaderboardPane board={live.board} clock={live.clock} width={liveRect.width} height={liveRect.height} />
    </ErrorBoundary>
  ) : layout.tabbed ? (
    <PaneView id={active} rect={layout.tabbed} panes={panes} tabs={tabStrip(active, tabIds(panes))} />
  ) : active === LEARNING_PANE && panes.learning ? (
    <ErrorBoundary key={`learning${panes.count}`} name="learning pane">
      <LearningPane state={panes.learning} width={layout.stacked[0]?.rect.width ?? 0} height={layout.log.height} hint={`${NEXT_TAB_KEY}: other panes`} />
    </ErrorBoundary>
  ) : (
    <Box flexDirection="column" width={layout.stacked[0]?.rect.width ?? 0}>
      {layout.stacked.map((p) => (
        <PaneView key={p.id} id={p.id} rect={p.rect} panes={panes} />
      ))}
    </Box>
  );
  return (
    <Box flexDirection={layout.mode === 'side' ? 'row' : 'column'} height={layout.mode === 'side' ? layout.log.height : undefined}>
      {log}
      {side}
    </Box>
  );
}
