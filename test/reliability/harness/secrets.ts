/**
 * The secrets scan: run a headless session with fake keys set against a fixture server on
 * 127.0.0.1 that echoes the request URL (key included) in its errors, then grep every file under
 * the data root, the transcript, the history file and the process output for each key (plain and
 * URL-encoded). Returns the hits; the promise is zero.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

export const FAKE_KEYS = {
  FRED_API_KEY: 'fredFAKEkey0123456789abcdefABCDEF',
  APCA_API_KEY_ID: 'PKFAKEALPACAKEYID0001',
  APCA_API_SECRET_KEY: 'fakeAlpacaSecret/with+chars=0123456789',
} as const;

export interface SecretsScan {
  readonly filesScanned: number;
  readonly hits: readonly string[];
  /** The fixture server saw the FRED key (so the scan is not vacuous). */
  readonly keyReachedServer: boolean;
  readonly output: string;
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

/** Grep `files` and `texts` for every secret (plain and URL-encoded); one hit per (place, secret). */
export function grepSecrets(files: readonly string[], texts: Readonly<Record<string, string>>, secrets: readonly string[]): string[] {
  const forms = secrets.flatMap((s) => [s, encodeURIComponent(s)]);
  const hits: string[] = [];
  for (const f of files) {
    if (!statSync(f).isFile()) continue;
    const body = readFileSync(f).toString('latin1');
    for (const s of forms) if (body.includes(s)) hits.push(`${f}: ${s.slice(0, 6)}…`);
  }
  for (const [name, body] of Object.entries(texts)) for (const s of forms) if (body.includes(s)) hits.push(`${name}: ${s.slice(0, 6)}…`);
  return hits;
}

/** Run the whole scan once (see the file comment). */
export async function runSecretsScan(): Promise<SecretsScan> {
  const dir = mkdtempSync(join(tmpdir(), 'edgelab-secrets-'));
  const root = join(dir, 'data');
  let keyReachedServer = false;
  const server = createServer((req, res) => {
    const url = `http://${req.headers.host}${req.url}`;
    if (req.url?.includes(FAKE_KEYS.FRED_API_KEY) || req.url?.includes(encodeURIComponent(FAKE_KEYS.FRED_API_KEY))) keyReachedServer = true;
    const echo = `${url} key=${req.headers['apca-api-key-id'] ?? ''} secret=${req.headers['apca-api-secret-key'] ?? ''}`;
    if (req.url?.includes('ECHO502')) {
      res.writeHead(502, { 'content-type': 'text/plain' }).end(`bad gateway for ${echo}`);
    } else {
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error_code: 400, error_message: `Bad Request. Variable api_key is not valid: ${echo}` }));
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as AddressInfo).port;
  const script = join(dir, 'secrets.edgelab');
  writeFileSync(
    script,
    [
      `config set network.fred.base_url http://127.0.0.1:${port}`,
      `config set network.alpaca.base_url http://127.0.0.1:${port}`,
      'config set network.retry.max_attempts 1',
      'ingest fred ECHO400 --start 2020-01-01 --end 2021-01-01   # expect-error',
      'ingest fred ECHO502 --start 2020-01-01 --end 2021-01-01   # expect-error',
      'ingest alpaca SPY --start 2020-01-01 --end 2020-02-01   # expect-error',
      'ingest synthetic --symbols SPY --years 1',
      'backtest sma_cross --symbol SPY --interval 1d',
      '',
    ].join('\n'),
  );
  const transcript = join(dir, 'secrets.jsonl');
  const output = await new Promise<string>((done) => {
    const p = spawn('node', [join(repo, 'bin', 'edgelab.js'), 'run', script, '--transcript', transcript], {
      cwd: dir,
      env: { ...process.env, ...FAKE_KEYS, EDGELAB_DATA_ROOT: root, HOME: dir },
    });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    p.on('close', () => done(out));
  });
  server.close();
  const files = [...filesUnder(dir)];
  const hits = grepSecrets(files, { 'process output': output }, Object.values(FAKE_KEYS));
  return { filesScanned: files.length, hits, keyReachedServer, output };
}
