/**
 * `ingest file` through the shell's dispatcher (one-line errors) with a temporary lake.
 * Must-show 3 (bad input): a malformed row, a file that is not CSV, a symbol not present, too many
 * bad rows, a missing file — each names the file and line (or symbol), sets rows aside or refuses,
 * and leaves the lake and the session as they were. Also presets, mapping and time zones.
 */
import { mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createShell, type Shell } from '../../src/shell/runtime.js';
import { configSchema } from '../../src/config/schema.js';
import { listRaw } from '../../src/data/lake/raw.js';
import type { TableBlock, TextBlock, CommandResult } from '../../src/core/result.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function shell(overrides: Record<string, unknown> = {}): Promise<{ sh: Shell; lake: string; tmp: string }> {
  const tmp = mkdtempSync(join(tmpdir(), 'edgelab-ingest-file-'));
  dirs.push(tmp);
  const lake = join(tmp, 'lake');
  const config = configSchema.parse({ session: { lake_dir: lake }, ...overrides });
  return { sh: await createShell({ root, cwd: root, config }), lake, tmp };
}

const texts = (r: CommandResult): string => r.blocks.filter((b): b is TextBlock => b.kind === 'text').map((b) => b.text).join('\n');
const tableNamed = (r: CommandResult, prefix: string): TableBlock | undefined =>
  r.blocks.find((b): b is TableBlock => b.kind === 'table' && (b.title ?? '').startsWith(prefix));
const lakeFiles = (lake: string): string[] => listRaw(lake).flatMap((p) => p.manifest.entries.map((e) => e.file));

describe('ingest file: good input', () => {
  it('reads the committed demo CSV into raw:DEMO:1d and the raw lake; a second ingest of the same content writes nothing', async () => {
    const { sh, lake } = await shell();
    const out = await sh.dispatcher.execute('ingest file test/fixtures/data/demo-daily.csv --symbol DEMO');
    expect(out.result.status).toBe('ok');
    expect(texts(out.result)).toContain('raw:DEMO:1d ← test/fixtures/data/demo-daily.csv: 300 rows of 1d bars (preset yahoo), 2023-01-02 00:00 .. 2024-02-23 00:00');
    const ds = sh.session.dataset('raw:DEMO:1d');
    expect(ds.stage).toBe('raw');
    expect(ds.table.length).toBe(300);
    expect(ds.source).toBe('file:test/fixtures/data/demo-daily.csv');
    const parts = listRaw(lake);
    expect(parts.map((p) => p.partition)).toEqual([{ source: 'file', symbol: 'DEMO', interval: '1d' }]);
    expect(parts[0]!.manifest.entries[0]).toMatchObject({ version: 1, rows: 300, tsMin: Date.UTC(2023, 0, 2), tsMax: Date.UTC(2024, 1, 23), digest: ds.digest });
    const again = await sh.dispatcher.execute('ingest file test/fixtures/data/demo-daily.csv --symbol DEMO');
    expect(again.result.status).toBe('ok');
    expect(listRaw(lake)[0]!.manifest.entries).toHaveLength(1);
  });

  it('reads Binance kline archives with and without a header (ms and µs open times) to the same bars', async () => {
    const { sh } = await shell();
    const a = await sh.dispatcher.execute('ingest file test/fixtures/data/BTCUSDT-15m-2024-03-01.csv --preset binance-kline');
    expect(a.result.status).toBe('ok');
    const b = await sh.dispatcher.execute('ingest file test/fixtures/data/binance-kline-header-us.csv --preset binance-kline --symbol BTCUSDT --name BTCUS --interval 15m');
    expect(b.result.status).toBe('ok');
    const x = sh.session.dataset('raw:BTCUSDT:15m');
    const y = sh.session.dataset('raw:BTCUS:15m');
    expect(x.table.length).toBe(96);
    expect(Object.keys(x.table.columns)).toEqual(['ts', 'open', 'high', 'low', 'close', 'volume', 'quote_volume', 'trades', 'taker_buy_volume', 'taker_buy_quote_volume']);
    expect((x.table.columns['ts'] as Float64Array)[0]).toBe(Date.UTC(2024, 2, 1));
    for (const k of Object.keys(x.table.columns)) expect(Array.from(y.table.columns[k] as Float64Array)).toEqual(Array.from(x.table.columns[k] as Float64Array));
    expect(texts(b.result) + JSON.stringify(b.result.blocks)).toContain('epoch microseconds');
  });

  it('--map, --ts-format and --tz-offset: a custom layout with day-first local times lands in UTC', async () => {
    const { sh, tmp } = await shell();
    const p = join(tmp, 'custom.csv');
    writeFileSync(p, 'when;px;qty\n31/01/2024 10:00;100.5;2\n31/01/2024 10:15;101;1\n31/01/2024 10:30;100;3\n');
    const out = await sh.dispatcher.execute(`ingest file ${p} --map ts=when,close=px,volume=qty --ts-format dmy --tz-offset +03:00 --symbol X`);
    expect(out.result.status).toBe('ok');
    const ds = sh.session.dataset('raw:X:15m');
    expect(Array.from(ds.table.columns['ts'] as Float64Array)).toEqual([Date.UTC(2024, 0, 31, 7), Date.UTC(2024, 0, 31, 7, 15), Date.UTC(2024, 0, 31, 7, 30)]);
    expect(Array.from(ds.table.columns['open'] as Float64Array)).toEqual([100.5, 101, 100]);
    expect(JSON.stringify(out.result.blocks)).toContain('no open/high/low column: set from close');
  });
});

