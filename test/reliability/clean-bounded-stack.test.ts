/**
 * Defect 5 of the reliability issue: `clean` overflowed the stack on a file of 200,000 rows with
 * one identical timestamp (every row after the first is a duplicate, and the quarantine looked up
 * the file line of each with a spread over all of them). It must finish in bounded stack: 1 row
 * kept, 199,999 quarantined as duplicates, the last one named by its real file line.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createShell } from '../../src/shell/runtime.js';
import { configSchema } from '../../src/config/schema.js';
import { renderText } from '../../src/shell/render-text.js';
import { summaryOf } from '../../src/core/result.js';
import { resolveLines } from '../../src/data/clean/lines.js';
import type { LineInfo } from '../../src/data/files/read-file.js';

const ROWS = 200_000;

describe('clean in bounded stack', () => {
  it(`the file-line lookup takes ${ROWS} wanted rows`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'edgelab-lines-'));
    const csv = join(dir, 'lines.csv');
    writeFileSync(csv, 'a\n' + '1\n'.repeat(ROWS));
    const rows = Array.from({ length: ROWS }, (_, i) => i);
    const lines = resolveLines({ kind: 'csv', path: csv, skip: 1, rejected: [] } satisfies LineInfo, rows);
    expect(lines.size).toBe(ROWS);
    expect(lines.get(0)).toBe(2);
    expect(lines.get(ROWS - 1)).toBe(ROWS + 1);
  });

  // End to end through ingest + clean: ~20 s on a loaded 2-core machine, so it runs under `npm run stress`.
  it.runIf(process.env['EDGELAB_STRESS'] === '1')(`${ROWS} rows with one timestamp: one row kept, the rest quarantined, no stack overflow`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'edgelab-samets-'));
    const csv = join(dir, 'same.csv');
    const body = 'Date,Open,High,Low,Close,Volume\n' + '2024-01-02,10,11,9,10.5,100\n'.repeat(ROWS);
    writeFileSync(csv, body);
    const sh = await createShell({ cwd: dir, config: configSchema.parse({ session: { lake_dir: join(dir, 'lake') } }) });
    const ingest = await sh.dispatcher.execute(`ingest file ${csv} --symbol SAME --interval 1d`);
    expect(summaryOf(ingest.result)).not.toMatch(/internal error/);
    expect(ingest.result.status).toBe('ok');
    const clean = await sh.dispatcher.execute('clean raw:SAME:1d');
    const shown = renderText(clean.result);
    expect(shown).not.toMatch(/internal error|call stack/i);
    expect(sh.session.datasets.get('SAME:1d')?.table.length).toBe(1);
    // the quarantine lists duplicates with their real file lines (header is line 1, rows 2..ROWS+1)
    expect(shown).toMatch(/duplicate/);
    expect(shown).toContain('quarantined   199999 (duplicate_timestamp 199999)');
    expect(shown).toContain('same.csv:3   2024-01-02T00:00:00Z  duplicate_timestamp  same close as row 1 (kept)');
  }, 120_000);
});
