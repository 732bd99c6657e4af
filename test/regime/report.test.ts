import { describe, expect, it } from 'vitest';
import { thinRows } from '../../src/regime/report.js';

describe('thinRows', () => {
  it('keeps every row when short, else the last row of each bucket plus the final row', () => {
    expect(thinRows(0, 3, 5)).toEqual([0, 1, 2]);
    expect(thinRows(0, 10, 4)).toEqual([2, 5, 8, 9]);
    expect(thinRows(2, 6, 10)).toEqual([2, 3, 4, 5]);
    expect(thinRows(5, 5)).toEqual([]);
  });
});
