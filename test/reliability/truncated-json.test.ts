/**
 * Defect 4 of the reliability issue: a JSON array of records cut short (half a file, or cut right
 * after a record's comma) was ingested in part without a warning. It is refused, naming the byte
 * and line where the file ends, and nothing reaches the lake. Whole files still read.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestFile } from '../../src/data/files/ingest.js';
import { UserError } from '../../src/core/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'edgelab-truncjson-'));
const lake = join(dir, 'lake');
const DAY = 86_400_000;
const records = Array.from({ length: 40 }, (_, i) => ({ ts: Date.UTC(2024, 0, 1) + i * DAY, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 }));
const whole = JSON.stringify(records);

function file(name: string, text: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('truncated JSON is refused', () => {
  it('cut in the middle of a record: names the byte and line, nothing stored', async () => {
    const cut = whole.slice(0, Math.floor(whole.length / 2));
    const p = file('half.json', cut);
    const err = await ingestFile(p, lake, { symbol: 'HALF' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toContain(`JSON ends at byte ${Buffer.byteLength(cut)} (line 1)`);
    expect(existsSync(join(lake, 'raw', 'source=file', 'symbol=HALF'))).toBe(false);
  });

  it('cut right after a record (the reader would return 39 whole records)', async () => {
    const cut = whole.slice(0, whole.lastIndexOf('},') + 2);
    const p = file('boundary.json', cut);
    await expect(ingestFile(p, lake, { symbol: 'BOUND' })).rejects.toThrow(`JSON ends at byte ${cut.length} (line 1) with 1 bracket still open`);
  });

  it('cut inside a string, on a later line of pretty-printed JSON, and gzipped', async () => {
    const pretty = JSON.stringify(records.map((r) => ({ ...r, note: 'x' })), null, 2);
    const cut = pretty.slice(0, pretty.indexOf('"note": "x"', 200) + 9);
    const line = cut.split('\n').length;
    await expect(ingestFile(file('str.json', cut), lake, { symbol: 'STR' })).rejects.toThrow(`(line ${line}) inside a string`);
    await expect(ingestFile(file('gz.json.gz', gzipSync(cut)), lake, { symbol: 'GZ' })).rejects.toThrow(`JSON ends at byte ${cut.length}`);
  });

  it('whole files (an array, and newline-delimited records) still read every row', async () => {
    const a = await ingestFile(file('whole.json', whole), lake, { symbol: 'WHOLE' });
    expect(a.dataset.table.length).toBe(40);
    const nd = records.map((r) => JSON.stringify(r)).join('\n');
    const b = await ingestFile(file('nd.ndjson', `${nd}\n`), lake, { symbol: 'ND' });
    expect(b.dataset.table.length).toBe(40);
  });
});
