import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { defineCommand, type AnyCommand } from '../../src/shell/command.js';
import { Session } from '../../src/shell/session.js';
import { configSchema } from '../../src/config/schema.js';
import type { Dataset } from '../../src/core/table.js';
import { ok } from '../../src/core/result.js';
import {
  complete,
  applyCompletion,
  commonPrefix,
  configKeys,
  tokenize,
  toKebab,
  type CompletionRegistry,
} from '../../src/shell/complete.js';

const run = () => ok('x', []);
const cmd = (def: Omit<Parameters<typeof defineCommand>[0], 'run'>): AnyCommand =>
  defineCommand({ ...def, run }) as unknown as AnyCommand;

const help = cmd({
  name: 'help',
  summary: 'help',
  positional: ['topic'],
  schema: z.object({ topic: z.string().optional().describe('command') }),
  completion: { topic: 'command' },
});
const history = cmd({ name: 'history', summary: 'h', schema: z.object({}) });
const show = cmd({
  name: 'show',
  summary: 'show a dataset',
  positional: ['dataset'],
  schema: z.object({
    dataset: z.string().describe('dataset'),
    rows: z.coerce.number().default(10).describe('rows'),
    symbol: z.string().optional().describe('symbol'),
    tail: z.boolean().default(false).describe('last rows'),
    fillMode: z.enum(['ffill', 'none']).default('none').describe('fill'),
  }),
  completion: { dataset: 'dataset', symbol: 'symbol' },
});
const config = cmd({
  name: 'config',
  summary: 'config',
  positional: ['action', 'key'],
  schema: z.object({ action: z.string().describe('a'), key: z.string().optional().describe('k') }),
  completion: { action: ['get', 'set', 'show'], key: 'config' },
});
const run_ = cmd({
  name: 'run',
  summary: 'run a script',
  positional: ['files'],
  schema: z.object({ files: z.array(z.string()).describe('files') }),
  completion: { files: 'path' },
});
const ingest = cmd({ name: 'ingest', summary: 'ingest', positional: ['source'], subcommands: true, schema: z.object({ source: z.string().describe('s') }) });
const synthetic = cmd({
  name: 'synthetic',
  summary: 'synthetic data',
  schema: z.object({ seed: z.coerce.number().optional().describe('seed'), bars: z.coerce.number().optional().describe('bars') }),
});
const csv = cmd({
  name: 'csv',
  summary: 'csv',
  positional: ['file'],
  schema: z.object({ file: z.string().describe('file'), symbol: z.string().describe('symbol') }),
  completion: { file: 'path', symbol: 'symbol' },
});

const registry: CompletionRegistry = {
  commands: new Map([help, history, show, config, run_, ingest].map((c) => [c.name, c])),
  subcommands: (name) => (name === 'ingest' ? new Map([['csv', csv], ['synthetic', synthetic]]) : undefined),
};

