/**
 * `ingest synthetic` (commands/ingest/synthetic.ts), called directly with a typed session and a
 * fake io, and once end to end through the shell's dispatcher.
 */
import { describe, expect, it } from 'vitest';
import { tmpdir } from 'node:os';
import cmd from '../../../commands/ingest/synthetic.js';
import { Session } from '../../../src/shell/session.js';
import type { CommandIO, Progress } from '../../../src/shell/command.js';
import { configSchema } from '../../../src/config/schema.js';
import { createShell } from '../../../src/shell/runtime.js';
import { UserError } from '../../../src/core/errors.js';
import { tableDigest, type Dataset } from '../../../src/core/table.js';
import type { GatesBlock, TableBlock, TextBlock } from '../../../src/core/result.js';
import { truthOf } from '../../../src/data/synthetic/index.js';
import { datasets } from './fixtures.js';

const SMALL = { start: '2021-01-01', years: 0.1, equityStart: '2020-06-01' };
const SMALL_CONFIG = { start: SMALL.start, years: SMALL.years, equity_start: SMALL.equityStart };

function fakeIo(): CommandIO & { progressed: Progress[] } {
  const progressed: Progress[] = [];
  return {
    signal: new AbortController().signal,
    progress: (p) => progressed.push(p),
    log: () => undefined,
    execute: () => Promise.reject(new Error('not used')),
    progressed,
  };
}

const session = (seed = 42): Session =>
  new Session({ config: configSchema.parse({ synthetic: SMALL_CONFIG }), seed, cwd: tmpdir(), root: tmpdir() });

const args = (raw: Record<string, unknown> = {}) => cmd.schema.parse(raw);

/** run() may throw synchronously; make every outcome a promise. */
const run = (s: Session, a: ReturnType<typeof args>, io: CommandIO = fakeIo()) => Promise.resolve().then(() => cmd.run(s, a, io));