describe('ingest file: bad input (must-show 3)', () => {
  it('a malformed row (too few fields) and a non-number price: names file:line and reason, sets them aside, keeps the rest', async () => {
    const { sh } = await shell();
    const out = await sh.dispatcher.execute('ingest file test/fixtures/data/bad-malformed-row.csv --symbol BAD');
    expect(out.result.status).toBe('ok');
    expect(texts(out.result)).toContain('2 rows could not be read and were set aside (first: test/fixtures/data/bad-malformed-row.csv:11, row has 6 fields, expected 7)');
    const rejects = tableNamed(out.result, 'unreadable rows')!;
    expect(rejects.rows.map((r) => [r[0], r[1]])).toEqual([
      ['test/fixtures/data/bad-malformed-row.csv:11', 'row has 6 fields, expected 7'],
      ['test/fixtures/data/bad-malformed-row.csv:21', "'abc' in column Close is not a number"],
    ]);
    expect(sh.session.dataset('raw:BAD:1d').table.length).toBe(58);
  });

  it('a file that is not CSV at all is refused with its name; the lake and the session stay as they were', async () => {
    const { sh, lake } = await shell();
    await sh.dispatcher.execute('ingest file test/fixtures/data/demo-daily.csv --symbol DEMO');
    const before = { datasets: [...sh.session.datasets.keys()], lake: lakeFiles(lake) };
    const out = await sh.dispatcher.execute('ingest file test/fixtures/data/not-a-csv.csv');
    expect(out.result.status).toBe('error');
    expect(out.result.summary).toContain('test/fixtures/data/not-a-csv.csv: not a CSV file: it contains binary data');
    expect({ datasets: [...sh.session.datasets.keys()], lake: lakeFiles(lake) }).toEqual(before);
  });

  it('a text file with no delimiter is refused too', async () => {
    const { sh, tmp } = await shell();
    const p = join(tmp, 'notes.txt');
    writeFileSync(p, 'These are notes.\nNothing tabular here.\nJust prose.\n');
    const out = await sh.dispatcher.execute(`ingest file ${p}`);
    expect(out.result.status).toBe('error');
    expect(out.result.summary).toMatch(/notes\.txt: not a CSV file: found no delimiter/);
  });

  it('a symbol not present in the file is refused naming the symbol and the ones it has; nothing is stored', async () => {
    const { sh, lake } = await shell();
    const out = await sh.dispatcher.execute('ingest file test/fixtures/data/funding-two-symbols.csv --symbol XRP-USDT');
    expect(out.result.status).toBe('error');
    expect(out.result.summary).toContain("symbol 'XRP-USDT' is not in the file (it has BTC-USDT, ETH-USDT)");
    expect(sh.session.datasets.size).toBe(0);
    expect(existsSync(lake) ? lakeFiles(lake) : []).toEqual([]);
    const none = await sh.dispatcher.execute('ingest file test/fixtures/data/funding-two-symbols.csv');
    expect(none.result.summary).toContain('the file holds 2 symbols (BTC-USDT, ETH-USDT); choose one with --symbol');
    const ok = await sh.dispatcher.execute('ingest file test/fixtures/data/funding-two-symbols.csv --symbol ETH-USDT');
    expect(ok.result.status).toBe('ok');
    expect(sh.session.dataset('raw:ETHUSDT:funding').table.length).toBe(60);
  });

  it('more unreadable rows than data.clean.max_rejected_fraction refuses the whole file, naming the first bad line', async () => {
    const { sh, lake, tmp } = await shell();
    const good = readFileSync(join(root, 'test/fixtures/data/demo-daily.csv'), 'utf8').split('\n').slice(0, 41);
    const bad = good.map((l, i) => (i > 0 && i % 4 === 0 ? l.replace(/,[^,]*$/, ',x') : l));
    const p = join(tmp, 'mostly-bad.csv');
    writeFileSync(p, `${bad.join('\n')}\n`);
    const out = await sh.dispatcher.execute(`ingest file ${p}`);
    expect(out.result.status).toBe('error');
    expect(out.result.summary).toContain(`mostly-bad.csv:5: 10 of 40 rows cannot be read (more than 5.0%), so the file is refused; first: 'x' in column Volume is not a number`);
    expect(sh.session.datasets.size).toBe(0);
    expect(existsSync(lake) ? readdirSync(lake) : []).toEqual([]);
  });

  it('a missing file and an unknown preset say so in one line', async () => {
    const { sh } = await shell();
    const a = await sh.dispatcher.execute('ingest file test/fixtures/data/nope.csv');
    expect(a.result.summary).toContain('test/fixtures/data/nope.csv: no such file');
    const b = await sh.dispatcher.execute('ingest file test/fixtures/data/demo-daily.csv --preset yahooo');
    expect(b.result.status).toBe('error');
    expect(b.result.summary).toMatch(/preset/);
  });

  it('timestamps that carry their own offset refuse --tz-offset', async () => {
    const { sh, tmp } = await shell();
    const p = join(tmp, 'zoned.csv');
    writeFileSync(p, 'ts,close\n2024-01-01T00:00:00Z,1\n2024-01-01T00:15:00Z,2\n2024-01-01T00:30:00Z,3\n');
    const out = await sh.dispatcher.execute(`ingest file ${p} --tz-offset +02:00`);
    expect(out.result.summary).toContain('the timestamps carry their own UTC offset');
  });
});
