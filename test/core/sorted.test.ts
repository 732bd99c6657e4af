import { describe, expect, it } from 'vitest';
import { lastAtOrBefore } from '../../src/core/sorted.js';

describe('lastAtOrBefore', () => {
  it('finds the last index ≤ x, −1 before the first, ties to the last equal', () => {
    const a = Float64Array.from([1, 3, 3, 7]);
    expect([0, 1, 2, 3, 5, 7, 9].map((x) => lastAtOrBefore(a, x))).toEqual([-1, 0, 0, 2, 2, 3, 3]);
    expect(lastAtOrBefore([], 1)).toBe(-1);
  });
});
