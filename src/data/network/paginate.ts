/**
 * Forward pagination by time cursor, the way ccxt's `since`/`limit` work: ask for rows from
 * `cursor`, keep those inside the window, move the cursor past the last row seen, repeat until
 * the window is covered. An empty page ends the download ('stop': the source has nothing newer)
 * or, for sources with holes in their history ('skip'), moves the cursor on by `skipMs`.
 */
import { throwIfAborted } from '../../core/errors.js';
import { ColumnBuilder, emitPage } from './columns.js';
import type { FetchStats, FetchWindow, NetworkDeps, PageSink } from './types.js';

export interface CursorPaging {
  readonly window: FetchWindow;
  readonly columns: readonly string[];
  /** Smallest step between two rows' timestamps: the cursor moves to last + step. */
  readonly stepMs: number;
  /** One page of rows from `since` (rows are [ts, ...values] in `columns` order). Retries inside. */
  fetchPage(since: number): Promise<readonly (readonly number[])[]>;
  readonly onEmpty: 'stop' | 'skip';
  /** How far an empty page moves the cursor in 'skip' mode. */
  readonly skipMs?: number;
  readonly stats: FetchStats;
  readonly deps: NetworkDeps;
  readonly label: string;
}

export async function paginateSince(p: CursorPaging, sink: PageSink): Promise<void> {
  const { window, stats, deps } = p;
  let cursor = window.from;
  const span = Math.max(1, window.to - window.from);
  while (cursor < window.to) {
    throwIfAborted(deps.signal);
    const rows = await p.fetchPage(cursor);
    if (rows.length === 0) {
      if (p.onEmpty === 'stop' || !p.skipMs) break;
      cursor += p.skipMs;
      continue;
    }
    const page = new ColumnBuilder(p.columns);
    let last = Number.NEGATIVE_INFINITY;
    for (const r of rows) {
      const ts = r[0]!;
      if (ts > last) last = ts;
      if (ts >= cursor && ts < window.to) page.push(r);
    }
    await emitPage(page, stats, sink);
    // A page that does not move forward would loop for ever: the source ignored `since`.
    if (!(last >= cursor)) break;
    cursor = last + p.stepMs;
    deps.progress?.(p.label, Math.min(1, (cursor - window.from) / span));
  }
}
