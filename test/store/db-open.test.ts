/**
 * Opening the results database while another process is creating it. DuckDB creates the file
 * before it writes its headers (three 4 KiB blocks), and an open in between fails with "not a
 * valid DuckDB database file" — three headless backtests started at once on a new data root met
 * it (test/reliability/store-concurrency.test.ts). A file shorter than the headers is waited for,
 * briefly; a file that stays short, or a full-size file that is not DuckDB's, fails with one clear
 * message and is left exactly as it was.
 */
import { describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withResultsDb } from '../../src/store/db.js';
import { UserError } from '../../src/core/errors.js';

const readAnswer = (path: string): Promise<number> =>
  withResultsDb(path, async (conn) => Number((await conn.runAndReadAll('SELECT answer FROM t')).getRows()[0]![0]));

async function databaseWithAnswer(path: string): Promise<void> {
  await withResultsDb(path, async (conn) => {
    await conn.run('CREATE TABLE t AS SELECT 42 AS answer');
  });
}

describe('opening a results database another process is creating', () => {
  it('a file shorter than the headers that becomes a database is waited for and read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'edgelab-db-open-'));
    const ready = join(dir, 'ready.duckdb');
    const target = join(dir, 'edgelab.duckdb');
    await databaseWithAnswer(ready);
    writeFileSync(target, Buffer.alloc(0)); // what a creator has written before its headers
    const swap = setTimeout(() => renameSync(ready, target), 150); // the creator finishes
    try {
      expect(await readAnswer(target)).toBe(42);
    } finally {
      clearTimeout(swap);
    }
  });

  it('a creator that finishes between our failed open and our look at the size: still waited for, then read', async () => {
    // The race the fresh-clone CI run met under load: DuckDB read the empty file, the creator then
    // wrote its headers, and a size taken only after the failure looked like a full, broken file.
    const dir = mkdtempSync(join(tmpdir(), 'edgelab-db-open-'));
    const ready = join(dir, 'ready.duckdb');
    const target = join(dir, 'edgelab.duckdb');
    await databaseWithAnswer(ready);
    writeFileSync(target, Buffer.alloc(0));
    const realCreate = DuckDBInstance.create.bind(DuckDBInstance);
    let failedOpens = 0;
    DuckDBInstance.create = async (...args: Parameters<typeof DuckDBInstance.create>) => {
      try {
        return await realCreate(...args);
      } catch (err) {
        failedOpens++;
        renameSync(ready, target); // the creator finishes right after our open read the short file
        throw err;
      }
    };
    try {
      expect(await readAnswer(target)).toBe(42);
      expect(failedOpens).toBe(1);
    } finally {
      DuckDBInstance.create = realCreate;
    }
  });

  it('a file that stays shorter than the headers fails with the reason and is not touched', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'edgelab-db-open-'));
    const target = join(dir, 'edgelab.duckdb');
    const bytes = Buffer.from('half-written header');
    writeFileSync(target, bytes);
    const opening = withResultsDb(target, async () => 0, { maxWaitMs: 300 });
    await expect(opening).rejects.toBeInstanceOf(UserError);
    await expect(opening).rejects.toThrow(/cannot open the results database: .*not a valid DuckDB database file/);
    expect(readFileSync(target).equals(bytes)).toBe(true);
  });

  it('a full-size file that is not a DuckDB database fails with the reason and is not touched', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'edgelab-db-open-'));
    const target = join(dir, 'edgelab.duckdb');
    const bytes = Buffer.alloc(3 * 4096 + 100, 7);
    writeFileSync(target, bytes);
    await expect(withResultsDb(target, async () => 0)).rejects.toThrow(/cannot open the results database: .*not a valid DuckDB database file/);
    expect(readFileSync(target).equals(bytes)).toBe(true);
  });
});
