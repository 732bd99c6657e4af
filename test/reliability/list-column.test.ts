/**
 * Reliability issue, smaller defect: a JSON file whose `volume` holds lists was ingested with
 * volume 0 in every row. A nested column where a number belongs is refused, naming it and its type.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestFile } from '../../src/data/files/ingest.js';

describe('nested values where numbers belong', () => {
  it('a list-valued volume column is refused, nothing stored', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'edgelab-list-'));
    const p = join(dir, 'lst.json');
    writeFileSync(p, JSON.stringify(Array.from({ length: 40 }, (_, i) => ({ ts: 1704153600000 + i * 86_400_000, open: 1, high: 2, low: 0.5, close: 1.5, volume: [1, 2] }))));
    await expect(ingestFile(p, join(dir, 'lake'), { symbol: 'LST' })).rejects.toThrow("lst.json: column 'volume' holds BIGINT[] values (lists or records), not numbers");
  });
});
