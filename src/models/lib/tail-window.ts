/**
 * The last `n` closes of each symbol of a model, oldest first, kept between calls so that a model
 * reads one new close a bar instead of taking a fresh history view per decision (those views were
 * most of the garbage of a probed portfolio report; docs/models.md, speed). The window functions
 * (window.ts, with their `end`) then see the same values in the same order as in
 * `ctx.history(symbol, n)`, so they give the same answers.
 *
 * Each symbol's closes sit in a ring of n slots written twice, at `slot` and `slot + n` of one array
 * of 2n, so the window is always the n values before `end` = newest slot + n + 1 (no shifting).
 * A window moves on only when the symbol's bar follows the one it holds (index + 1) in the same run
 * (the same context object); any other bar — the first, one after skipped bars, another run, a
 * restored snapshot — refills it from `ctx.history`. Only closes up to the current bar are read.
 */
import type { ModelContext } from '../types.js';

export class TailWindows {
  private readonly rings: Float64Array[];
  /** Bar index of the newest close held, per symbol (−2: none). */
  private readonly through: Int32Array;
  /** Ring slot of the newest close, per symbol. */
  private readonly newest: Int32Array;
  private owner: ModelContext | null = null;

  constructor(
    private readonly symbols: readonly string[],
    readonly n: number,
  ) {
    this.rings = symbols.map(() => new Float64Array(2 * n));
    this.through = new Int32Array(symbols.length).fill(-2);
    this.newest = new Int32Array(symbols.length);
  }

  /**
   * Brings the window of `symbols[s]` to its current bar, `index` (which must be ≥ n − 1: n closes
   * exist), and returns `end`: the window is `closes(s)` before `end`.
   */
  update(ctx: ModelContext, s: number, index: number): number {
    if (this.owner !== ctx) {
      this.owner = ctx;
      this.through.fill(-2);
    }
    const ring = this.rings[s]!;
    const n = this.n;
    const held = this.through[s]!;
    if (index === held + 1) {
      const slot = this.newest[s]! + 1 === n ? 0 : this.newest[s]! + 1;
      ring[slot] = ring[slot + n] = ctx.lag(this.symbols[s]!, 0);
      this.newest[s] = slot;
    } else if (index !== held) {
      const view = ctx.history(this.symbols[s]!, n);
      for (let j = 0; j < n; j++) ring[j] = ring[j + n] = view[j]!;
      this.newest[s] = n - 1;
    }
    this.through[s] = index;
    return this.newest[s]! + n + 1;
  }

  /** The array holding the window of `symbols[s]` (read before `end` from `update`). */
  closes(s: number): Float64Array {
    return this.rings[s]!;
  }
}
