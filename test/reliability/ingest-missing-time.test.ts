/**
 * Reliability issue, smaller defect: a file whose last row has no time printed "… .. NaN". The span
 * is the first and last valid time, and the rows without one are counted.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createShell } from '../../src/shell/runtime.js';
import { configSchema } from '../../src/config/schema.js';
import { summaryOf } from '../../src/core/result.js';

describe('ingest file: missing end time', () => {
  it('names the valid span and counts the row without a time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'edgelab-endmiss-'));
    const csv = join(dir, 'endmiss.csv');
    writeFileSync(csv, 'Date,Open,High,Low,Close,Volume\n2024-01-02,1,2,0.5,1.5,10\n2024-01-03,1,2,0.5,1.5,10\n,1,2,0.5,1.5,10\n');
    const sh = await createShell({ cwd: dir, config: configSchema.parse({ session: { lake_dir: join(dir, 'lake') } }) });
    const r = await sh.dispatcher.execute(`ingest file ${csv} --symbol EM`);
    const line = summaryOf(r.result) + JSON.stringify(r.result.blocks[0]);
    expect(line).not.toContain('NaN');
    expect(line).toContain('2024-01-02 00:00 .. 2024-01-03 00:00 (1 row without a time)');
  });
});
