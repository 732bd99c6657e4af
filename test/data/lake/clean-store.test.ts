import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, rmSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeClean, readClean } from '../../../src/data/lake/clean-store.js';
import { cleanPartitionDir, lakeDir } from '../../../src/data/lake/layout.js';
import { readManifest } from '../../../src/data/lake/manifest.js';
import { tableDigest, type Dataset } from '../../../src/core/table.js';

const dir = mkdtempSync(join(tmpdir(), 'edgelab-clean-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function ds(close: number[]): Dataset {
  const table = { length: close.length, columns: { ts: Float64Array.from(close.map((_, i) => i * 60_000)), close: Float64Array.from(close) } };
  return {
    name: 'ETH/USD:1h', kind: 'bars', stage: 'clean', symbol: 'ETH/USD', interval: '1h', source: 'test', table, digest: tableDigest(table),
    gate: { pass: true, gates: [{ name: 'rows', value: close.length, threshold: '≥ 1', pass: true }], facts: { rows: close.length } },
  };
}

describe('clean zone', () => {
  it('writes content-addressed bars, quarantine and gate artifact once; new content is a new version', async () => {
    const q = { length: 1, columns: { row: Float64Array.of(3), reason: ['nan_price'] } };
    const a = await writeClean(dir, ds([1, 2, 3]), q);
    expect(a.created).toBe(true);
    expect(a.dir).toBe(cleanPartitionDir(dir, { symbol: 'ETH/USD', interval: '1h' }));
    const again = await writeClean(dir, ds([1, 2, 3]), q);
    expect(again.created).toBe(false);
    const b = await writeClean(dir, ds([1, 2, 4]), { length: 0, columns: {} });
    expect(b.entry.version).toBe(2);
    const files = readdirSync(a.dir).sort();
    expect(files.filter((f) => f.startsWith('bars-'))).toHaveLength(2);
    expect(files.filter((f) => f.startsWith('quarantine-'))).toHaveLength(1);
    const artifact = JSON.parse(readFileSync(a.gatePath, 'utf8'));
    expect(artifact).toMatchObject({ dataset: 'ETH/USD:1h', pass: true, gates: [{ name: 'rows', value: 3 }] });
    expect(readManifest(a.dir, {}).entries.map((e) => e.version)).toEqual([1, 2]);
    const latest = await readClean(dir, 'ETH/USD', '1h');
    expect(Array.from(latest!.table.columns['close'] as Float64Array)).toEqual([1, 2, 4]);
    expect(await readClean(dir, 'NONE', '1h')).toBeUndefined();
  });

  it('the lake root is session.lake_dir resolved against the project', () => {
    expect(lakeDir({ config: { session: { lake_dir: 'data/lake' } }, projectPath: (p) => `/proj/${p}` })).toBe('/proj/data/lake');
  });
});
