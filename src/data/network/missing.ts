/**
 * Which part of a requested window the lake lacks. The lake's coverage of a partition is one
 * contiguous span [from, to] (first and last row held), and we keep it contiguous: a request that
 * starts after the span's end is fetched from the span's end (filling the gap between), and one
 * that ends before the span's start is fetched up to the span's start. Holes inside the span are
 * not detected here; the audit in `clean` reports them.
 */
import type { FetchWindow } from './types.js';

export interface MissingRange extends FetchWindow {
  /** 'head' ranges end where the lake begins; 'tail' ranges start after the lake ends. */
  readonly side: 'head' | 'tail' | 'all';
}

/**
 * Ranges of `want` (row ts in [from, to)) not covered by `have` (rows with ts in [from, to]),
 * in time order. Empty when the lake already covers the window. `stepMs` is the spacing of rows
 * (the bar interval; 1 ms for irregular events), so a tail starts exactly at the next row's time.
 */
export function missingRanges(want: FetchWindow, have: { from: number; to: number } | undefined, stepMs = 1): MissingRange[] {
  if (!(want.from < want.to)) return [];
  if (!have) return [{ from: want.from, to: want.to, side: 'all' }];
  const out: MissingRange[] = [];
  if (want.from < have.from) out.push({ from: want.from, to: have.from, side: 'head' });
  const tailFrom = have.to + stepMs;
  if (want.to > tailFrom) out.push({ from: tailFrom, to: want.to, side: 'tail' });
  return out;
}
