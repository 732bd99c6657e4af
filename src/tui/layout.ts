/**
 * Screen geometry from the terminal size. Wide terminals get the TUI.md layout (log on the left,
 * gates / equity / risk stacked on the right); below WIDE_COLUMNS the side panes fold into a row
 * under the log; on very small screens the panes give way so the log and prompt stay usable.
 *
 * The frame is one line shorter than the terminal: Ink clears the whole screen on every frame
 * whose height reaches the terminal's (ink/build/ink.js, `lastOutputHeight >= rows`), which flickers.
 */

export const WIDE_COLUMNS = 100;
/** Header, prompt and the progress / hint line. */
export const CHROME_ROWS = 3;

export interface Rect {
  readonly width: number;
  readonly height: number;
}

export interface Layout {
  readonly columns: number;
  /** Rows the frame uses (terminal rows - 1). */
  readonly rows: number;
  readonly mode: 'wide' | 'folded' | 'log-only';
  readonly log: Rect;
  /** Pane rectangles (outer size, borders included); height 0 when hidden. */
  readonly gates: Rect;
  readonly equity: Rect;
  readonly risk: Rect;
}

const clamp = (v: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, v));
const hidden: Rect = { width: 0, height: 0 };

export function computeLayout(terminalColumns: number, terminalRows: number): Layout {
  const columns = Math.max(20, terminalColumns);
  const rows = Math.max(CHROME_ROWS + 3, terminalRows - 1);
  const body = rows - CHROME_ROWS;

  if (columns >= WIDE_COLUMNS && body >= 14) {
    const side = clamp(Math.round(columns * 0.4), 40, 64);
    const risk = 5;
    const equity = Math.floor((body - risk) / 2);
    return {
      columns,
      rows,
      mode: 'wide',
      log: { width: columns - side, height: body },
      gates: { width: side, height: body - risk - equity },
      equity: { width: side, height: equity },
      risk: { width: side, height: risk },
    };
  }

  const panes = clamp(Math.floor(body * 0.4), 7, 12);
  if (columns >= 60 && body - panes >= 6) {
    const left = Math.floor(columns / 2);
    const risk = 3;
    return {
      columns,
      rows,
      mode: 'folded',
      log: { width: columns, height: body - panes },
      gates: { width: left, height: panes },
      equity: { width: columns - left, height: panes - risk },
      risk: { width: columns - left, height: risk },
    };
  }

  return { columns, rows, mode: 'log-only', log: { width: columns, height: body }, gates: hidden, equity: hidden, risk: hidden };
}
