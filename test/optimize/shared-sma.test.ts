/**
 * The shared moving averages give sma_cross's side bit for bit: `sharedSide` equals `crossSide`
 * (itself checked against the model's `decide`) on random walks, on prices with exact ties (flat
 * stretches and a repeating pattern), across block boundaries, long and short; and the averages
 * are computed once per period (the same array serves every combo).
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import { crossSide } from '../../src/models/sma-cross.js';
import { sharedMean, sharedSide, sharesColumn } from '../../src/optimize/shared-sma.js';

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

  it('does not share a column with a non-positive close', () => {
    const close = walk(100, 4);
    close[50] = 0;
    expect(sharesColumn(close)).toBe(false);
  });
});
