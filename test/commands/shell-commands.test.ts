/**
 * The shell's own commands through the dispatcher: export (CSV and Parquet round trips against the
 * session's columns), save → run reproducing a session, show's table selection, datasets, history.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createShell } from '../../src/shell/runtime.js';
import { renderText } from '../../src/shell/render-text.js';
import { readParquet } from '../../src/data/lake/parquet.js';
import { tableDigest, type Dataset } from '../../src/core/table.js';
import type { TableBlock } from '../../src/core/result.js';

const dir = mkdtempSync(join(tmpdir(), 'edgelab-cmds-'));

/** A small hand-made dataset: 3 daily bars, one NaN volume, and a text column. */
function handMade(): Dataset {
  const table = {
    length: 3,
    columns: {
      ts: Float64Array.of(Date.UTC(2024, 0, 2), Date.UTC(2024, 0, 3), Date.UTC(2024, 0, 4)),
      open: Float64Array.of(100, 101.5, 0.1 + 0.2),
      high: Float64Array.of(102, 103, 1),
      low: Float64Array.of(99, 100, 0.25),
      close: Float64Array.of(101.5, 102.25, 0.5),
      volume: Float64Array.of(1000, NaN, 12),
      note: ['plain', 'with, comma', 'with "quote"'],
    },
  };
  return { name: 'HAND:1d', kind: 'bars', stage: 'clean', symbol: 'HAND', interval: '1d', source: 'test', table, digest: tableDigest(table) };
}

async function shellWithData() {
  const shell = await createShell({ seed: 42, id: 'cmds', cwd: dir });
  shell.session.addDataset(handMade());
  return shell;
}

describe('export', () => {
  it('CSV: header, ISO times, shortest round-trip numbers, NaN as empty, RFC 4180 quoting', async () => {
    const { dispatcher } = await shellWithData();
    const r = await dispatcher.execute('export HAND:1d hand.csv');
    expect(renderText(r.result)).toBe('exported 3 rows of HAND:1d to hand.csv');
    expect(readFileSync(join(dir, 'hand.csv'), 'utf8')).toBe(
      [
        'ts,open,high,low,close,volume,note',
        '2024-01-02T00:00:00Z,100,102,99,101.5,1000,plain',
        '2024-01-03T00:00:00Z,101.5,103,100,102.25,,"with, comma"',
        '2024-01-04T00:00:00Z,0.30000000000000004,1,0.25,0.5,12,"with ""quote"""',
        '',
      ].join('\n'),
    );
  });

  it('Parquet: reading the file back gives the same columns bit for bit', async () => {
    const { dispatcher, session } = await shellWithData();
    const r = await dispatcher.execute('export HAND:1d out/hand.parquet');
    expect(r.result.status).toBe('ok');
    const back = await readParquet(join(dir, 'out', 'hand.parquet'));
    const orig = session.dataset('HAND:1d').table;
    expect(back.length).toBe(3);
    for (const name of Object.keys(orig.columns)) expect(back.columns[name]).toEqual(orig.columns[name]);
  });

  it('refuses an unknown extension and an unwritable path with one line; no partial file is left', async () => {
    const { dispatcher } = await shellWithData();
    const bad = await dispatcher.execute('export HAND:1d hand.xlsx');
    expect(renderText(bad.result)).toBe("export: hand.xlsx: unknown export format '.xlsx': use a path ending in .csv or .parquet");
    const unwritable = await dispatcher.execute('export HAND:1d /dev/null/x.csv');
    expect(renderText(unwritable.result)).toBe('export: /dev/null/x.csv: cannot write (a parent path is not a directory, ENOTDIR)');
    expect(existsSync('/dev/null/x.csv.partial')).toBe(false);
    const missing = await dispatcher.execute('export HND:1d x.csv');
    expect(renderText(missing.result)).toBe("export: no dataset 'HND:1d'; did you mean 'HAND:1d'?");
  });
});

