/**
 * Rows of `width` numbers, kept in chunks of 1 024 rows (execution/fill-log.ts, order-log.ts). A chunk
 * of 10 numbers a row is 80 KB, under the allocator's 128 KB threshold, so the memory of an earlier
 * run's chunks is recycled; and growing never copies. The broker's logs used to double one array,
 * which wrote about twice their final size into fresh pages at every run: 5–6 % of a 1M-bar
 * event-engine run (docs/backtest-engine.md "Speed"; the fast path's ColumnLog does the same).
 */
const SHIFT = 10;
const ROWS = 1 << SHIFT;
const MASK = ROWS - 1;

export class RowChunks {
  /** Rows added. */
  rows = 0;
  private readonly chunks: Float64Array[] = [];

  constructor(readonly width: number) {}

  /** Append a row: returns its index (its cells are `chunk(i)[offset(i) + column]`, zero until written). */
  add(): number {
    const r = this.rows;
    if (r >> SHIFT === this.chunks.length) this.chunks.push(new Float64Array(ROWS * this.width));
    this.rows = r + 1;
    return r;
  }

  /** The chunk holding row r. */
  chunk(r: number): Float64Array {
    return this.chunks[r >> SHIFT]!;
  }

  /** Where row r starts in its chunk. */
  offset(r: number): number {
    return (r & MASK) * this.width;
  }

  /** Drop every row (the chunks are kept and rewritten). */
  clear(): void {
    this.rows = 0;
  }
}
