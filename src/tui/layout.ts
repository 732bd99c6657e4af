/**
 * Screen geometry from the terminal size.
 *
 * - 'side': the log on the left and the panes in a column on the right (TUI.md). When the column
 *   is tall enough every pane is stacked (gates, equity, regime, risk); otherwise it is one
 *   tabbed pane showing one of them at a time.
 * - 'below': narrow terminals (80 columns) put one tabbed pane, full width, under a compact log,
 *   so a chart keeps at least MIN_CHART_ROWS plotted rows plus its date axis at 80×24.
 * - 'log-only': very small screens keep just the log and the prompt.
 *
 * The frame is one line shorter than the terminal: Ink clears the whole screen on every frame
 * whose height reaches the terminal's (ink/build/ink.js, `lastOutputHeight >= rows`), which flickers.
 */

export const WIDE_COLUMNS = 100;
/** Header, prompt and the progress / hint line. */
export const CHROME_ROWS = 3;
/** Plotted rows a chart gets at the least (its date axis and the drawdown line come on top). */
export const MIN_CHART_ROWS = 8;
/** Outer height of a pane holding a chart of MIN_CHART_ROWS: borders 2, axis 2, drawdown line 1. */
export const CHART_PANE_ROWS = MIN_CHART_ROWS + 5;

export type PaneId = 'equity' | 'regime' | 'gates' | 'risk' | 'learning';
/** The panes a side column stacks. */
export type StackedPaneId = Exclude<PaneId, 'learning'>;

/** The tab order of the four panes that are always there. */
export const PANE_IDS: readonly StackedPaneId[] = ['equity', 'regime', 'gates', 'risk'];
/**
 * The learning pane (a boosted-tree fit's learning curves: LearningPane.tsx) is a tab after
 * those once a fit has filled it; a stacked side column gives it the whole column.
 */
export const LEARNING_PANE: PaneId = 'learning';

export interface Rect {
  readonly width: number;
  readonly height: number;
}

export interface PlacedPane {
  readonly id: PaneId;
  readonly rect: Rect;
}

export interface Layout {
  readonly columns: number;
  /** Rows the frame uses (terminal rows - 1). */
  readonly rows: number;
  readonly mode: 'side' | 'below' | 'log-only';
  readonly log: Rect;
  /** Stacked panes, top to bottom (empty when tabbed or log-only). */
  readonly stacked: readonly PlacedPane[];
  /** The one tabbed pane's rectangle, when the panes take turns. */
  readonly tabbed?: Rect;
}

const clamp = (v: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, v));

/** Minimum heights of the stacked side column: gates, equity (a full chart), regime, risk. */
const RISK_ROWS = 4;
const MIN_STACK = { gates: 6, regime: 8 };

/** Heights of the stacked panes in a side column of `body` rows (equity takes what is left). */
function stackHeights(body: number): Record<StackedPaneId, number> {
  const regime = clamp(Math.floor(body * 0.25), MIN_STACK.regime, 12);
  const gates = clamp(Math.floor(body * 0.25), MIN_STACK.gates, 14);
  return { gates, regime, risk: RISK_ROWS, equity: body - regime - gates - RISK_ROWS };
}

export const minStackedBody = (): number => RISK_ROWS + MIN_STACK.gates + MIN_STACK.regime + CHART_PANE_ROWS;

export function computeLayout(terminalColumns: number, terminalRows: number): Layout {
  const columns = Math.max(20, terminalColumns);
  const rows = Math.max(CHROME_ROWS + 3, terminalRows - 1);
  const body = rows - CHROME_ROWS;
  const base = { columns, rows };

  if (columns >= WIDE_COLUMNS && body >= CHART_PANE_ROWS) {
    const side = clamp(Math.round(columns * 0.4), 40, 64);
    const log = { width: columns - side, height: body };
    if (body < minStackedBody()) return { ...base, mode: 'side', log, stacked: [], tabbed: { width: side, height: body } };
    const h = stackHeights(body);
    const order: readonly StackedPaneId[] = ['gates', 'equity', 'regime', 'risk'];
    return { ...base, mode: 'side', log, stacked: order.map((id) => ({ id, rect: { width: side, height: h[id] } })) };
  }

  // A compact log (at least 3 text lines) over one full-width tabbed pane of about half the body.
  const logRows = 5;
  if (columns >= 60 && body >= CHART_PANE_ROWS + logRows) {
    const pane = clamp(Math.floor(body / 2), CHART_PANE_ROWS, body - logRows);
    return { ...base, mode: 'below', log: { width: columns, height: body - pane }, stacked: [], tabbed: { width: columns, height: pane } };
  }

  return { ...base, mode: 'log-only', log: { width: columns, height: body }, stacked: [] };
}
