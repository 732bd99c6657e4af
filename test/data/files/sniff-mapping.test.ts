import { describe, it, expect, afterAll } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sniffCsv, splitLine } from '../../../src/data/files/sniff.js';
import { completeMap, parseMapSpec, snakeName } from '../../../src/data/files/mapping.js';
import { hintsFromName } from '../../../src/data/files/filename.js';
import { detectFormat } from '../../../src/data/files/format.js';
import { detectInterval } from '../../../src/data/files/shape.js';

const dir = mkdtempSync(join(tmpdir(), 'edgelab-sniff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, body: string | Buffer): string => {
  const p = join(dir, name);
  writeFileSync(p, body);
  return p;
};

describe('sniffing delimited text', () => {
  it('finds delimiter, header, field count and CRLF; a short header gets the extra names', () => {
    const s = sniffCsv(file('a.csv', 'Date;Close\r\n2024-01-01;1.5\r\n2024-01-02;2\r\n'));
    expect(s).toMatchObject({ delimiter: ';', header: true, names: ['Date', 'Close'], fields: 2, crlf: true, headerMismatch: null });
    const h = sniffCsv(file('b.csv', 'a,b\n1,2,3\n4,5,6\n'));
    expect(h.headerMismatch).toEqual({ names: 2, fields: 3 });
    expect(h.names).toEqual(['a', 'b', 'column3']);
    const none = sniffCsv(file('c.csv', '1,2,3\n4,5,6\n'));
    expect(none.header).toBe(false);
    expect(none.names).toEqual(['column1', 'column2', 'column3']);
  });

  it('splits quoted fields and doubled quotes', () => {
    expect(splitLine('a,"b,c","d""e"', ',')).toEqual(['a', 'b,c', 'd"e']);
  });

  it('refuses empty, binary and non-delimited files naming them', () => {
    expect(() => sniffCsv(file('empty.csv', ''))).toThrow(/empty\.csv: the file is empty/);
    expect(() => sniffCsv(file('bin.csv', Buffer.from([1, 2, 0, 3])))).toThrow(/bin\.csv: not a CSV file: it contains binary data/);
    expect(() => sniffCsv(file('prose.txt', 'hello there\nno commas here\n'))).toThrow(/prose\.txt: not a CSV file: found no delimiter/);
    expect(() => sniffCsv(join(dir, 'missing.csv'))).toThrow(/missing\.csv: no such file/);
  });

  it('refuses a directory, naming what is in it', () => {
    const sub = join(dir, 'folder');
    mkdirSync(sub);
    expect(() => detectFormat(sub, 'folder/')).toThrow(/^folder\/: is a directory, not a file; name a file in it \(it is empty\)$/);
    for (const f of ['b.csv', 'a.csv', '.hidden', 'c.csv', 'd.csv', 'e.csv', 'f.csv']) writeFileSync(join(sub, f), '1,2\n');
    expect(() => detectFormat(sub, 'folder/')).toThrow('(it holds a.csv, b.csv, c.csv, d.csv, e.csv, … (6 entries))');
  });
});

describe('column mapping', () => {
  it('parses --map with Date+Time pairs and #positions, refusing bad targets', () => {
    expect(parseMapSpec('ts=Date+Time, close=Close ,volume=#6')).toEqual({ ts: ['Date', 'Time'], close: ['Close'], volume: ['#6'] });
    expect(() => parseMapSpec('px=Close')).toThrow(/unknown target column 'px'/);
    expect(() => parseMapSpec('close=A+B')).toThrow(/two joined by \+ only for ts/);
    expect(() => parseMapSpec('close')).toThrow(/expected target=SourceColumn/);
  });

  it('completes a map from aliases, pairs Date and Time, and names unmapped columns', () => {
    const { map, unmapped } = completeMap(['Date', 'Time', 'Open', 'High', 'Low', 'Close', 'Vol', 'OpenInterest', 'Extra'], {}, 'f');
    expect(map).toEqual({ ts: ['Date', 'Time'], open: ['Open'], high: ['High'], low: ['Low'], close: ['Close'], volume: ['Vol'], open_interest: ['OpenInterest'] });
    expect(unmapped).toEqual(['Extra']);
    expect(completeMap(['a', 'b', 'c'], { ts: ['#1'], close: ['#3'] }, 'f').map).toEqual({ ts: ['a'], close: ['c'] });
    expect(() => completeMap(['a'], { close: ['#4'] }, 'f.csv')).toThrow('f.csv: column #4 does not exist (the file has 1 columns)');
    expect(() => completeMap(['a'], { close: ['Nope'] }, 'f.csv')).toThrow("f.csv: no column 'Nope' (columns: a)");
    expect(snakeName('Optix_Close')).toBe('optix_close');
    expect(snakeName('Adj Close')).toBe('adj_close');
  });
});

describe('file names and formats', () => {
  it('reads symbols, intervals and presets from known naming schemes', () => {
    expect(hintsFromName('x/XRP_USDT_USDT-8h-funding_rate.feather')).toMatchObject({ symbol: 'XRPUSDT', interval: '8h', assetClass: 'crypto_perp', preset: 'freqtrade-funding' });
    expect(hintsFromName('ADA_BTC-5m.feather')).toMatchObject({ symbol: 'ADABTC', interval: '5m', assetClass: 'crypto_spot', preset: 'freqtrade' });
    expect(hintsFromName('BTCUSDT-15m-2024-03-01.csv')).toMatchObject({ symbol: 'BTCUSDT', interval: '15m', preset: 'binance-kline' });
    const f = hintsFromName('BTC-USDT_kucoin_2021-01-01_2024-01-01_funding_history.csv');
    expect(f).toMatchObject({ symbol: 'BTCUSDT', preset: 'funding-csv' });
    expect(f.facts.join(' ')).toContain('UTC+3');
    expect(hintsFromName('orcl-1995-2014.txt').symbol).toBe('ORCL');
    expect(hintsFromName('My Data (v2).csv').symbol).toBe('MY-DATA-V2');
  });

  it('reads NAME_INTERVAL / NAME-INTERVAL names, and only intervals edgelab knows', () => {
    expect(hintsFromName('/tmp/EURX_1d.csv')).toMatchObject({ symbol: 'EURX', interval: '1d' });
    expect(hintsFromName('aapl-1h.parquet')).toMatchObject({ symbol: 'AAPL', interval: '1h' });
    expect(hintsFromName('spy_1M.csv.gz')).toMatchObject({ symbol: 'SPY', interval: '1M' });
    expect(hintsFromName('spy_2m.csv')).toEqual({ symbol: 'SPY_2M', facts: [] }); // 2m is not an edgelab interval
    expect(hintsFromName('data_v2.csv')).toEqual({ symbol: 'DATA_V2', facts: [] });
    expect(hintsFromName('_1d.csv')).toEqual({ symbol: '_1D', facts: [] });
  });

  it('detects formats by magic bytes first', () => {
    expect(detectFormat(file('x.parquet', 'PAR1xxxx'))).toBe('parquet');
    expect(detectFormat(file('x.bin', 'ARROW1xx'))).toBe('feather');
    expect(detectFormat(file('x.json', '[[1,2]]'))).toBe('json');
    expect(detectFormat(file('x.txt', 'a,b\n1,2\n'))).toBe('csv');
  });

  it('detects intervals from the median step (daily data with weekends is 1d; months are 1M)', () => {
    const day = 86_400_000;
    const weekdays = Float64Array.from([0, 1, 2, 3, 4, 7, 8, 9, 10, 11].map((d) => Date.UTC(2024, 0, 1) + d * day));
    expect(detectInterval(weekdays).interval).toBe('1d');
    const months = Float64Array.from([0, 1, 2, 3].map((m) => Date.UTC(2024, m, 28)));
    expect(detectInterval(months).interval).toBe('1M');
    const twoDay = Float64Array.from([0, 2, 4, 6].map((d) => d * day));
    expect(detectInterval(twoDay)).toMatchObject({ interval: undefined, text: '2 days' });
    expect(detectInterval(new Float64Array(0)).text).toBe('unknown');
  });
});