let dir: string;
let session: Session;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'edgelab-complete-'));
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'data', 'btc.csv'), '');
  writeFileSync(join(dir, 'data', 'btc.parquet'), '');
  writeFileSync(join(dir, 'demo.edgelab'), '');
  writeFileSync(join(dir, '.hidden'), '');
  session = new Session({ config: configSchema.parse({}), cwd: dir });
  for (const [name, symbol] of [['BTCUSDT:15m', 'BTCUSDT'], ['BTCUSDT:funding', 'BTCUSDT'], ['SPY:1d', 'SPY'], ['MACRO:pmi', undefined]] as const) {
    session.addDataset({ name, symbol, kind: 'bars', stage: 'clean', source: 'synthetic' } as unknown as Dataset);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const c = (line: string) => complete(registry, session, line);

describe('tokenize', () => {
  it('records starts and opens an empty token after a trailing space', () => {
    expect(tokenize('show  SPY ')).toEqual([
      { text: 'show', start: 0 },
      { text: 'SPY', start: 6 },
      { text: '', start: 10 },
    ]);
    expect(tokenize('')).toEqual([{ text: '', start: 0 }]);
  });
});

describe('complete', () => {
  it('completes command names by prefix', () => {
    expect(c('hel')).toEqual({ start: 0, candidates: ['help'] });
    expect(c('h')).toEqual({ start: 0, candidates: ['help', 'history'] });
    expect(c('')).toEqual({ start: 0, candidates: ['config', 'help', 'history', 'ingest', 'run', 'show'] });
    expect(c('zz').candidates).toEqual([]);
  });
  it('falls back to case-insensitive matching', () => {
    expect(c('HEL').candidates).toEqual(['help']);
    expect(c('show spy').candidates).toEqual(['SPY:1d']);
  });
  it('completes subcommand names, then the subcommand flags', () => {
    expect(c('ingest ')).toEqual({ start: 7, candidates: ['csv', 'synthetic'] });
    expect(c('ingest sy')).toEqual({ start: 7, candidates: ['synthetic'] });
    expect(c('ingest synthetic --')).toEqual({ start: 17, candidates: ['--bars', '--help', '--seed'] });
    expect(c('ingest nope --').candidates).toEqual([]);
  });
  it('completes --kebab-case flags from schema keys and --help, skipping positional and given ones', () => {
    expect(c('show SPY:1d --')).toEqual({ start: 12, candidates: ['--fill-mode', '--help', '--rows', '--symbol', '--tail'] });
    expect(c('show SPY:1d --rows 5 --t').candidates).toEqual(['--tail']);
    expect(c('show SPY:1d --rows 5 --').candidates).toEqual(['--fill-mode', '--help', '--symbol', '--tail']);
    expect(c('show SPY:1d --rows=5 --help --').candidates).toEqual(['--fill-mode', '--symbol', '--tail']);
  });
  it('completes dataset names in positional slots', () => {
    expect(c('show BTC')).toEqual({ start: 5, candidates: ['BTCUSDT:15m', 'BTCUSDT:funding'] });
    expect(c('show ').candidates).toEqual(['BTCUSDT:15m', 'BTCUSDT:funding', 'MACRO:pmi', 'SPY:1d']);
  });
  it('completes symbols after a flag, also in --flag=value form', () => {
    expect(c('show SPY:1d --symbol ')).toEqual({ start: 21, candidates: ['BTCUSDT', 'SPY'] });
    expect(c('show SPY:1d --symbol=S')).toEqual({ start: 21, candidates: ['SPY'] });
  });
  it('completes zod enum values when no source is named', () => {
    expect(c('show SPY:1d --fill-mode ').candidates).toEqual(['ffill', 'none']);
  });
  it('does not treat the word after a boolean switch as its value', () => {
    expect(c('show --tail SP').candidates).toEqual(['SPY:1d']);
  });
  it('offers nothing past the last positional slot or after an unknown command', () => {
    expect(c('show SPY:1d ').candidates).toEqual([]);
    expect(c('nope ').candidates).toEqual([]);
    expect(c('history ').candidates).toEqual([]);
  });
  it('completes command names, fixed lists and dotted config keys', () => {
    expect(c('help hi').candidates).toEqual(['history']);
    expect(c('config s').candidates).toEqual(['set', 'show']);
    expect(c('config get session.h').candidates).toEqual(['session.history_file']);
    expect(c('config get sess').candidates).toEqual(['session', 'session.history_file', 'session.lake_dir', 'session.results_db', 'session.seed']);
  });
  it('completes paths from the filesystem, relative to the session cwd, directories with a slash', () => {
    expect(c('run ').candidates).toEqual(['data/', 'demo.edgelab']);
    expect(c('run d').candidates).toEqual(['data/', 'demo.edgelab']);
    expect(c('run data/btc.')).toEqual({ start: 4, candidates: ['data/btc.csv', 'data/btc.parquet'] });
    expect(c('run .h').candidates).toEqual(['.hidden']);
    expect(c('run nothere/').candidates).toEqual([]);
    // an array positional keeps taking values
    expect(c('run demo.edgelab data/btc.c').candidates).toEqual(['data/btc.csv']);
    expect(c(`ingest csv ${dir}/data/btc.p`).candidates).toEqual([`${dir}/data/btc.parquet`]);
  });
});

describe('applyCompletion', () => {
  it('replaces the token with a single candidate and adds a space', () => {
    expect(applyCompletion('hel', c('hel'))).toEqual({ line: 'help ', ambiguous: [] });
    expect(applyCompletion('run d', c('run d'))).toEqual({ line: 'run d', ambiguous: ['data/', 'demo.edgelab'] });
    expect(applyCompletion('run da', c('run da'))).toEqual({ line: 'run data/', ambiguous: [] });
    expect(applyCompletion('run data/btc.c', c('run data/btc.c'))).toEqual({ line: 'run data/btc.csv ', ambiguous: [] });
  });
  it('extends to the common prefix and lists the choices when ambiguous', () => {
    expect(applyCompletion('show B', c('show B'))).toEqual({ line: 'show BTCUSDT:', ambiguous: ['BTCUSDT:15m', 'BTCUSDT:funding'] });
    expect(applyCompletion('show bt', c('show bt')).line).toBe('show BTCUSDT:');
  });
  it('leaves the line alone when nothing matches', () => {
    expect(applyCompletion('zz', c('zz'))).toEqual({ line: 'zz', ambiguous: [] });
  });
});

describe('helpers', () => {
  it('commonPrefix', () => {
    expect(commonPrefix([])).toBe('');
    expect(commonPrefix(['abc', 'abd', 'ab'])).toBe('ab');
    expect(commonPrefix(['x', 'y'])).toBe('');
  });
  it('toKebab and configKeys', () => {
    expect(toKebab('maxGrossLeverage')).toBe('max-gross-leverage');
    expect(configKeys({ a: { b: 1, c: { d: [1] } }, e: 2 })).toEqual(['a', 'a.b', 'a.c', 'a.c.d', 'e']);
  });
});
