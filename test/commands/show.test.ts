/**
 * `show` (issue 11): with --from/--to the further-rows count is of the rows in the window, and
 * --columns keeps the time column. Counts are taken independently from the CSV's own date column.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createShell, type Shell } from '../../src/shell/runtime.js';
import type { TableBlock } from '../../src/core/result.js';
import { renderText } from '../../src/shell/render-text.js';

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const csv = 'test/fixtures/data/demo-daily.csv';
/** Dates in the CSV (first column, YYYY-MM-DD), read here without edgelab's reader. */
const dates = readFileSync(resolve(repo, csv), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]!);
let shell: Shell;
const show = async (line: string) => {
  const r = (await shell.dispatcher.execute(line)).result;
  expect(r.status, JSON.stringify(r.blocks[0])).toBe('ok');
  return r;
};

beforeAll(async () => {
  shell = await createShell({ seed: 1, cwd: repo });
  const r = await shell.dispatcher.execute(`ingest file ${csv} --symbol DEMO`);
  expect(r.result.status).toBe('ok');
}, 60_000);

describe('show', () => {
  it('--from/--to: the rows shown and the further-rows count are of the window', async () => {
    const inWindow = dates.filter((d) => d >= '2023-03-01' && d <= '2023-03-31');
    expect(inWindow.length).toBeGreaterThan(5);
    const r = await show('show raw:DEMO:1d --from 2023-03-01 --to 2023-03-31 --rows 5');
    const t = r.blocks[1] as TableBlock;
    expect(t.rows.map((row) => row[0])).toEqual(inWindow.slice(0, 5));
    expect(t.totalRows).toBe(inWindow.length);
    expect(renderText(r, { width: 120 })).toContain(`${inWindow.length - 5} more rows`);
    const tail = (await show('show raw:DEMO:1d --from 2023-03-01 --to 2023-03-31 --rows 2 --tail')).blocks[1] as TableBlock;
    expect(tail.rows.map((row) => row[0])).toEqual(inWindow.slice(-2));
    expect(tail.totalRows).toBe(inWindow.length);
  });

  it('without a window the count is the whole table', async () => {
    const t = (await show('show raw:DEMO:1d --rows 3')).blocks[1] as TableBlock;
    expect(t.totalRows).toBe(dates.length);
  });

  it('--columns keeps ts first', async () => {
    const t = (await show('show raw:DEMO:1d --columns close,volume --rows 2')).blocks[1] as TableBlock;
    expect(t.columns).toEqual(['ts', 'close', 'volume']);
    expect(t.rows.map((row) => row[0])).toEqual(dates.slice(0, 2));
    const asked = (await show('show raw:DEMO:1d --columns close,ts --rows 1')).blocks[1] as TableBlock;
    expect(asked.columns).toEqual(['close', 'ts']);
  });
});