describe('show', () => {
  it('selects head, tail, a time window and columns; times print as dates for daily data', async () => {
    const { dispatcher } = await shellWithData();
    const tail = await dispatcher.execute('show HAND:1d --tail --rows 2 --columns ts,close');
    const t = tail.result.blocks[1] as TableBlock;
    expect(t.columns).toEqual(['ts', 'close']);
    expect(t.rows).toEqual([['2024-01-03', 102.25], ['2024-01-04', 0.5]]);
    expect(t.totalRows).toBe(3);
    const win = await dispatcher.execute('show HAND:1d --from 2024-01-03 --to 2024-01-03 --columns ts,volume');
    expect((win.result.blocks[1] as TableBlock).rows).toEqual([['2024-01-03', 'NaN']]);
    // --columns keeps ts first (0c66b1b): a selected value is always shown with the bar it belongs to.
    const byKind = await dispatcher.execute('show 1d --symbol HAND --rows 1 --columns open');
    expect((byKind.result.blocks[1] as TableBlock).columns).toEqual(['ts', 'open']);
    expect((byKind.result.blocks[1] as TableBlock).rows).toEqual([['2024-01-02', 100]]);
  });
  it('names a bad column with a did-you-mean and an unknown symbol with the loaded ones', async () => {
    const { dispatcher } = await shellWithData();
    expect(renderText((await dispatcher.execute('show HAND:1d --columns clos')).result)).toBe("show: --columns: HAND:1d has no column 'clos'; did you mean 'close'?");
    expect(renderText((await dispatcher.execute('show 1d --symbol NOPE')).result)).toBe('show: --symbol: unknown symbol \'NOPE\' (loaded: HAND)');
  });
});

describe('save → run', () => {
  it('saves the successful lines and running the script reproduces the session', async () => {
    const a = await createShell({ seed: 11, id: 'a', cwd: dir });
    await a.dispatcher.execute('ingest synthetic --symbols BTCUSDT,SPY --years 0.25');
    await a.dispatcher.execute('hepl');
    await a.dispatcher.execute('show SPY:1d --rows 2');
    const saved = await a.dispatcher.execute('save scripts/s.edgelab');
    expect(renderText(saved.result)).toBe('saved 2 commands to scripts/s.edgelab');
    const script = readFileSync(join(dir, 'scripts', 's.edgelab'), 'utf8');
    expect(script.split('\n').slice(1)).toEqual(['seed 11', 'ingest synthetic --symbols BTCUSDT,SPY --years 0.25', 'show SPY:1d --rows 2', '']);

    const b = await createShell({ seed: 99, id: 'b', cwd: dir });
    const ran = await b.dispatcher.execute('run scripts/s.edgelab');
    expect(ran.result.status).toBe('ok');
    expect(renderText(ran.result).split('\n')[0]).toBe('ran 3 lines from scripts/s.edgelab');
    expect(b.session.seed).toBe(11);
    for (const [name, ds] of a.session.datasets) expect(b.session.datasets.get(name)?.digest).toBe(ds.digest);
  });
  it('run stops at the first failing line and says where', async () => {
    const { dispatcher } = await createShell({ seed: 1, id: 'c', cwd: dir });
    writeFileSync(join(dir, 'broken.edgelab'), 'seed 3\nshow NOPE\nseed 4\n');
    const r = await dispatcher.execute('run broken.edgelab');
    expect(r.result.status).toBe('error');
    expect(renderText(r.result).split('\n')[0]).toBe("stopped at line 2: 'show NOPE' failed (2/3 lines run)");
    expect(dispatcher.session.seed).toBe(3);
  });
});

describe('datasets and history', () => {
  it('lists datasets with their gate status and rows', async () => {
    const { dispatcher } = await shellWithData();
    const r = await dispatcher.execute('datasets');
    const t = r.result.blocks[1] as TableBlock;
    expect(t.rows).toEqual([['HAND:1d', 'bars', 'clean', 3, '2024-01-02 00:00', '2024-01-04 00:00', '–', expect.stringMatching(/^[0-9a-f]{12}$/)]]);
  });
  it('history lists each line with its outcome', async () => {
    const { dispatcher } = await shellWithData();
    await dispatcher.execute('seed');
    await dispatcher.execute('nope');
    const r = await dispatcher.execute('history');
    expect((r.result.blocks[0] as TableBlock).rows).toEqual([[1, 'seed', 'ok'], [2, 'nope', 'error']]);
  });
});
