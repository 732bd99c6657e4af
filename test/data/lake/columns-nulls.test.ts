import { describe, expect, it } from 'vitest';
import { withDuck } from '../../../src/data/lake/duck.js';
import { queryTable } from '../../../src/data/lake/columns.js';

describe('queryTable: NULL → NaN through the validity mask', () => {
  it('marks exactly the NULL rows, in sparse and dense runs, across validity bytes and 2048-row chunks', async () => {
    const n = 5000;
    // NULL where i % 13 = 0 (sparse), for a whole run 2040..2060 (across the first chunk boundary),
    // and for every row of 4096..4103 (one whole validity byte).
    const isNull = (i: number): boolean => i % 13 === 0 || (i >= 2040 && i <= 2060) || (i >= 4096 && i <= 4103);
    const t = await withDuck((conn) =>
      queryTable(
        conn,
        `SELECT CASE WHEN i % 13 = 0 OR i BETWEEN 2040 AND 2060 OR i BETWEEN 4096 AND 4103 THEN NULL ELSE i * 0.5 END AS x FROM range(${n}) r(i) ORDER BY i`,
      ),
    );
    const x = t.columns['x'] as Float64Array;
    expect(x.length).toBe(n);
    for (let i = 0; i < n; i++) {
      if (isNull(i)) expect(Number.isNaN(x[i]!)).toBe(true);
      else expect(x[i]).toBe(i * 0.5);
    }
  });
});
