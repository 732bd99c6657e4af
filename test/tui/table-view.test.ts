/**
 * The table view's state: which table opens, how keys move the window and where they stop, and
 * the text the view shows (header kept, columns cut at the window).
 */
import { describe, expect, it } from 'vitest';
import { latestTables, moveView, openView, tableWidth, viewLines, type TableViewState } from '../../src/tui/table-view.js';
import { ok, table, text } from '../../src/core/result.js';
import type { LogEntry } from '../../src/tui/log-lines.js';

const narrow = table(['a', 'b'], [[1, 'x']], 'narrow');
// 'id' (2) + 2 + 'a_long_column_name' (18) + 2 + 'b' (3 for 'zzz'): 27 columns.
const wide = table(['id', 'a_long_column_name', 'b'], Array.from({ length: 10 }, (_, i) => [i + 1, `row${i + 1}`, 'zzz']), 'wide', 250);

describe('latestTables / openView', () => {
  it('finds the latest result with tables and the line that ran it; opens on the first table the log cut', () => {
    const entries: LogEntry[] = [
      { kind: 'command', line: 'first' },
      { kind: 'result', result: ok('first', [narrow, wide]), durationMs: 1 },
      { kind: 'command', line: 'note' },
      { kind: 'result', result: ok('note', [text('no tables')]), durationMs: 1 },
    ];
    const found = latestTables(entries)!;
    expect(found.source).toBe('first');
    expect(found.tables).toEqual([narrow, wide]);
    expect(tableWidth(wide)).toBe(27);
    expect(openView(found, 26).index).toBe(1);
    expect(openView(found, 27).index).toBe(0);
    expect(latestTables([{ kind: 'message', text: 'hi' }])).toBeUndefined();
  });
});

describe('moveView', () => {
  const start: TableViewState = { source: 'first', tables: [narrow, wide], index: 1, top: 0, left: 0 };
  const vp = { width: 10, rows: 4 };
  it('scrolls rows and columns and stops at the last row and column', () => {
    expect(moveView(start, 'down', vp).top).toBe(1);
    expect(moveView(start, 'up', vp).top).toBe(0);
    // a page is the window less one row, so one row stays in view
    expect(moveView(start, 'pageDown', vp).top).toBe(3);
    // 10 rows in a 4-row window: the last start row is 6
    expect(moveView(moveView(moveView(start, 'pageDown', vp), 'pageDown', vp), 'pageDown', vp).top).toBe(6);
    expect(moveView(start, 'end', vp).top).toBe(6);
    expect(moveView(start, 'right', vp).left).toBe(8);
    // 27 columns in a 10-column window: the last start column is 17
    expect(moveView(moveView(moveView(start, 'right', vp), 'right', vp), 'right', vp).left).toBe(17);
    const far = { ...start, top: 5, left: 8 };
    expect(moveView(far, 'home', vp)).toMatchObject({ top: 0, left: 0 });
  });
  it('Tab and Shift+Tab switch tables (wrapping) and start at the top left', () => {
    const moved = { ...start, top: 3, left: 8 };
    expect(moveView(moved, 'next', vp)).toMatchObject({ index: 0, top: 0, left: 0 });
    expect(moveView(moved, 'previous', vp)).toMatchObject({ index: 0, top: 0, left: 0 });
  });
});

describe('viewLines', () => {
  it('keeps the header and rule, shows the window, and says where it is', () => {
    const v = viewLines({ source: 'first', tables: [narrow, wide], index: 1, top: 2, left: 4 }, { width: 10, rows: 3 });
    expect(v.title).toBe('wide · 2/2 from first');
    expect(v.head).toEqual(['a_long_col', '──────────']);
    expect(v.rows).toEqual(['row3      ', 'row4      ', 'row5      ']);
    expect(v.position).toBe('rows 3–5 of 10 (250 in all) · columns 5–14 of 27');
  });
});
