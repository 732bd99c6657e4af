import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, rmSync, readdirSync, statSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeRaw, readRaw, listRaw } from '../../../src/data/lake/raw.js';
import { rawPartitionDir } from '../../../src/data/lake/layout.js';
import { tableDigest, type ColumnTable } from '../../../src/core/table.js';

const dirs: string[] = [];
const lake = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'edgelab-lake-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const bars = (ts: number[], close: number[]): ColumnTable => ({
  length: ts.length,
  columns: { ts: Float64Array.from(ts), close: Float64Array.from(close) },
});

const part = { source: 'binanceusdm', symbol: 'BTC/USDT:USDT', interval: '15m' };

describe('raw zone', () => {
  it('writes version 1 with a manifest holding rows, time range and digest', async () => {
    const root = lake();
    const t = bars([3000, 1000, 2000], [1, 2, 3]);
    const r = await writeRaw(root, part, t, { origin: 'https://example.test/klines' });
    expect(r.created).toBe(true);
    expect(r.entry).toMatchObject({ version: 1, rows: 3, tsMin: 1000, tsMax: 3000, digest: tableDigest(t), columns: ['ts', 'close'] });
    expect(r.path).toBe(join(rawPartitionDir(root, part), r.entry.file));
    expect(r.path).toContain(join('raw', 'source=binanceusdm', 'symbol=BTC%2FUSDT%3AUSDT', 'interval=15m'));
    const manifest = JSON.parse(readFileSync(join(rawPartitionDir(root, part), 'manifest.json'), 'utf8'));
    expect(manifest.entries).toHaveLength(1);
    const back = await readRaw(root, part);
    expect(Array.from(back.table.columns['ts'] as Float64Array)).toEqual([3000, 1000, 2000]);
  });

  it('re-ingesting identical content is a no-op; new content becomes version 2 and never rewrites version 1', async () => {
    const root = lake();
    const a = await writeRaw(root, part, bars([1000], [1]), { origin: 'x' });
    const mtime = statSync(a.path).mtimeMs;
    const again = await writeRaw(root, part, bars([1000], [1]), { origin: 'x' });
    expect(again.created).toBe(false);
    expect(again.entry.version).toBe(1);
    const b = await writeRaw(root, part, bars([1000, 2000], [1, 5]), { origin: 'x' });
    expect(b.created).toBe(true);
    expect(b.entry.version).toBe(2);
    expect(statSync(a.path).mtimeMs).toBe(mtime);
    expect(readdirSync(rawPartitionDir(root, part)).sort()).toEqual(['manifest.json', a.entry.file, b.entry.file].sort());
    const v1 = await readRaw(root, part, 1);
    expect(v1.table.length).toBe(1);
    const all = await readRaw(root, part, 'all');
    expect(Array.from(all.table.columns['close'] as Float64Array)).toEqual([1, 1, 5]);
  });

  it('lists partitions with decoded names, and names the partition when it is empty', async () => {
    const root = lake();
    await writeRaw(root, part, bars([1], [1]), { origin: 'x' });
    await writeRaw(root, { source: 'file', symbol: 'SPY', interval: '1d' }, bars([1], [1]), { origin: 'y' });
    expect(listRaw(root).map((p) => p.partition)).toEqual([
      part,
      { source: 'file', symbol: 'SPY', interval: '1d' },
    ]);
    await expect(readRaw(root, { source: 'file', symbol: 'QQQ', interval: '1d' })).rejects.toThrow(/file\/QQQ\/1d/);
  });
});
