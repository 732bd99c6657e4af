/**
 * `clean` and `gate` through the dispatcher with a temporary lake. Must-show 3 (bad input found by
 * clean): a NaN price, a duplicated timestamp and out-of-order rows are quarantined or reordered with
 * the file and line named; the gate says why a dataset is not ready and assertReady refuses it.
 */
import { mkdtempSync, rmSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createShell, type Shell } from '../../src/shell/runtime.js';
import { configSchema } from '../../src/config/schema.js';
import { assertReady } from '../../src/data/ready.js';
import { readClean } from '../../src/data/lake/clean-store.js';
import { cleanPartitionDir } from '../../src/data/lake/layout.js';
import type { CommandResult, GatesBlock, TableBlock, TextBlock } from '../../src/core/result.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function shell(overrides: Record<string, unknown> = {}): Promise<{ sh: Shell; lake: string }> {
  const tmp = mkdtempSync(join(tmpdir(), 'edgelab-clean-'));
  dirs.push(tmp);
  const lake = join(tmp, 'lake');
  return { sh: await createShell({ root, cwd: root, config: configSchema.parse({ session: { lake_dir: lake }, ...overrides }) }), lake };
}

const run = async (sh: Shell, line: string): Promise<CommandResult> => {
  const out = await sh.dispatcher.execute(line);
  return out.result;
};
const texts = (r: CommandResult): string => r.blocks.filter((b): b is TextBlock => b.kind === 'text').map((b) => b.text).join('\n');
const quarantine = (r: CommandResult): TableBlock => r.blocks.find((b): b is TableBlock => b.kind === 'table' && (b.title ?? '').startsWith('quarantined'))!;
const gateBlocks = (r: CommandResult): GatesBlock[] => r.blocks.filter((b): b is GatesBlock => b.kind === 'gates');

describe('clean: the demo file', () => {
  it('makes DEMO:1d with a passing gate, stores bars, quarantine-free, and the gate artifact in the clean lake', async () => {
    const { sh, lake } = await shell();
    await run(sh, 'ingest file test/fixtures/data/demo-daily.csv --symbol DEMO');
    const r = await run(sh, 'clean raw:DEMO:1d');
    expect(r.status).toBe('ok');
    expect(texts(r)).toContain('DEMO:1d: 300 rows, 2023-01-02 00:00 .. 2024-02-23 00:00, gate passed');
    const [g] = gateBlocks(r);
    expect(g!.title).toBe('readiness DEMO:1d: passed');
    expect(g!.gates.map((x) => [x.name, x.value, x.pass])).toEqual([
      ['rows', 300, true],
      ['coverage', 1, true],
      ['gaps', 0, true],
      ['longest gap (bars)', 0, true],
      ['quarantined', 0, true],
      ['ordered', 'yes', true],
    ]);
    const ds = sh.session.dataset('DEMO:1d');
    expect(ds.stage).toBe('clean');
    expect(ds.gate!.pass).toBe(true);
    const dir = cleanPartitionDir(lake, { symbol: 'DEMO', interval: '1d' });
    const files = readdirSync(dir).sort();
    expect(files).toEqual([`bars-${ds.digest.slice(0, 12)}.parquet`, `gate-${ds.digest.slice(0, 12)}.json`, 'manifest.json']);
    const artifact = JSON.parse(readFileSync(join(dir, `gate-${ds.digest.slice(0, 12)}.json`), 'utf8'));
    expect(artifact).toMatchObject({ dataset: 'DEMO:1d', pass: true, rows: 300 });
    const stored = await readClean(lake, 'DEMO', '1d');
    expect(Array.from(stored!.table.columns['close'] as Float64Array)).toEqual(Array.from(ds.table.columns['close'] as Float64Array));
  });

  it('finds the raw dataset by its label, refuses clean data and impossible targets', async () => {
    const { sh } = await shell();
    await run(sh, 'ingest file test/fixtures/data/demo-daily.csv --symbol DEMO');
    expect((await run(sh, 'clean DEMO --to 1d,1w')).status).toBe('ok');
    expect(sh.session.dataset('DEMO:1w').table.length).toBe(60);
    expect((await run(sh, 'clean DEMO:1d')).summary).toContain('DEMO:1d is already clean; clean takes a raw dataset');
    expect((await run(sh, 'clean raw:DEMO:1d --to 15m')).summary).toContain('cannot make 15m bars from coarser 1d bars');
    expect((await run(sh, 'clean raw:NOPE:1d')).summary).toMatch(/no dataset 'raw:NOPE:1d'/);
  });
});

