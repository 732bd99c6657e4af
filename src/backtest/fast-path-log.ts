/**
 * A columnar log for the fast path: named Float64Array columns appended one row at a time, no
 * object per row. Rows live in chunks (64 rows, then twice as many per chunk up to 4096): growing
 * never copies, and a run allocates about what it logs. The fast path keeps its orders, fills and
 * cash/position events in these and turns them into records only when a reader asks
 * (fast-path-result.ts).
 */
const MAX_CHUNK = 4096;

export class ColumnLog<K extends string> {
  length = 0;
  /** The chunk holding the last row added, and that row's position in it: write it as `cur[k][at]`. */
  cur: Record<K, Float64Array>;
  at = -1;
  private readonly chunks: Record<K, Float64Array>[] = [];
  private room = 0;

  constructor(
    private readonly names: readonly K[],
    private readonly first = 64,
  ) {
    this.cur = this.chunk(0);
  }

  /** Append a row (zeros) and return its index; it is `cur[k][at]` until the next `add`. */
  add(): number {
    if (this.room === 0) {
      this.cur = this.chunk(Math.min(MAX_CHUNK, Math.max(1, this.first) * 2 ** this.chunks.length));
      this.at = -1;
    }
    this.room--;
    this.at++;
    return this.length++;
  }

  /** A column's rows 0 … length − 1 as one array (a copy). */
  column(k: K): Float64Array {
    const out = new Float64Array(this.length);
    let o = 0;
    for (const c of this.chunks) {
      if (o >= this.length) break;
      const a = c[k];
      const m = Math.min(a.length, this.length - o);
      out.set(m === a.length ? a : a.subarray(0, m), o);
      o += m;
    }
    return out;
  }

  private chunk(size: number): Record<K, Float64Array> {
    const c = {} as Record<K, Float64Array>;
    for (const k of this.names) c[k] = new Float64Array(size);
    if (size > 0) this.chunks.push(c);
    this.room = size;
    return c;
  }
}
