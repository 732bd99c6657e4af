import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { firstAtOrAfter, lastAtOrBefore } from '../../src/core/sorted.js';

describe('lastAtOrBefore', () => {
  it('finds the last index ≤ x, −1 before the first, ties to the last equal', () => {
    const a = Float64Array.from([1, 3, 3, 7]);
    expect([0, 1, 2, 3, 5, 7, 9].map((x) => lastAtOrBefore(a, x))).toEqual([-1, 0, 0, 2, 2, 3, 3]);
    expect(lastAtOrBefore([], 1)).toBe(-1);
  });
});

describe('firstAtOrAfter', () => {
  it('finds the first index ≥ x, the length past the last, ties to the first equal', () => {
    const a = Float64Array.from([1, 3, 3, 7]);
    expect([0, 1, 2, 3, 5, 7, 9].map((x) => firstAtOrAfter(a, x))).toEqual([0, 0, 1, 1, 3, 3, 4]);
    expect(firstAtOrAfter([], 1)).toBe(0);
  });

  it('equals the count of elements below x on any ascending array (the linear definition)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -20, max: 20 }), { maxLength: 40 }), fc.integer({ min: -25, max: 25 }), (values, x) => {
        const sorted = Float64Array.from(values).sort();
        expect(firstAtOrAfter(sorted, x)).toBe(sorted.filter((v) => v < x).length);
      }),
      { numRuns: 300 },
    );
  });
});
