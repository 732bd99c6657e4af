import { describe, it, expect } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeParquet, readParquet } from '../../../src/data/lake/parquet.js';
import { withDuck, sqlString } from '../../../src/data/lake/duck.js';
import { queryTable } from '../../../src/data/lake/columns.js';
import type { ColumnTable } from '../../../src/core/table.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'edgelab-parquet-'));

describe('parquet round trip', () => {
  it('keeps Float64 values (NaN, -0, huge, fractional ms) and strings exactly, across chunk boundaries', async () => {
    const n = 5000; // more than two 2048-row chunks
    const ts = new Float64Array(n);
    const x = new Float64Array(n);
    const s: string[] = [];
    for (let i = 0; i < n; i++) {
      ts[i] = 1_600_000_000_000 + i * 60_000;
      x[i] = i % 7 === 0 ? NaN : Math.sin(i) * 1e6;
      s.push(i % 3 === 0 ? '' : `sym-${i}'"`);
    }
    x[1] = -0;
    x[2] = Number.MAX_VALUE;
    x[3] = 1e-300;
    const table: ColumnTable = { length: n, columns: { ts, x, s } };
    const dir = tmp();
    try {
      const p = join(dir, 'a', 'b', 't.parquet');
      await writeParquet(table, p);
      expect(existsSync(`${p}.partial`)).toBe(false);
      const back = await readParquet(p);
      expect(back.length).toBe(n);
      expect(Object.keys(back.columns)).toEqual(['ts', 'x', 's']);
      expect(Array.from(back.columns['ts'] as Float64Array)).toEqual(Array.from(ts));
      const bx = back.columns['x'] as Float64Array;
      for (let i = 0; i < n; i++) expect(Object.is(bx[i], x[i]) || (Number.isNaN(bx[i]!) && Number.isNaN(x[i]!))).toBe(true);
      expect(back.columns['s']).toEqual(s);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes and reads an empty table with its columns', async () => {
    const dir = tmp();
    try {
      const p = join(dir, 'empty.parquet');
      await writeParquet({ length: 0, columns: { ts: new Float64Array(0), name: [] } }, p);
      const back = await readParquet(p);
      expect(back.length).toBe(0);
      expect(Object.keys(back.columns)).toEqual(['ts', 'name']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a file that is not Parquet, naming it', async () => {
    const dir = tmp();
    try {
      const p = join(dir, 'not.parquet');
      writeFileSync(p, 'hello, world\n');
      await expect(readParquet(p)).rejects.toThrow(/not\.parquet.*cannot read as Parquet/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('queryTable type rules', () => {
  it('casts integers, booleans and timestamps to Float64 (epoch ms) and NULL to NaN', async () => {
    const t = await withDuck((conn) =>
      queryTable(
        conn,
        `SELECT * FROM (VALUES (1::BIGINT, TRUE, TIMESTAMP '2024-01-02 03:04:05.678', NULL::DOUBLE, 'a'), (2, FALSE, TIMESTAMP '1970-01-01', 1.5, NULL)) v(i, b, t, d, s)`,
      ),
    );
    expect(Array.from(t.columns['i'] as Float64Array)).toEqual([1, 2]);
    expect(Array.from(t.columns['b'] as Float64Array)).toEqual([1, 0]);
    expect(Array.from(t.columns['t'] as Float64Array)).toEqual([Date.UTC(2024, 0, 2, 3, 4, 5, 678), 0]);
    expect(Array.from(t.columns['d'] as Float64Array)).toEqual([NaN, 1.5]);
    expect(t.columns['s']).toEqual(['a', '']);
  });

  it('reads a CSV through read_csv with a literal path containing a quote', async () => {
    const dir = tmp();
    try {
      const p = join(dir, "it's.csv");
      writeFileSync(p, 'a,b\n1,2\n3,4\n');
      const t = await withDuck((conn) => queryTable(conn, `SELECT * FROM read_csv(${sqlString(p)})`));
      expect(Array.from(t.columns['b'] as Float64Array)).toEqual([2, 4]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