describe('clean: bad rows (must-show 3)', () => {
  it('a NaN price and an empty price are quarantined with their file lines; the gate fails on the quarantined fraction', async () => {
    const { sh } = await shell();
    await run(sh, 'ingest file test/fixtures/data/bad-nan-price.csv --symbol NANP');
    const r = await run(sh, 'clean raw:NANP:1d');
    expect(r.status).toBe('ok');
    const q = quarantine(r);
    expect(q.title).toBe('quarantined rows (2)');
    expect(q.rows.map((row) => [row[0], row[2]])).toEqual([
      ['test/fixtures/data/bad-nan-price.csv:8', 'nan_price'],
      ['test/fixtures/data/bad-nan-price.csv:31', 'nan_price'],
    ]);
    const ds = sh.session.dataset('NANP:1d');
    expect(ds.table.length).toBe(58);
    const failed = ds.gate!.gates.filter((g) => !g.pass);
    expect(failed.map((g) => [g.name, g.value, g.reason])).toEqual([['quarantined', 0.0333, '2 of 60 rows: nan_price 2']]);
    expect(() => assertReady(ds, false)).toThrow('NANP:1d: readiness gate failed: quarantined 0.0333 (needs ≤ 0.01); fix the data or pass --force');
    expect(() => assertReady(ds, true)).not.toThrow();
  });

  it('a duplicated timestamp keeps the first row and quarantines the repeat with its line', async () => {
    const { sh } = await shell();
    await run(sh, 'ingest file test/fixtures/data/bad-duplicate-ts.csv --symbol DUP');
    const r = await run(sh, 'clean raw:DUP:1d');
    const q = quarantine(r);
    expect(q.rows).toHaveLength(1);
    expect(q.rows[0]![0]).toBe('test/fixtures/data/bad-duplicate-ts.csv:16');
    expect(q.rows[0]![1]).toBe('2023-01-19T00:00:00Z');
    expect(q.rows[0]![2]).toBe('duplicate_timestamp');
    expect(q.rows[0]![3]).toBe('close 102.36 differs from 102.1 in row 14 (kept)');
    expect(sh.session.dataset('DUP:1d').table.length).toBe(59);
  });

  it('out-of-order rows are sorted into place with the first line named (or quarantined when configured)', async () => {
    const { sh } = await shell();
    await run(sh, 'ingest file test/fixtures/data/bad-out-of-order.csv --symbol OOO');
    const r = await run(sh, 'clean raw:OOO:1d');
    expect(texts(r)).toContain('2 rows out of order (first at test/fixtures/data/bad-out-of-order.csv:27); sorted into place');
    const ds = sh.session.dataset('OOO:1d');
    expect(ds.table.length).toBe(60);
    const ts = ds.table.columns['ts'] as Float64Array;
    for (let i = 1; i < ts.length; i++) expect(ts[i]!).toBeGreaterThan(ts[i - 1]!);
    expect(ds.gate!.pass).toBe(true);

    const strict = await shell({ data: { clean: { out_of_order: 'quarantine' } } });
    await run(strict.sh, 'ingest file test/fixtures/data/bad-out-of-order.csv --symbol OOO');
    const q = quarantine(await run(strict.sh, 'clean raw:OOO:1d'));
    expect(q.rows.map((row) => [row[0], row[2]])).toEqual([
      ['test/fixtures/data/bad-out-of-order.csv:27', 'out_of_order'],
      ['test/fixtures/data/bad-out-of-order.csv:61', 'out_of_order'],
    ]);
  });

  it('reader rejects show up in the quarantine with their lines', async () => {
    const { sh } = await shell();
    await run(sh, 'ingest file test/fixtures/data/bad-malformed-row.csv --symbol MAL');
    const q = quarantine(await run(sh, 'clean raw:MAL:1d'));
    expect(q.rows.map((row) => [row[0], row[2]])).toEqual([
      ['test/fixtures/data/bad-malformed-row.csv:11', 'unparseable_row'],
      ['test/fixtures/data/bad-malformed-row.csv:21', 'unparseable_row'],
    ]);
  });
});

describe('raw and clean tables in the other commands', () => {
  it('datasets shows the gate verdicts; show and export work on raw and clean tables', async () => {
    const { sh, lake } = await shell();
    await run(sh, 'ingest file test/fixtures/data/bad-nan-price.csv --symbol BADP');
    await run(sh, 'clean raw:BADP:1d');
    const listed = await run(sh, 'datasets');
    const t = listed.blocks.find((b): b is TableBlock => b.kind === 'table')!;
    const gateCol = t.columns.indexOf('gate');
    expect(t.rows.map((r) => [r[0], r[gateCol]])).toEqual([['raw:BADP:1d', '–'], ['BADP:1d', 'FAILED']]);
    const raw = await run(sh, 'show raw:BADP:1d --rows 8');
    expect(raw.status).toBe('ok');
    const rawRows = raw.blocks.find((b): b is TableBlock => b.kind === 'table')!;
    expect(rawRows.rows[6]![rawRows.columns.indexOf('close')]).toBe('NaN');
    expect((await run(sh, 'show BADP:1d --tail --rows 2')).status).toBe('ok');
    const out = join(lake, '..', 'badp.parquet');
    expect((await run(sh, `export BADP:1d ${out}`)).status).toBe('ok');
    const { readParquet } = await import('../../src/data/lake/parquet.js');
    expect((await readParquet(out)).length).toBe(58);
  });
});

