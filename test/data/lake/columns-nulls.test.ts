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

describe('queryTable: long results (chunks released while walking)', () => {
  it('reads 300 000 rows (147 chunks, past several release points) with every value and NULL in place', async () => {
    const n = 300_000;
    // Release points fall after chunks 16, 32, …: put NULLs in the rows around them and a text column beside.
    const t = await withDuck((conn) =>
      queryTable(
        conn,
        `SELECT i * 0.25 AS x, CASE WHEN i % 32768 IN (32767, 32768 % 32768) OR i % 997 = 5 THEN NULL ELSE -i END AS y, ` +
          `CAST(i % 7 AS VARCHAR) AS s FROM range(${n}) r(i) ORDER BY i`,
      ),
    );
    expect(t.length).toBe(n);
    const x = t.columns['x'] as Float64Array;
    const y = t.columns['y'] as Float64Array;
    const s = t.columns['s'] as string[];
    let bad = 0;
    for (let i = 0; i < n; i++) {
      const yNull = i % 32768 === 32767 || i % 32768 === 0 || i % 997 === 5;
      if (x[i] !== i * 0.25) bad++;
      if (yNull ? !Number.isNaN(y[i]!) : y[i] !== -i) bad++;
      if (s[i] !== String(i % 7)) bad++;
    }
    expect(bad).toBe(0);
  });
});
