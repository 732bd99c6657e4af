/**
 * Must-show 5 of the paper-trading issue, through every venue adapter: one headless session with
 * fake keys in its environment runs a backtest (the results store) and a paper session on each of
 * binance, binanceusdm, kraken, krakenfutures and alpaca against fixtures on 127.0.0.1 that accept
 * those keys only as the real APIs do (Binance: X-MBX-APIKEY and its HMAC-SHA256 signature; Kraken:
 * API-Key and API-Sign; Kraken Futures: APIKey and Authent; Alpaca: the APCA-API-* headers), so
 * each session really sends its keys and places orders. Then every file under the data root (paper
 * logs, heads, checkpoints, the DuckDB file), every row of every table of the results store (read
 * through DuckDB, since its file may hold strings compressed), the transcript and the process
 * output are searched for each key and secret: plain, URL-encoded, base64, hex and, for Kraken's
 * base64 secrets, the decoded bytes. The promise is zero hits.
 *
 * The control: the same search over a copy of the logs with one key planted in a log line, and over
 * a results store with a key planted in a row, finds exactly those — so the search can fail.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { startAlpacaTradingFixture } from '../../fixtures/servers/alpaca-trading.js';
import { startBinanceTradingFixture } from '../../fixtures/servers/binance-trading.js';
import { startKrakenFuturesTradingFixture } from '../../fixtures/servers/krakenfutures-trading.js';
import { startKrakenTradingFixture } from '../../fixtures/servers/kraken-trading.js';
import type { TradingServer } from '../../fixtures/servers/trading-server.js';

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

const KEYS = {
  BINANCE_API_KEY: 'secretsBinanceKey5Hq9Wz2Xc7Vb',
  BINANCE_API_SECRET: 'secretsBinanceSecret8Lp3Mn6Rt1Yu',
  KRAKEN_API_KEY: 'secretsKrakenKey4Gf7Jk2Dm9Sa',
  KRAKEN_API_SECRET: Buffer.from('secretsKrakenRawSecret3Ow8Pe5Iu').toString('base64'),
  KRAKEN_FUTURES_API_KEY: 'secretsKrakenFuturesKey6Zx1Cv4Bn',
  KRAKEN_FUTURES_API_SECRET: Buffer.from('secretsKrakenFuturesRaw7Qa2Ws9Ed').toString('base64'),
  APCA_API_KEY_ID: 'PKSECRETSALPACA3N8M1K6J',
  APCA_API_SECRET_KEY: 'secretsAlpacaSecret/with+chars=42',
} as const;

/** Every form a key could be written in: as is, URL-encoded, base64, hex, and a base64 secret's decoded bytes. */
export function secretForms(secret: string): string[] {
  const forms = [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('hex')];
  const decoded = Buffer.from(secret, 'base64');
  if (decoded.length >= 16 && decoded.toString('base64') === secret) forms.push(decoded.toString('latin1'), decoded.toString('hex'));
  return [...new Set(forms)];
}

const filesUnder = (dir: string): string[] =>
  existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)])) : [];

