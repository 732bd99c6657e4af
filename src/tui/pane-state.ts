/**
 * What each side pane shows, derived only from executed CommandResults (STYLE.md: "Build panes
 * only from CommandResult blocks"), so tests and headless code can compute it without a terminal.
 *
 * - gates: every gates block of the latest result that has any;
 * - equity: the first equity series block (pane 'equity' or unset) of the latest result that has
 *   one, with the drawdown series block (pane 'drawdown') of that same result when present;
 * - status: the latest status block per title (a risk block and a regime block from different
 *   commands both stay), in order of first appearance.
 */
import type { CommandResult, GatesBlock, SeriesBlock, StatusBlock } from '../core/result.js';

/** The part of an executed line the panes read (the dispatcher's `Executed` satisfies it). */
export interface ExecutedLike {
  readonly line: string;
  readonly result: CommandResult;
}

export interface GatesPaneState {
  /** The line that produced them. */
  readonly source: string;
  readonly blocks: readonly GatesBlock[];
}

export interface EquityPaneState {
  readonly source: string;
  readonly equity: SeriesBlock;
  readonly drawdown?: SeriesBlock;
}

export interface PaneState {
  readonly gates?: GatesPaneState;
  readonly equity?: EquityPaneState;
  readonly status: readonly StatusBlock[];
  /** How many results have been folded in (a key for redrawing). */
  readonly count: number;
}

export const emptyPanes: PaneState = { status: [], count: 0 };

const isEquity = (b: SeriesBlock): boolean => b.pane === undefined || b.pane === 'equity';

/** Fold one executed line into the pane state (a new object; the old one is not changed). */
export function reducePanes(state: PaneState, executed: ExecutedLike): PaneState {
  const { line, result } = executed;
  let { gates, equity, status } = state;

  const gatesBlocks = result.blocks.filter((b): b is GatesBlock => b.kind === 'gates');
  if (gatesBlocks.length > 0) gates = { source: line, blocks: gatesBlocks };

  const series = result.blocks.filter((b): b is SeriesBlock => b.kind === 'series');
  const eq = series.find(isEquity);
  if (eq) {
    const dd = series.find((b) => b.pane === 'drawdown');
    equity = dd ? { source: line, equity: eq, drawdown: dd } : { source: line, equity: eq };
  }

  const statusBlocks = result.blocks.filter((b): b is StatusBlock => b.kind === 'status');
  if (statusBlocks.length > 0) {
    const byTitle = new Map(status.map((b) => [b.title, b] as const));
    for (const b of statusBlocks) byTitle.set(b.title, b);
    status = [...byTitle.values()];
  }

  const next: PaneState = { status, count: state.count + 1 };
  return { ...next, ...(gates ? { gates } : {}), ...(equity ? { equity } : {}) };
}

/** The pane state after a whole list of executed lines, oldest first. */
export function paneState(executed: readonly ExecutedLike[]): PaneState {
  return executed.reduce(reducePanes, emptyPanes);
}
