/**
 * The shared moving averages give sma_cross's side bit for bit: `sharedSide` equals `crossSide`
 * (itself checked against the model's `decide`) on random walks, on prices with exact ties (flat
 * stretches and a repeating pattern), across block boundaries, long and short; and the averages
 * are computed once per period (the same array serves every combo), also when filled a block at a
 * time, two periods at a time or four at a time in WebAssembly.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import { crossSide } from '../../src/models/sma-cross.js';
import { CROSS_BLOCK as BLOCK } from '../../src/models/sma-cross.js';
import { MeanCursor, sharedMean, sharedSide, sharesColumn } from '../../src/optimize/shared-sma.js';
import { loadCloses, meanRows } from '../../src/optimize/sweep-scan.js';

function walk(n: number, seed: number): Float64Array {
  const rng = createRng(seed, 'shared-sma');
  const c = new Float64Array(n);
  let p = 100;
  for (let i = 0; i < n; i++) c[i] = p = p * Math.exp(0.001 * rng.normal());
  return c;
}

/** Exact ties: flat stretches and a period-4 pattern whose 4k-bar means are equal. */
function ties(n: number): Float64Array {
  const c = new Float64Array(n);
  for (let i = 0; i < n; i++) c[i] = i % 700 < 300 ? 50 : [10, 11, 12, 13][i % 4]! + (i % 1500 < 200 ? 0.1 : 0);
  return c;
}

const same = (a: Float64Array, b: Float64Array): void => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) expect({ i, shared: a[i], cross: b[i] }).toEqual({ i, shared: b[i], cross: b[i] });
};

describe('sharedSide equals crossSide', () => {
  const combos: [number, number][] = [[1, 2], [4, 8], [5, 20], [10, 30], [12, 200], [50, 1100]];
  it.each([
    ['random walk', walk(5000, 1)],
    ['another walk', walk(4100, 2)],
    ['exact ties', ties(6000)],
  ])('%s', (_name, close) => {
    expect(sharesColumn(close)).toBe(true);
    for (const [f, s] of combos) {
      same(sharedSide(close, f, s, false), crossSide(close, f, s, false));
      same(sharedSide(close, f, s, true), crossSide(close, f, s, true));
    }
  });

  it('computes the average of a period once for every combo using it', () => {
    const close = walk(3000, 3);
    const a = sharedMean(close, 20);
    sharedSide(close, 5, 20, false);
    sharedSide(close, 10, 20, false);
    expect(sharedMean(close, 20)).toBe(a);
  });

  it('gives the same averages filled in pieces, from any bar (a sweep batch fills one block at a time)', () => {
    const close = walk(5000, 5);
    const rng = createRng(6, 'mean-cursor');
    for (const p of [1, 7, 60, 1023, 1024, 1500]) {
      const whole = sharedMean(close, p);
      const cursor = new MeanCursor(close, p);
      const pieces = new Float64Array(close.length).fill(-1);
      // pieces in order, then a jump back and forward (a seek), then on to the end
      const cuts = [0, 1, 1023, 1024, 2047, 3000, 3001];
      for (let i = 0; i + 1 < cuts.length; i++) cursor.fill(cuts[i]!, cuts[i + 1]!, pieces, cuts[i]!);
      const from = Math.floor(rng.uniform() * 2500);
      cursor.fill(from, from + 700, pieces, from);
      cursor.fill(3001, close.length, pieces, 3001);
      same(pieces, whole);
      // written at an offset into a smaller buffer
      const block = new Float64Array(300);
      new MeanCursor(close, p).fill(4100, 4400, block, 0);
      same(block, whole.subarray(4100, 4400));
    }
  });

  it('gives the same averages filled two periods at a time (fillPair), in pieces, from any bar', () => {
    const close = walk(5000, 7);
    const rng = createRng(8, 'mean-cursor-pair');
    const periods = [1, 2, 7, 60, 240, 1023, 1024, 1500];
    for (const p of periods) {
      for (const q of periods) {
        const a = new MeanCursor(close, p);
        const b = new MeanCursor(close, q);
        // both rows in one buffer, as a batch's block buffer holds them
        const out = new Float64Array(2 * close.length).fill(-1);
        const cuts = [0, 1, 100, 1023, 1024, 1500, 2047, 2048, 3000, 3001];
        for (let i = 0; i + 1 < cuts.length; i++) a.fillPair(b, cuts[i]!, cuts[i + 1]!, out, cuts[i]!, close.length + cuts[i]!);
        // a jump back (each cursor seeks), then on to the end
        const from = Math.floor(rng.uniform() * 2500);
        a.fillPair(b, from, from + 700, out, from, close.length + from);
        a.fillPair(b, from + 700, close.length, out, from + 700, close.length + from + 700);
        same(out.subarray(0, close.length), sharedMean(close, p));
        same(out.subarray(close.length), sharedMean(close, q));
      }
    }
  });

  it('gives the same averages filled four periods at a time in WebAssembly (fillFour), block by block as a sweep batch fills them', () => {
    const close = walk(5000, 9);
    const periodSets = [[1, 2, 7, 60], [240, 5, 1023, 1024], [1500, 60, 13, 1100], [4, 4, 4, 4]];
    for (const periods of periodSets) {
      for (const start of [0, 37, 1500]) {
        const cursors = periods.map((p) => new MeanCursor(close, p));
        const got = periods.map(() => new Float64Array(close.length).fill(-1));
        const means = meanRows(4, Math.max(...periods));
        for (let b0 = start; b0 < close.length; ) {
          const b1 = Math.min(close.length, b0 - (b0 % BLOCK) + BLOCK);
          const at = b0 % BLOCK;
          loadCloses(close, b0, b1);
          means.fill(-2);
          MeanCursor.fillFour(cursors, b0, b1, means, periods.map((_, i) => i * BLOCK + at));
          periods.forEach((_, i) => got[i]!.set(means.subarray(i * BLOCK + at, i * BLOCK + at + b1 - b0), b0));
          b0 = b1;
        }
        periods.forEach((p, i) => same(got[i]!.subarray(start), sharedMean(close, p).subarray(start)));
      }
    }
  });

  it('does not share a column with a non-positive close', () => {
    const close = walk(100, 4);
    close[50] = 0;
    expect(sharesColumn(close)).toBe(false);
  });
});
