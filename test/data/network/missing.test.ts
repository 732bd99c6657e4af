/** Which part of a requested window the lake lacks (contiguous coverage kept contiguous). */
import { describe, expect, it } from 'vitest';
import { missingRanges } from '../../../src/data/network/missing.js';

const S = 15; // a 15-unit step, like 15m bars

describe('missingRanges', () => {
  it('asks for everything when the lake has nothing', () => {
    expect(missingRanges({ from: 0, to: 100 }, undefined, S)).toEqual([{ from: 0, to: 100, side: 'all' }]);
  });
  it('asks for nothing when the window is inside the coverage', () => {
    expect(missingRanges({ from: 30, to: 61 }, { from: 0, to: 60 }, S)).toEqual([]);
  });
  it('asks for the tail from the row after the last one held', () => {
    expect(missingRanges({ from: 0, to: 150 }, { from: 0, to: 60 }, S)).toEqual([{ from: 75, to: 150, side: 'tail' }]);
  });
  it('asks for the head up to the first row held', () => {
    expect(missingRanges({ from: 0, to: 60 }, { from: 45, to: 90 }, S)).toEqual([{ from: 0, to: 45, side: 'head' }]);
  });
  it('asks for both ends around the coverage', () => {
    expect(missingRanges({ from: 0, to: 300 }, { from: 90, to: 150 }, S)).toEqual([
      { from: 0, to: 90, side: 'head' },
      { from: 165, to: 300, side: 'tail' },
    ]);
  });
  it('fills the gap when the window starts after the coverage ends (coverage stays contiguous)', () => {
    expect(missingRanges({ from: 300, to: 400 }, { from: 0, to: 60 }, S)).toEqual([{ from: 75, to: 400, side: 'tail' }]);
  });
  it('fills the gap when the window ends before the coverage starts', () => {
    expect(missingRanges({ from: 0, to: 30 }, { from: 90, to: 150 }, S)).toEqual([{ from: 0, to: 90, side: 'head' }]);
  });
  it('returns nothing for an empty window, and uses a 1 ms step by default', () => {
    expect(missingRanges({ from: 10, to: 10 }, undefined)).toEqual([]);
    expect(missingRanges({ from: 0, to: 100 }, { from: 0, to: 60 })).toEqual([{ from: 61, to: 100, side: 'tail' }]);
  });
});
