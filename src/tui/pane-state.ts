/**
 * What each side pane shows, derived only from executed CommandResults (STYLE.md: "Build panes
 * only from CommandResult blocks"), so tests and headless code can compute it without a terminal.
 *
 * - gates: every gates block of the latest result that has any;
 * - equity: the first equity series block (pane 'equity' or unset) of the latest result that has
 *   one, with the drawdown series block (pane 'drawdown') and the per-model P&L block (pane
 *   'models') of that same result when present;
 * - status: the latest status block per title (a risk block and a regime block from different
 *   commands both stay), in order of first appearance;
 * - regime: the regime series blocks (pane 'regime': rule codes, HMM probabilities) of the latest
 *   result that has any, with the level names its inputs table gives; and the latest
 *   'performance by regime' table (a backtest's split);
 * - learning: the learning-curve series blocks (pane 'learning') of the latest result that has
 *   any — a boosted-tree fit — with the round each model keeps, from the same result's
 *   selected-rounds table (src/ml/learning-table.ts);
 * - focus: the pane the latest result filled (what a tabbed layout brings to the front).
 */
import type { CommandResult, GatesBlock, SeriesBlock, StatusBlock, TableBlock } from '../core/result.js';
import type { PaneId } from './layout.js';
import { learningCurvesOf, type LearningPaneState } from './learning-state.js';

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
  /** The same result's per-model P&L block (pane 'models'), when it has several models. */
  readonly models?: SeriesBlock;
}

export interface RegimeTimelineState {
  readonly source: string;
  /** The result's regime series blocks, in result order. */
  readonly blocks: readonly SeriesBlock[];
  /** Level names by series name, code order ('equity' → BEAR, NEUTRAL, BULL), when the result says. */
  readonly levels: Readonly<Record<string, readonly string[]>>;
}

export interface RegimeSplitState {
  readonly source: string;
  readonly table: TableBlock;
}

export interface RegimePaneState {
  readonly timeline?: RegimeTimelineState;
  readonly split?: RegimeSplitState;
}

export interface PaneState {
  readonly gates?: GatesPaneState;
  readonly equity?: EquityPaneState;
  readonly regime?: RegimePaneState;
  readonly learning?: LearningPaneState;
  readonly status: readonly StatusBlock[];
  /** The pane the latest result filled, if any. */
  readonly focus?: PaneId;
  /** How many results have been folded in (a key for redrawing). */
  readonly count: number;
}

export const emptyPanes: PaneState = { status: [], count: 0 };

const isEquity = (b: SeriesBlock): boolean => b.pane === undefined || b.pane === 'equity';

/** The backtest's split table (src/backtest/report-blocks.ts). */
export const REGIME_SPLIT_TITLE = 'performance by regime';

/**
 * Level names from a table with `dimension` and `rule` columns whose rule ends in
 * `codes 0 BEAR · 1 NEUTRAL · 2 BULL` (the regime command's inputs table).
 */
export function regimeLevels(tables: readonly TableBlock[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const t of tables) {
    const dim = t.columns.indexOf('dimension');
    const rule = t.columns.indexOf('rule');
    if (dim < 0 || rule < 0) continue;
    for (const row of t.rows) {
      const codes = /codes (.+)$/.exec(String(row[rule] ?? ''));
      if (!codes) continue;
      const levels: string[] = [];
      for (const part of codes[1]!.split(' · ')) {
        const m = /^(\d+) (\S+)$/.exec(part.trim());
        if (m) levels[Number(m[1])] = m[2]!;
      }
      if (levels.length > 0 && levels.every((l) => l !== undefined)) out[String(row[dim])] = levels;
    }
  }
  return out;
}

/** Fold one executed line into the pane state (a new object; the old one is not changed). */
export function reducePanes(state: PaneState, executed: ExecutedLike): PaneState {
  const { line, result } = executed;
  let { gates, equity, status, regime, learning } = state;
  let focus: PaneId | undefined;

  const gatesBlocks = result.blocks.filter((b): b is GatesBlock => b.kind === 'gates');
  if (gatesBlocks.length > 0) gates = { source: line, blocks: gatesBlocks };

  const series = result.blocks.filter((b): b is SeriesBlock => b.kind === 'series');
  const eq = series.find(isEquity);
  if (eq) {
    const dd = series.find((b) => b.pane === 'drawdown');
    const models = series.find((b) => b.pane === 'models');
    equity = { source: line, equity: eq, ...(dd ? { drawdown: dd } : {}), ...(models ? { models } : {}) };
  }

  const tables = result.blocks.filter((b): b is TableBlock => b.kind === 'table');
  const regimeSeries = series.filter((b) => b.pane === 'regime');
  const split = tables.find((t) => t.title === REGIME_SPLIT_TITLE);
  if (regimeSeries.length > 0 || split) {
    regime = {
      ...(regimeSeries.length > 0 ? { timeline: { source: line, blocks: regimeSeries, levels: regimeLevels(tables) } } : regime?.timeline ? { timeline: regime.timeline } : {}),
      ...(split ? { split: { source: line, table: split } } : regime?.split ? { split: regime.split } : {}),
    };
  }

  const statusBlocks = result.blocks.filter((b): b is StatusBlock => b.kind === 'status');
  if (statusBlocks.length > 0) {
    const byTitle = new Map(status.map((b) => [b.title, b] as const));
    for (const b of statusBlocks) byTitle.set(b.title, b);
    status = [...byTitle.values()];
  }

  const curves = learningCurvesOf(series, tables);
  if (curves.length > 0) learning = { source: line, curves };

  if (curves.length > 0) focus = 'learning';
  else if (regimeSeries.length > 0) focus = 'regime';
  else if (eq) focus = 'equity';
  else if (gatesBlocks.length > 0) focus = 'gates';
  else if (statusBlocks.length > 0) focus = 'risk';
  else focus = state.focus;

  const next: PaneState = { status, count: state.count + 1 };
  return { ...next, ...(gates ? { gates } : {}), ...(equity ? { equity } : {}), ...(regime ? { regime } : {}), ...(learning ? { learning } : {}), ...(focus ? { focus } : {}) };
}

/** The pane state after a whole list of executed lines, oldest first. */
export function paneState(executed: readonly ExecutedLike[]): PaneState {
  return executed.reduce(reducePanes, emptyPanes);
}