describe('ingest synthetic', () => {
  it('adds every dataset to the session and answers with a summary, a dataset table and the planted edges', async () => {
    const s = session();
    const io = fakeIo();
    const r = await cmd.run(s, args(), io);
    expect(r.status).toBe('ok');
    // Macro series are gated too: 0.1 years from 2020-06 give MACRO:pmi fewer than 12 monthly values, so 15 of 16 are ready.
    expect(r.summary).toBe('16 datasets · 5 crypto 15m + funding · 2 ETF 1d/4h · 2 macro · 4 planted edges · seed 42 · 15/16 ready');
    expect(s.dataset('MACRO:pmi').gate?.gates.find((g) => g.name === 'values')?.pass).toBe(false);
    expect(s.dataset('MACRO:curve_slope').gate?.pass).toBe(true);
    expect((r.blocks[0] as TextBlock).text).toBe(r.summary);
    const t = r.blocks[1] as TableBlock;
    expect(t.columns).toEqual(['dataset', 'rows', 'from', 'to', 'digest']);
    expect(t.rows.length).toBe(16);
    expect(t.rows[0]).toEqual(['BTCUSDT:15m', 36 * 96, '2021-01-01 00:00', '2021-02-05 23:45', s.dataset('BTCUSDT:15m').digest.slice(0, 12)]);
    expect(t.rows.find((row) => row[0] === 'SPY:1d')![2]).toBe('2020-06-01');
    // Every dataset has a readiness gate; all pass but the too-short MACRO:pmi.
    const g = r.blocks[2] as GatesBlock;
    expect(g.kind).toBe('gates');
    expect(g.gates.map((x) => x.name)).toEqual((r.blocks[1] as TableBlock).rows.map((row) => row[0]));
    expect(g.gates.filter((x) => !x.pass).map((x) => x.name)).toEqual(['MACRO:pmi']);
    const e = r.blocks[3] as TableBlock;
    expect(e.columns).toEqual(['edge', 'trigger', 'horizon', 'size bps', 'events', 'datasets']);
    expect(e.rows.map((row) => [row[0], row[3], row[5]])).toEqual([
      ['funding_extreme_reversal', 50, 5],
      ['vol_compression_breakout', 20, 5],
      ['liquidation_exhaustion', 50, 5],
      ['equity_reversal', 30, 2],
    ]);
    // event counts in the table are the truth's
    const fundingEvents = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'BNBUSDT', 'XRPUSDT']
      .map((sym) => truthOf(s.dataset(`${sym}:15m`))!.events.funding_extreme_reversal!.length)
      .reduce((a, b) => a + b, 0);
    expect(e.rows[0]![4]).toBe(fundingEvents);
    expect(s.datasets.size).toBe(16);
    expect(io.progressed.length).toBeGreaterThan(0);
    // results are plain data: JSON round trip keeps them
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('uses the session seed by default, --seed overrides it, and the digests are those of the engine call', async () => {
    const s = session(7);
    await cmd.run(s, args({ symbols: 'ETHUSDT' }), fakeIo());
    const engine = datasets(7, { ...SMALL, symbols: ['ETHUSDT'] });
    expect(s.dataset('ETHUSDT:15m').digest).toBe(engine[0]!.digest);
    await cmd.run(s, args({ symbols: 'ETHUSDT', seed: 8 }), fakeIo());
    expect(s.dataset('ETHUSDT:15m').digest).toBe(datasets(8, { ...SMALL, symbols: ['ETHUSDT'] })[0]!.digest);
    expect(truthOf(s.dataset('ETHUSDT:15m'))!.seed).toBe(8);
  });

  it('--placebo records size-0 edges and says so; a rerun replaces the synthetic datasets of the same names', async () => {
    const s = session();
    await cmd.run(s, args({ symbols: 'BTCUSDT' }), fakeIo());
    const before = s.dataset('BTCUSDT:15m').digest;
    const r = await cmd.run(s, args({ symbols: 'BTCUSDT', placebo: true }), fakeIo());
    expect(r.summary).toContain('placebo: no planted edges');
    expect(s.dataset('BTCUSDT:15m').digest).not.toBe(before);
    expect(truthOf(s.dataset('BTCUSDT:15m'))!.edges.every((e) => e.sizeBps === 0)).toBe(true);
    expect((r.blocks[3] as TableBlock).rows.every((row) => row[3] === 0)).toBe(true);
    expect([...s.datasets.keys()]).toEqual(['BTCUSDT:15m', 'BTCUSDT:funding', 'MACRO:curve_slope', 'MACRO:pmi']);
  });

  it('refuses to overwrite a dataset that came from elsewhere, and reports bad symbols as user errors', async () => {
    const s = session();
    const table = { length: 0, columns: { ts: new Float64Array(0) } };
    const foreign: Dataset = { name: 'SPY:1d', kind: 'bars', stage: 'clean', source: 'file:spy.csv', table, digest: tableDigest(table) };
    s.addDataset(foreign);
    await expect(run(s, args({ symbols: 'SPY' }))).rejects.toThrow(/SPY:1d already loaded from file:spy.csv/);
    expect(s.dataset('SPY:1d')).toBe(foreign);
    expect(s.datasets.size).toBe(1);
    await expect(run(s, args({ symbols: 'BTC/USDT' }))).rejects.toThrow(UserError);
    await expect(run(s, args({ start: 'soon' }))).rejects.toThrow(/cannot read 'soon'/);
  });

  it('honours an aborted signal', async () => {
    const c = new AbortController();
    c.abort();
    await expect(run(session(), args(), { ...fakeIo(), signal: c.signal })).rejects.toThrow(/cancelled/);
  });

  it('with configs/base.yaml (what `npm start` loads) it produces the default market of the engine', async () => {
    const shell = await createShell({ cwd: tmpdir(), seed: 42 });
    const out = await shell.dispatcher.execute('ingest synthetic');
    expect(out.result.status).toBe('ok');
    expect(out.result.summary).toBe('16 datasets · 5 crypto 15m + funding · 2 ETF 1d/4h · 2 macro · 4 planted edges · seed 42 · 16/16 ready');
    const engine = datasets(42);
    expect([...shell.session.datasets.values()].map((d) => [d.name, d.digest])).toEqual(engine.map((d) => [d.name, d.digest]));
  });

  it('runs end to end through the dispatcher with kebab-case flags', async () => {
    const shell = await createShell({ config: configSchema.parse({}), cwd: tmpdir(), root: tmpdir(), seed: 3 });
    const out = await shell.dispatcher.execute('ingest synthetic --symbols SOLUSDT,QQQ --start 2022-03-01 --years 0.05 --equity-start 2022-01-03 --placebo');
    expect(out.result.status).toBe('ok');
    expect(out.result.summary).toBe('6 datasets · 1 crypto 15m + funding · 1 ETF 1d/4h · 2 macro · placebo: no planted edges · seed 3 · 5/6 ready');
    expect([...shell.session.datasets.keys()]).toEqual(['SOLUSDT:15m', 'SOLUSDT:funding', 'QQQ:1d', 'QQQ:4h', 'MACRO:curve_slope', 'MACRO:pmi']);
    const bad = await shell.dispatcher.execute('ingest synthetic --years -2');
    expect(bad.result.status).toBe('error');
  });
});
