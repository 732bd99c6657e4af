import { describe, expect, it } from 'vitest';
import { quantisedSplit } from '../../src/models/lib/quantise.js';

describe('quantisedSplit (largest remainder)', () => {
  it('splits 0.7/0.3 into 0.75/0.25 with step 0.25', () => {
    expect(quantisedSplit([0.07, 0.03], 1, 0.25)).toEqual([0.75, 0.25]);
  });
  it('sums exactly to the total and gives ties to the earlier name', () => {
    expect(quantisedSplit([1, 1, 1], 1, 0.25)).toEqual([0.5, 0.25, 0.25]);
    expect(quantisedSplit([1, 1], 1, 0.25)).toEqual([0.5, 0.5]);
  });
  it('ignores non-positive and NaN scores; all zero → all zero', () => {
    expect(quantisedSplit([0.2, -0.1, NaN], 1, 0.1)).toEqual([1, 0, 0]);
    expect(quantisedSplit([0, 0], 1, 0.25)).toEqual([0, 0]);
  });
});