/** Every row of every table of a DuckDB file, as text. */
async function duckdbText(path: string): Promise<string> {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  const conn = await instance.connect();
  try {
    const tables = (await conn.runAndReadAll("SELECT table_schema, table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'")).getRows();
    const parts: string[] = [];
    for (const [schema, table] of tables) {
      const rows = (await conn.runAndReadAll(`SELECT * FROM "${String(schema)}"."${String(table)}"`)).getRowObjectsJson();
      parts.push(`${String(table)}: ${JSON.stringify(rows)}`);
    }
    return parts.join('\n');
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** Where each secret turns up: files (bytes), DuckDB stores (rows) and texts. One hit per (place, secret). */
async function search(files: readonly string[], texts: Readonly<Record<string, string>>, secrets: readonly string[]): Promise<string[]> {
  const places: [string, string][] = Object.entries(texts);
  for (const f of files) {
    places.push([f, readFileSync(f).toString('latin1')]);
    if (f.endsWith('.duckdb')) places.push([`${f} (rows)`, await duckdbText(f)]);
  }
  const hits: string[] = [];
  for (const [place, body] of places) {
    for (const s of secrets) if (secretForms(s).some((form) => body.includes(form))) hits.push(`${place}: ${s.slice(0, 10)}…`);
  }
  return hits;
}

function runSession(dataRoot: string, script: string, transcript: string): Promise<string> {
  return new Promise((done) => {
    const p = spawn('node', [join(repo, 'bin/edgelab.js'), 'run', '-', '--transcript', transcript], {
      cwd: repo, env: { ...process.env, ...KEYS, EDGELAB_DATA_ROOT: dataRoot, HOME: resolve(dataRoot, '..') },
    });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    p.stdin.end(script);
    p.on('close', () => done(out));
  });
}

const servers: TradingServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

describe('venue paper sessions with fake keys leave no key in logs, transcripts, results or the data root', () => {
  it('five venues: keys reach each fixture, orders are placed, and the search finds nothing; a planted key is found', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'edgelab-venue-secrets-'));
    const dataRoot = join(dir, 'data');
    const binance = await startBinanceTradingFixture({ keys: { key: KEYS.BINANCE_API_KEY, secret: KEYS.BINANCE_API_SECRET } });
    const kraken = await startKrakenTradingFixture(undefined, { keys: { key: KEYS.KRAKEN_API_KEY, secret: KEYS.KRAKEN_API_SECRET } });
    const futures = await startKrakenFuturesTradingFixture({ keys: { key: KEYS.KRAKEN_FUTURES_API_KEY, secret: KEYS.KRAKEN_FUTURES_API_SECRET } });
    const alpaca = await startAlpacaTradingFixture({ keys: { key: KEYS.APCA_API_KEY_ID, secret: KEYS.APCA_API_SECRET_KEY }, prices: { SPY: 470 }, nextClose: '2099-01-01T21:00:00Z' });
    servers.push(binance.server, kraken.server, futures.server, alpaca.server);

    // a fast/slow pair of 2/3 bars changes its mind often, so each venue gets orders within the bars run
    const paper = (id: string, symbol: string, broker: string, url: string) =>
      `paper start sma_cross --symbol ${symbol} --params 'fast=2,slow=3' --id ${id} --broker ${broker} --base-url ${url} --speed max --bars 20`;
    const script = [
      'ingest synthetic --symbols BTCUSDT,XBTUSD,SPY --years 0.5',
      'backtest sma_cross --symbol SPY --interval 1d --skip-probes',
      paper('v-binance', 'BTCUSDT', 'binance', binance.server.baseUrl),
      paper('v-usdm', 'BTCUSDT', 'binanceusdm', binance.server.baseUrl),
      paper('v-kraken', 'XBTUSD', 'kraken', kraken.server.baseUrl),
      paper('v-kfut', 'XBTUSD', 'krakenfutures', futures.server.baseUrl),
      paper('v-alpaca', 'SPY', 'alpaca', alpaca.server.baseUrl),
      '',
    ].join('\n');
    const transcript = join(dir, 'session.jsonl');
    const out = await runSession(dataRoot, script, transcript);

    // the keys did reach the venues, signed as the real APIs want them, and orders were placed
    const reached = { binance: binance.verified(), kraken: kraken.verified(), krakenfutures: futures.verified(), alpaca: alpaca.verified() };
    for (const [venue, n] of Object.entries(reached)) expect(n, `${venue}: signed requests accepted\n${out}`).toBeGreaterThan(0);
    const placed = { binance: binance.spot.orders.length, binanceusdm: binance.futures.orders.length, kraken: kraken.venue.orders.length, krakenfutures: futures.venue.orders.length, alpaca: alpaca.venue.orders.length };
    for (const [venue, n] of Object.entries(placed)) expect(n, `${venue}: orders placed\n${out}`).toBeGreaterThan(0);

    const files = [...filesUnder(dataRoot), transcript];
    expect(files.some((f) => f.endsWith('.duckdb'))).toBe(true);
    expect(files.filter((f) => f.endsWith('orders.jsonl')).length).toBeGreaterThanOrEqual(5);
    expect(await search(files, { 'process output': out }, Object.values(KEYS))).toEqual([]);

    // control: a key planted in a log line and one planted in a results-store row are found
    const copy = join(dir, 'control');
    cpSync(dataRoot, copy, { recursive: true });
    const errorsLog = join(copy, 'paper', 'v-kfut', 'errors.jsonl'); // (a session's errors log; created if it had no line)
    appendFileSync(errorsLog, `${JSON.stringify({ kind: 'broker', message: `leaked ${KEYS.KRAKEN_FUTURES_API_KEY}` })}\n`);
    const db = filesUnder(copy).find((f) => f.endsWith('.duckdb'))!;
    const planted = await DuckDBInstance.create(db);
    const conn = await planted.connect();
    await conn.run(`CREATE TABLE leak AS SELECT '${Buffer.from(KEYS.APCA_API_SECRET_KEY).toString('hex')}' AS note`);
    conn.closeSync();
    planted.closeSync();
    const control = await search(filesUnder(copy), {}, Object.values(KEYS));
    expect(control).toContain(`${errorsLog}: ${KEYS.KRAKEN_FUTURES_API_KEY.slice(0, 10)}…`);
    expect(control).toContain(`${db} (rows): ${KEYS.APCA_API_SECRET_KEY.slice(0, 10)}…`);
  }, 300_000);
});

