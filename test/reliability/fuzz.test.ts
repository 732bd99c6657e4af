/**
 * The fuzz harness (fast-check): command lines, config files, session scripts and input files
 * (CSV, JSON, Parquet headers). The promise under test: bad input gives a one-line answer — never
 * an internal error, never a stack trace — and the session stays alive. Case counts are CI-sized;
 * EDGELAB_FUZZ_SCALE multiplies them (`npm run stress` uses 10).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createShell } from '../../src/shell/runtime.js';
import { renderText } from '../../src/shell/render-text.js';
import { loadConfig } from '../../src/config/load.js';
import { parseScript } from '../../src/shell/script.js';
import { ingestFile } from '../../src/data/files/ingest.js';
import { UserError } from '../../src/core/errors.js';
import { recordFigures } from './harness/figures.js';

const scale = Number(process.env['EDGELAB_FUZZ_SCALE'] ?? 1);
const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const dir = mkdtempSync(join(tmpdir(), 'edgelab-fuzz-'));
const BAD = /internal error|\n\s+at |Maximum call stack|TypeError|ReferenceError/;

// Commands that stay on this machine and finish quickly (no network sources, no `exit`).
const COMMANDS = ['datasets', 'show', 'seed', 'config', 'config set', 'config show', 'help', 'history', 'features', 'clean', 'gate', 'export', 'runs', 'run', 'save'];
const FLAGS = ['--rows', '--tail', '--symbol', '--on', '--to', '--force', '--constructor', '--__proto__', '--to-string', '--keep-going', '--db', '--since', '--=', '--', '---x', '--rows=-1', '--rows=1e999'];
const WORDS = ['SPY:1d', 'raw:X:1d', 'BTCUSDT:15m', 'funding', 'sma:50', 'rsi:-1', 'daily:sma:0', 'backtest.risk.max_gross', 'session.seed', '__proto__', 'constructor', 'None', 'NaN', '0x1F', '1e309', '-0', '""', "'", '"', '\\', '/dev/null', '/etc/passwd', `${dir}/x.csv`, '💥', '\u0000', '%s%n'];

const word = fc.oneof(fc.constantFrom(...FLAGS), fc.constantFrom(...WORDS), fc.string({ maxLength: 12 }), fc.integer().map(String));
const line = fc.tuple(fc.constantFrom(...COMMANDS), fc.array(word, { maxLength: 5 })).map(([c, ws]) => [c, ...ws].join(' '));

describe('fuzz: nothing hostile reaches an internal error', () => {
  it('command lines: one-line answers, the session alive afterwards', async () => {
    const sh = await createShell({ seed: 42, id: 'fuzz', cwd: dir });
    await sh.dispatcher.execute('ingest synthetic --symbols SPY --years 0.5');
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(line, async (l) => {
        cases++;
        const r = await sh.dispatcher.execute(l);
        const shown = renderText(r.result);
        if (BAD.test(shown)) throw new Error(`'${l}' → ${shown.slice(0, 300)}`);
        return r.exit === false;
      }),
      { numRuns: 300 * scale, seed: 13 },
    );
    expect((await sh.dispatcher.execute('seed')).result.status).toBe('ok');
    expect(Object.prototype).not.toHaveProperty('polluted');
    recordFigures('fuzz-command-lines', { fuzzCases: cases });
  }, 600_000);

  it('config files: a bad overlay is a UserError naming the key, never anything else', () => {
    let cases = 0;
    const base = join(repo, 'configs', 'base.yaml');
    const value = fc.oneof(fc.string({ maxLength: 8 }), fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.constantFrom('None', '.nan', '~', '[1, 2', '{a: 1'));
    const keys = fc.constantFrom('session', 'backtest', 'data', 'network', 'synthetic', 'risk', '__proto__', 'constructor', 'seed', 'max_gross');
    const doc = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.tuple(keys, keys, value).map(([a, b, v]) => `${a}:\n  ${b}: ${typeof v === 'string' ? v : JSON.stringify(v)}\n`),
    );
    fc.assert(
      fc.property(doc, (text) => {
        cases++;
        const p = join(dir, 'overlay.yaml');
        writeFileSync(p, text);
        try {
          loadConfig(base, [p]);
        } catch (err) {
          if (!(err instanceof UserError)) throw new Error(`overlay ${JSON.stringify(text)} → ${String(err)}`);
          if (BAD.test(err.message)) throw new Error(`overlay ${JSON.stringify(text)} → ${err.message}`);
        }
      }),
      { numRuns: 200 * scale, seed: 13 },
    );
    recordFigures('fuzz-config-files', { fuzzCases: cases });
  });

  it('session scripts: any text parses into lines; run answers in one line', async () => {
    const sh = await createShell({ seed: 42, id: 'fuzz-scripts', cwd: dir });
    let cases = 0;
    const text = fc.array(fc.oneof(line, fc.string({ maxLength: 20 }), fc.constant('# expect-error'), fc.constant(`run ${dir}/s.edgelab`)), { maxLength: 6 }).map((ls) => ls.join('\n'));
    await fc.assert(
      fc.asyncProperty(text, async (src) => {
        cases++;
        parseScript(src);
        writeFileSync(join(dir, 's.edgelab'), src);
        const r = await sh.dispatcher.execute(`run ${dir}/s.edgelab --keep-going`);
        const shown = renderText(r.result);
        if (BAD.test(shown)) throw new Error(`script ${JSON.stringify(src)} → ${shown.slice(0, 300)}`);
      }),
      { numRuns: 60 * scale, seed: 13 },
    );
    expect((await sh.dispatcher.execute('seed')).result.status).toBe('ok');
    recordFigures('fuzz-session-scripts', { fuzzCases: cases });
  }, 600_000);

  it('input files (CSV, JSON, Parquet headers): read or refused with a UserError', async () => {
    let cases = 0;
    const cell = fc.oneof(fc.constantFrom('2024-01-02', '1704153600000', 'NaN', '', '1e999', '-1', '"', 'null', '[1,2]'), fc.double().map(String), fc.string({ maxLength: 6 }));
    const csv = fc
      .tuple(fc.constantFrom('Date,Open,High,Low,Close,Volume', 'ts,close', 'a;b;c', '', 'timestamp,open,high,low,close,volume,list'), fc.array(fc.array(cell, { maxLength: 7 }), { maxLength: 12 }))
      .map(([h, rows]) => ({ name: 'f.csv', body: `${h}\n${rows.map((r) => r.join(',')).join('\n')}` }));
    const json = fc.oneof(fc.json(), fc.string({ maxLength: 40 })).map((j) => ({ name: 'f.json', body: j }));
    const parquet = fc.uint8Array({ maxLength: 64 }).map((b) => ({ name: 'f.parquet', body: Buffer.concat([Buffer.from('PAR1'), Buffer.from(b)]) }));
    await fc.assert(
      fc.asyncProperty(fc.oneof(csv, json, parquet), async (f) => {
        cases++;
        const p = join(dir, f.name);
        writeFileSync(p, f.body);
        try {
          await ingestFile(p, join(dir, 'lake'), { symbol: 'FUZZ' });
        } catch (err) {
          if (!(err instanceof UserError)) throw new Error(`${f.name} ${JSON.stringify(String(f.body).slice(0, 120))} → ${String(err)}`);
        }
      }),
      { numRuns: 120 * scale, seed: 13 },
    );
    recordFigures('fuzz-input-files', { fuzzCases: cases });
  }, 600_000);
});
