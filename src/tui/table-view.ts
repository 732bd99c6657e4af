/**
 * The full-width table view (pure state; TableView.tsx draws it). The log pane cuts table rows
 * at its width; Ctrl+T opens the tables of the latest result that has any, full width, with the
 * header kept on top while the rows scroll: ↑↓ a row, PgUp/PgDn a page, ←→ eight columns,
 * Home/End the first / last row (Home also back to the first column), Tab / Shift+Tab the next /
 * previous table, Esc (or q) back to the panes.
 */
import type { CommandResult, TableBlock } from '../core/result.js';
import { displayWidth, layoutTable } from '../shell/format.js';
import type { LogEntry } from './log-lines.js';

/** Columns ← and → move. */
export const SIDE_STEP = 8;
/** Cell widths in the view: long enough that nothing but free text is ever cut. */
const MAX_CELL = 200;
const MAX_LAST = 400;

export interface TableViewState {
  /** The command line the tables came from. */
  readonly source: string;
  readonly tables: readonly TableBlock[];
  /** Which table is shown. */
  readonly index: number;
  /** First body row shown (0 = the first data row). */
  readonly top: number;
  /** First text column shown. */
  readonly left: number;
}

/** Inner size the rows scroll in: the view minus borders, the sticky header and rule, and the footer. */
export interface Viewport {
  readonly width: number;
  readonly rows: number;
}

/** The view's viewport for a view of `width` × `height` (outer size). */
export const viewportOf = (width: number, height: number): Viewport => ({ width: Math.max(1, width - 2), rows: Math.max(1, height - 5) });

export type TableViewKey = 'up' | 'down' | 'left' | 'right' | 'pageUp' | 'pageDown' | 'home' | 'end' | 'next' | 'previous';

/** A table's text at its natural width: header, rule, then one line per row. */
export function tableText(t: TableBlock): string[] {
  return layoutTable(t.columns, t.rows, MAX_CELL, MAX_LAST);
}

/** The widest line of a table at its natural width. */
export const tableWidth = (t: TableBlock): number => Math.max(0, ...tableText(t).map(displayWidth));

/** The latest result's tables in the log (undefined when no result has one). */
export function latestTables(entries: readonly LogEntry[]): { source: string; tables: TableBlock[] } | undefined {
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i]!;
    if (e.kind !== 'result') continue;
    const tables = tablesOf(e.result);
    if (tables.length === 0) continue;
    const command = entries.slice(0, i).reverse().find((c) => c.kind === 'command');
    return { source: command?.kind === 'command' ? command.line : e.result.title, tables };
  }
  return undefined;
}

const tablesOf = (r: CommandResult): TableBlock[] => r.blocks.filter((b): b is TableBlock => b.kind === 'table');

/** Open on the first table wider than `logWidth` (the one the log cut), else the first. */
export function openView(found: { source: string; tables: readonly TableBlock[] }, logWidth: number): TableViewState {
  const wide = found.tables.findIndex((t) => tableWidth(t) > logWidth);
  return { source: found.source, tables: found.tables, index: Math.max(0, wide), top: 0, left: 0 };
}

const clamp = (v: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, v));

/** The state after a key, clamped so the view never scrolls past the table's last row or column. */
export function moveView(s: TableViewState, key: TableViewKey, vp: Viewport): TableViewState {
  if (key === 'next' || key === 'previous') {
    const n = s.tables.length;
    return { ...s, index: (s.index + (key === 'next' ? 1 : n - 1)) % n, top: 0, left: 0 };
  }
  const table = s.tables[s.index]!;
  const maxTop = Math.max(0, table.rows.length - vp.rows);
  const maxLeft = Math.max(0, tableWidth(table) - vp.width);
  const page = Math.max(1, vp.rows - 1);
  const moves: Record<Exclude<TableViewKey, 'next' | 'previous'>, [number, number]> = {
    up: [s.top - 1, s.left],
    down: [s.top + 1, s.left],
    pageUp: [s.top - page, s.left],
    pageDown: [s.top + page, s.left],
    left: [s.top, s.left - SIDE_STEP],
    right: [s.top, s.left + SIDE_STEP],
    home: [0, 0],
    end: [maxTop, s.left],
  };
  const [top, left] = moves[key];
  return { ...s, top: clamp(top, 0, maxTop), left: clamp(left, 0, maxLeft) };
}

/** Cut a line to the columns [left, left + width). */
const window = (line: string, left: number, width: number): string => [...line].slice(left, left + width).join('');

/** What the view shows: the title, the header and rule, the visible rows, and where they are. */
export function viewLines(s: TableViewState, vp: Viewport): { title: string; head: string[]; rows: string[]; position: string } {
  const table = s.tables[s.index]!;
  const text = tableText(table);
  const body = text.slice(2);
  const shown = body.slice(s.top, s.top + vp.rows);
  const width = tableWidth(table);
  const rowsPart = body.length === 0 ? 'no rows' : `rows ${s.top + 1}–${s.top + shown.length} of ${body.length}`;
  const more = table.totalRows !== undefined && table.totalRows > table.rows.length ? ` (${table.totalRows} in all)` : '';
  const colsPart = width > vp.width ? ` · columns ${s.left + 1}–${Math.min(width, s.left + vp.width)} of ${width}` : '';
  return {
    title: `${table.title ?? 'table'} · ${s.index + 1}/${s.tables.length} from ${s.source}`,
    head: text.slice(0, 2).map((l) => window(l, s.left, vp.width)),
    rows: shown.map((l) => window(l, s.left, vp.width)),
    position: `${rowsPart}${more}${colsPart}`,
  };
}

/** The key help at the bottom of the view. */
export const VIEW_KEYS = '↑↓ PgUp/PgDn Home/End rows · ←→ columns · Tab next table · Esc back';
