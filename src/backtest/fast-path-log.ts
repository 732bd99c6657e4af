/**
 * A columnar log for the fast path: `width` Float64Array columns (numbered 0 … width − 1) appended
 * one row at a time, no object per row. Rows live in chunks (64 rows, then twice as many per chunk up
 * to 2048; one buffer per chunk, under 128 KB so the allocator recycles it): growing never copies,
 * and a run allocates about what it logs.
 * Columns are numbered, not named: a chunk is a plain array of columns, so every log and chunk has
 * the same shape and optimised code that reads them stays valid from run to run. The fast path keeps
 * its orders, fills and cash/position events in these and turns them into records only when a
 * reader asks (fast-path-result.ts).
 */
const MAX_CHUNK = 2048;

/** Released chunks by size · 16 + width (width < 16), for the next logs (`release`). */
const spare = new Map<number, Float64Array[][]>();
const SPARE_CHUNKS = 64;

export class ColumnLog {
  length = 0;
  /** The chunk holding the last row added, and that row's position in it: write it as `cur[column][at]`. */
  cur: Float64Array[] = [];
  at = -1;
  private readonly chunks: Float64Array[][] = [];
  private room = 0;

  constructor(
    readonly width: number,
    private readonly first = 64,
  ) {}

  /**
   * Append a row and return its index; it is `cur[column][at]` until the next `add`. Its cells are
   * zero, or left from an earlier log when the chunk is a released one: write every column.
   */
  add(): number {
    if (this.room === 0) this.chunk(Math.min(MAX_CHUNK, Math.max(1, this.first) * 2 ** this.chunks.length));
    this.room--;
    this.at++;
    return this.length++;
  }

  /**
   * Row r's cell of column i, read in place (no copy). The walk over the chunks starts at the chunk
   * the last read found (and at the first chunk when r lies before it), so reading the rows in order
   * costs O(1) per cell: a 1M-bar run logs ~40 000 fills in ~25 chunks, and walking from the first
   * chunk at every read made replaying them several times slower than copying the columns.
   */
  cell(i: number, r: number): number {
    const chunks = this.chunks;
    let k = this.seekChunk;
    let c = this.seekStart;
    if (r < c || k >= chunks.length) {
      k = 0;
      c = 0;
    }
    for (; k < chunks.length; k++) {
      const a = chunks[k]![i]!;
      if (r < c + a.length) {
        this.seekChunk = k;
        this.seekStart = c;
        return a[r - c]!;
      }
      c += a.length;
    }
    return NaN;
  }
  /** Where `cell` found its last row: the chunk's index and its first row. */
  private seekChunk = 0;
  private seekStart = 0;

  /**
   * The chunks in row order, each `width` columns of one length (the rows after the earlier chunks'
   * rows; the last chunk may be written only in part: `length` rows in all). For a reader that walks
   * the rows in order in place, with no call per cell (a call that V8 does not inline returns its
   * number boxed). Read them, never write them.
   */
  get chunkList(): readonly (readonly Float64Array[])[] {
    return this.chunks;
  }

  /** True when some row of column i holds a value below x (read in place: no copy, no boxed number per row). */
  anyBelow(i: number, x: number): boolean {
    let left = this.length;
    for (const c of this.chunks) {
      const a = c[i]!;
      const m = Math.min(a.length, left);
      for (let r = 0; r < m; r++) if (a[r]! < x) return true;
      left -= m;
      if (left <= 0) break;
    }
    return false;
  }

  /** Column i's rows 0 … length − 1 as one array (a copy; written into `into`'s first rows when given). */
  column(i: number, into?: Float64Array): Float64Array {
    const out = into === undefined ? new Float64Array(this.length) : into.subarray(0, this.length);
    let o = 0;
    for (const c of this.chunks) {
      if (o >= this.length) break;
      const a = c[i]!;
      const m = Math.min(a.length, this.length - o);
      out.set(m === a.length ? a : a.subarray(0, m), o);
      o += m;
    }
    return out;
  }

  /**
   * Empty the log and hand its chunks to the next logs of this width (a sweep runs thousands of books
   * one after another, and fresh memory costs page faults; fast-path-log keeps at most SPARE_CHUNKS
   * per size).
   */
  release(): void {
    for (const c of this.chunks) {
      const key = c[0]!.length * 16 + this.width;
      const free = spare.get(key) ?? [];
      if (free.length < SPARE_CHUNKS) free.push(c);
      spare.set(key, free);
    }
    this.chunks.length = 0;
    this.seekChunk = 0;
    this.seekStart = 0;
    this.length = 0;
    this.cur = [];
    this.at = -1;
    this.room = 0;
  }

  private chunk(size: number): void {
    let c = spare.get(size * 16 + this.width)?.pop();
    if (!c) {
      const buf = new ArrayBuffer(size * 8 * this.width);
      c = [];
      for (let i = 0; i < this.width; i++) c.push(new Float64Array(buf, i * size * 8, size));
    }
    this.chunks.push(c);
    this.cur = c;
    this.at = -1;
    this.room = size;
  }
}
