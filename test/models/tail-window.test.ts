/**
 * lib/tail-window.ts keeps each symbol's last n closes by moving them on one bar at a time: at every
 * call it must hold exactly the values of a fresh history view (the same numbers in the same
 * places, NaN included), whichever bars are skipped, however the calls of two symbols interleave,
 * when a run starts over in another context and when a context goes back (a restored snapshot).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TailWindows } from '../../src/models/lib/tail-window.js';
import { tailMean, tailRsi, tailStd } from '../../src/models/lib/window.js';
import type { ModelContext } from '../../src/models/types.js';

/** A context over fixed columns whose current bar per symbol the test sets (history/lag only). */
function fakeContext(columns: Record<string, Float64Array>) {
  const at: Record<string, number> = {};
  const ctx = {
    history: (sym: string, n: number) => columns[sym]!.subarray(Math.max(0, at[sym]! + 1 - n), at[sym]! + 1),
    lag: (sym: string, k: number) => (at[sym]! - k >= 0 ? columns[sym]![at[sym]! - k]! : NaN),
  } as unknown as ModelContext;
  return { ctx, at };
}

const sameValues = (a: Float64Array, b: Float64Array) => expect(Array.from(a)).toEqual(Array.from(b));
/** The window `update` brought up to date, as the n values before its `end`. */
function windowOf(windows: TailWindows, ctx: ModelContext, s: number, index: number): Float64Array {
  const end = windows.update(ctx, s, index);
  return windows.closes(s).subarray(end - windows.n, end);
}

describe('TailWindows', () => {
  it('holds the values of a history view at every call: skipped bars, two symbols, another run, going back', () => {
    const value = fc.oneof(fc.double({ noDefaultInfinity: true }), fc.constant(NaN), fc.constant(-0));
    const plan = fc.record({
      n: fc.integer({ min: 1, max: 6 }),
      a: fc.array(value, { minLength: 30, maxLength: 30 }),
      b: fc.array(value, { minLength: 30, maxLength: 30 }),
      // each call: which symbol, how far its bar moves (0: the same bar again, negative: back), new context?
      calls: fc.array(fc.record({ s: fc.integer({ min: 0, max: 1 }), move: fc.integer({ min: -4, max: 3 }), fresh: fc.boolean() }), { maxLength: 80 }),
    });
    fc.assert(
      fc.property(plan, ({ n, a, b, calls }) => {
        // another context runs over other data (another run: the same values one later)
        const runs = [0, 1].map((k) => ({ A: Float64Array.from(a, (v) => v + k), B: Float64Array.from(b, (v) => v + k) }));
        let run = 0;
        const windows = new TailWindows(['A', 'B'], n);
        let f = fakeContext(runs[run]!);
        const index = [n - 1, n - 1];
        for (const c of calls) {
          if (c.fresh && c.move < -2) {
            const at = f.at;
            run = 1 - run;
            f = fakeContext(runs[run]!);
            Object.assign(f.at, at);
          }
          const sym = c.s === 0 ? 'A' : 'B';
          index[c.s] = Math.min(29, Math.max(n - 1, index[c.s]! + c.move));
          f.at[sym] = index[c.s]!;
          f.at[c.s === 0 ? 'B' : 'A'] ??= n - 1;
          const end = windows.update(f.ctx, c.s, index[c.s]!);
          const view = f.ctx.history(sym, n);
          sameValues(windows.closes(c.s).subarray(end - n, end), view);
          // the window functions read before `end` as they read a view's tail
          const ring = windows.closes(c.s);
          expect([tailMean(ring, n, end), tailStd(ring, n, end), tailRsi(ring, n - 1, end)]).toEqual([tailMean(view, n), tailStd(view, n), tailRsi(view, n - 1)]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('moves on with one read of the newest close per bar', () => {
    const columns = { A: Float64Array.from({ length: 40 }, (_, i) => Math.sqrt(i)) };
    const { ctx, at } = fakeContext(columns);
    let views = 0;
    const counted = { ...ctx, history: (s: string, n: number) => (views++, ctx.history(s, n)), lag: ctx.lag } as unknown as ModelContext;
    const windows = new TailWindows(['A'], 5);
    for (let i = 4; i < 40; i++) {
      at['A'] = i;
      sameValues(windowOf(windows, counted, 0, i), ctx.history('A', 5));
    }
    expect(views).toBe(1);
  });
});
