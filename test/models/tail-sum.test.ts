/**
 * lib/tail-sum.ts answers `last > tailMean(g, n)` from a running sum with an error bound: checked
 * against the straightforward computation (the n values added in order, divided by n) at every bar
 * of random paths, with the calls skipping bars at random (gaps restart the sum), exact ties from
 * flat stretches and repeating decimals, and NaN values.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closeAboveTailMean, lastAboveTailMean, newTailSum } from '../../src/models/lib/tail-sum.js';
import type { ModelContext } from '../../src/models/types.js';

function reference(col: Float64Array, index: number, n: number): boolean {
  if (index + 1 < n) return false;
  let s = 0;
  for (let i = index + 1 - n; i <= index; i++) s += col[i]!;
  return col[index]! > s / n;
}

function walk(col: Float64Array, n: number, call: readonly boolean[]): { mismatches: number[]; fast: number } {
  const win = newTailSum();
  const mismatches: number[] = [];
  let fast = 0;
  for (let i = 0; i < col.length; i++) {
    if (!call[i % call.length]) continue;
    const g = col.subarray(Math.max(0, i - n), i + 1);
    const before = win.age;
    const got = lastAboveTailMean(win, g, i, n);
    if (win.age === before + 1) fast++;
    if (got !== reference(col, i, n)) mismatches.push(i);
  }
  return { mismatches, fast };
}

describe('lastAboveTailMean', () => {
  it('equals last > tailMean at every bar (random walks, flat stretches, decimal steps, gaps)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 2, max: 60 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 20 }).map((a) => [true, ...a]),
        fc.constantFrom('walk', 'ties', 'decimals'),
        (seed, n, call, kind) => {
          let x = seed || 1;
          const rand = (): number => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
          const col = new Float64Array(800);
          let p = 100;
          for (let i = 0; i < col.length; i++) {
            if (kind === 'walk') p *= Math.exp(0.02 * (rand() - 0.5));
            else if (kind === 'ties') p = rand() < 0.7 ? p : 100 + Math.floor(rand() * 3);
            else p = Math.max(0.1, p + (Math.floor(rand() * 3) - 1) * 0.1);
            col[i] = p;
          }
          expect(walk(col, n, call).mismatches).toEqual([]);
        },
      ),
      { seed: 3, numRuns: 300 },
    );
  });

  it('takes the running sum on consecutive bars, and is exact at a tie the running sum alone would get wrong', () => {
    const n = 1200;
    const col = new Float64Array(20_000);
    for (let i = 0; i < col.length; i++) col[i] = 0.1 * (1 + (i % 7)) + 100;
    const always = walk(col, n, [true]);
    expect(always.mismatches).toEqual([]);
    expect(always.fast).toBeGreaterThan(col.length * 0.9);
    // a flat column: last equals the mean exactly (not above), however the running sum drifted
    const flat = new Float64Array(5000).fill(0.3);
    expect(walk(flat, 300, [true]).mismatches).toEqual([]);
  });

  it('NaN in the window answers false, as tailMean does, and recovers once it has left', () => {
    const col = Float64Array.from({ length: 200 }, (_, i) => 50 + Math.sin(i / 5));
    col[80] = NaN;
    const r = walk(col, 10, [true]);
    expect(r.mismatches).toEqual([]);
  });
});

describe('closeAboveTailMean', () => {
  it('answers and carries its sum as lastAboveTailMean over the history view does, at every call', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ min: 0.01, max: 200, noNaN: true }), fc.constant(NaN), fc.constant(0), fc.constant(100)), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 12 }),
        (values, n, call) => {
          const col = Float64Array.from(values);
          let at = -1;
          const views = { count: 0 };
          const ctx = {
            lag: (_: string, k: number) => (at - k >= 0 && k >= 0 ? col[at - k]! : NaN),
            history: (_: string, m: number) => (views.count++, col.subarray(Math.max(0, at + 1 - m), at + 1)),
          } as unknown as ModelContext;
          const viaView = newTailSum();
          const viaLag = newTailSum();
          for (at = 0; at < col.length; at++) {
            if (!call[at % call.length]) continue;
            const want = lastAboveTailMean(viaView, col.subarray(Math.max(0, at - n), at + 1), at, n);
            expect(closeAboveTailMean(viaLag, ctx, 'X', at, n)).toBe(want);
            expect(viaLag).toEqual(viaView);
          }
        },
      ),
      { seed: 5, numRuns: 300 },
    );
  });

  it('takes no view on consecutive bars the running sum answers', () => {
    const col = Float64Array.from({ length: 3000 }, (_, i) => 100 + 10 * Math.sin(i / 40));
    let at = 0;
    let views = 0;
    const ctx = {
      lag: (_: string, k: number) => (at - k >= 0 ? col[at - k]! : NaN),
      history: (_: string, m: number) => (views++, col.subarray(Math.max(0, at + 1 - m), at + 1)),
    } as unknown as ModelContext;
    const win = newTailSum();
    for (at = 0; at < col.length; at++) closeAboveTailMean(win, ctx, 'X', at, 200);
    expect(views).toBeLessThan(100);
  });
});
