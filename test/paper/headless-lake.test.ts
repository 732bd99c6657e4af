/**
 * `edgelab paper start …` in its own process reads the data root's lake (EDGELAB_DATA_ROOT): its
 * clean bars become the session's data; only an empty lake falls back to the demo data, saying so.
 * The lake here holds one clean dataset — the first 60 days of the synthetic BTCUSDT 15m bars,
 * written with the lake API (src/data/lake) — so a session on it has a different number of bars
 * than one on the demo data; the in-process loop over the same 60 days gives the bar count the
 * spawned process must report. Needs the build (bin/edgelab.js builds when sources changed).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tableDigest, type BarFrame, type Dataset } from '../../src/core/table.js';
import { writeClean } from '../../src/data/lake/clean-store.js';
import { paperPaths } from '../../src/paper/files.js';
import { PaperLoop } from '../../src/paper/loop.js';
import type { PaperHead } from '../../src/paper/head.js';
import { root, specOf, syntheticData, tempRoot, virtualScheduler } from './helpers.js';

const bin = join(root, 'bin', 'edgelab.js');
const run = (dataRoot: string, args: string[]) => spawnSync('node', [bin, 'paper', ...args], { cwd: root, env: { ...process.env, EDGELAB_DATA_ROOT: dataRoot }, encoding: 'utf8', timeout: 240_000 });

/** The first `rows` rows of a dataset (a new table: the lake stores what it is given). */
function head(ds: Dataset, rows: number): Dataset {
  const cols = Object.fromEntries(Object.entries(ds.table.columns).map(([k, v]) => [k, (v as Float64Array).slice(0, rows)]));
  const table = { length: rows, columns: cols } as unknown as BarFrame;
  return { ...ds, table, digest: tableDigest(table), stage: 'clean' };
}

describe('edgelab paper in its own process: the lake, else the demo data', () => {
  it('reads the clean bars of the lake; an empty lake says it uses the demo data', async () => {
    const lakeRoot = tempRoot();
    const btc = head(syntheticData().get('BTCUSDT:15m')!, 60 * 96);
    await writeClean(join(lakeRoot, 'lake'), btc, { length: 0, columns: {} });
    const args = ['start', 'sma_cross', '--symbol', 'BTCUSDT', '--interval', '15m', '--speed', 'max', '--bars', '200', '--id', 'lk'];
    const onLake = run(lakeRoot, args);
    expect(onLake.status, onLake.stderr).toBe(0);
    expect(onLake.stdout).toMatch(/data: 1 clean bar dataset\(s\) from the lake .*\(BTCUSDT:15m\)/);
    const lakeHead = JSON.parse(readFileSync(paperPaths(lakeRoot, 'lk').head, 'utf8')) as PaperHead;
    const spec = specOf('ref', { model: 'sma_cross', params: { symbol: 'BTCUSDT' }, interval: '15m' });
    const ref = await PaperLoop.create(spec, tempRoot(), new Map([['BTCUSDT:15m', btc]])).run({ scheduler: virtualScheduler(), bars: 200 });
    expect(lakeHead.status).toBe('stopped');
    expect(lakeHead.totalBars).toBe(ref.head.totalBars);
    expect(lakeHead.nav).toBe(ref.head.nav);

    const empty = tempRoot();
    const onDemo = run(empty, args);
    expect(onDemo.status, onDemo.stderr).toBe(0);
    expect(onDemo.stdout).toMatch(/data: the lake .* has no clean bars .*using the demo data \(ingest synthetic\)/);
    const demoHead = JSON.parse(readFileSync(paperPaths(empty, 'lk').head, 'utf8')) as PaperHead;
    expect(demoHead.totalBars).toBeGreaterThan(lakeHead.totalBars);
  }, 300_000);
});
