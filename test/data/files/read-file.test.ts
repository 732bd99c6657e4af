import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { readMarketFile } from '../../../src/data/files/read-file.js';
import { writeParquet } from '../../../src/data/lake/parquet.js';
import { withDuck } from '../../../src/data/lake/duck.js';
import { CancelledError } from '../../../src/core/errors.js';
import { col, tempFiles } from '../../helpers/temp-files.js';

const { dir, file } = tempFiles('read-file');

describe('readMarketFile', () => {
  it('JSON arrays of objects and YYYYMMDD dates', async () => {
    const p = file('bars.json', JSON.stringify([
      { day: 20240102, o: 1, h: 2, l: 0.5, c: 1.5, v: 10 },
      { day: 20240103, o: 1.5, h: 2, l: 1, c: 1.8, v: 12 },
    ]));
    const r = await readMarketFile(p, { map: 'ts=day,open=o,high=h,low=l,close=c,volume=v', interval: '1d' });
    expect(col(r.table, 'ts')).toEqual([Date.UTC(2024, 0, 2), Date.UTC(2024, 0, 3)]);
    expect(col(r.table, 'close')).toEqual([1.5, 1.8]);
    expect(r.format).toBe('json');
  });

  it('Parquet with a TIMESTAMP column (naive, shifted by --tz-offset) and extra numeric columns', async () => {
    const p = join(dir, 'bars.parquet');
    await withDuck(async (c) => {
      await c.run(`COPY (SELECT TIMESTAMP '2024-01-02 10:00' + INTERVAL (i) HOUR AS time, 100.0 + i AS close, 7 AS funding_rate FROM range(3) t(i)) TO '${p}' (FORMAT parquet)`);
    });
    const r = await readMarketFile(p, { tzOffset: '+02:00' });
    expect(col(r.table, 'ts')).toEqual([8, 9, 10].map((h) => Date.UTC(2024, 0, 2, h)));
    expect(r.interval).toBe('1h');
    expect(Object.keys(r.table.columns)).toEqual(['ts', 'open', 'high', 'low', 'close', 'volume', 'funding_rate']);
  });

  it('reads back what writeParquet wrote (the lake format) as bars', async () => {
    const p = join(dir, 'lake.parquet');
    const ts = Float64Array.from([0, 1, 2].map((i) => Date.UTC(2024, 0, 1) + i * 900_000));
    const one = Float64Array.from([1, 1, 1]);
    await writeParquet({ length: 3, columns: { ts, open: one, high: one, low: one, close: one, volume: one } }, p);
    const r = await readMarketFile(p, {});
    expect(r.interval).toBe('15m');
    expect(col(r.table, 'ts')).toEqual(Array.from(ts));
  });

  it('unparseable timestamps become NaN for clean to quarantine; an already-aborted read is cancelled', async () => {
    const p = file('mixed.csv', 'Date,Close\n2024-01-01,1\nnot a date,2\n2024-01-03,3\n');
    const r = await readMarketFile(p, { tsFormat: 'iso' });
    expect(col(r.table, 'ts')).toEqual([Date.UTC(2024, 0, 1), NaN, Date.UTC(2024, 0, 3)]);
    const ac = new AbortController();
    ac.abort();
    await expect(readMarketFile(p, { signal: ac.signal })).rejects.toBeInstanceOf(CancelledError);
  });
});