describe('gate', () => {
  it('recomputes a gate with the current thresholds and lists every dataset', async () => {
    const { sh } = await shell();
    await run(sh, 'ingest file test/fixtures/data/demo-daily.csv --symbol DEMO');
    await run(sh, 'clean raw:DEMO:1d');
    expect((await run(sh, 'config set data.readiness.min_rows 1000')).status).toBe('ok');
    const r = await run(sh, 'gate DEMO:1d');
    const rows = gateBlocks(r)[0]!.gates.find((g) => g.name === 'rows')!;
    expect(rows).toMatchObject({ value: 300, threshold: '≥ 1000', pass: false, reason: 'only 300 bars' });
    expect(sh.session.dataset('DEMO:1d').gate!.pass).toBe(false);
    const all = await run(sh, 'gate');
    const t = all.blocks.find((b): b is TableBlock => b.kind === 'table')!;
    expect(t.rows).toEqual([
      ['raw:DEMO:1d', 'raw', '–', 'not cleaned'],
      ['DEMO:1d', 'clean', 'FAIL', 'rows 300'],
    ]);
  });

  it('perpetual-swap bars without funding fail the funding gate with the reason', async () => {
    const { sh } = await shell();
    await run(sh, 'ingest file test/fixtures/data/BTCUSDT-15m-2024-03-01.csv --preset binance-kline --asset-class crypto_perp --name PERP');
    const r = await run(sh, 'clean raw:PERP:15m');
    const g = gateBlocks(r)[0]!.gates.find((x) => x.name === 'funding alignment')!;
    expect(g).toMatchObject({ value: 'missing', pass: false });
    expect(g.reason).toContain('ingest a funding file and clean with --funding');
  });
});

describe('clean: an observation series (FRED-style) becomes a point-in-time series', () => {
  it('stamps values at the end of their first-release day, gates them, stores them, and refuses --lag on bars', async () => {
    const { sh, lake } = await shell();
    const D = (s: string): number => Date.parse(`${s}T00:00:00Z`);
    // 40 monthly observations, each first released on the 3rd of the next month; one '.' (NaN).
    const ts: number[] = [];
    const rs: number[] = [];
    const value: number[] = [];
    for (let m = 0; m < 40; m++) {
      ts.push(Date.UTC(2020, m, 1));
      rs.push(Date.UTC(2020, m + 1, 3));
      value.push(m === 7 ? NaN : 50 + m / 10);
    }
    const table = { length: 40, columns: { ts: Float64Array.from(ts), value: Float64Array.from(value), realtime_start: Float64Array.from(rs) } };
    sh.session.addDataset({ name: 'raw:MACRO:NAPM', kind: 'series', stage: 'raw', symbol: 'NAPM', assetClass: 'macro', source: 'fred', table, digest: 'test' });
    const r = await run(sh, 'clean raw:MACRO:NAPM');
    expect(r.status).toBe('ok');
    const ds = sh.session.dataset('MACRO:NAPM');
    expect(ds.kind).toBe('series');
    expect(ds.gate?.pass).toBe(true);
    const out = ds.table.columns['ts'] as Float64Array;
    expect(out.length).toBe(39);
    expect(out[0]).toBe(D('2020-02-04'));
    expect(out[7]).toBe(D('2020-10-04')); // September's value (August's was '.')
    expect((ds.table.columns['value'] as Float64Array)[7]).toBeCloseTo(50.8, 12);
    expect(texts(r)).toContain('MACRO:NAPM: 39 values, known at the end of the first-release day (realtime_start + 1 day)');
    expect(gateBlocks(r)[0]!.gates.map((g) => [g.name, g.pass])).toEqual([['values', true], ['quarantined', true], ['ordered', true]]);
    expect(readdirSync(lake, { recursive: true }).some((f) => String(f).includes('interval=series'))).toBe(true);
    // --lag only for series; a bad duration is refused by the parser.
    await run(sh, 'ingest file test/fixtures/data/demo-daily.csv --symbol DEMO');
    expect((await run(sh, 'clean raw:DEMO:1d --lag 2d')).summary).toContain('--lag applies to series; raw:DEMO:1d is bars');
    expect((await run(sh, 'clean raw:MACRO:NAPM --lag soon')).summary).toContain('a duration such as 90m, 12h, 35d or 2w');
  });
});
