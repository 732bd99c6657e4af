/**
 * Defect 7 of the reliability issue: `ingest synthetic --start` took a start any number of years
 * after the ETF history begins (a far --start asks for centuries of ETF, macro and regime bars) and
 * ran to the end after Ctrl+C. The span is bounded (40 years; --long allows 200), and a cancel
 * stops the generation between symbols with the session unchanged.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createShell } from '../../src/shell/runtime.js';
import { summaryOf } from '../../src/core/result.js';
import { generateSyntheticMarket, generateSyntheticMarketAsync } from '../../src/data/synthetic/index.js';
import { createRng } from '../../src/core/rng.js';
import { tableDigest } from '../../src/core/table.js';

const dir = mkdtempSync(join(tmpdir(), 'edgelab-synbounds-'));

describe('ingest synthetic: bounded range, honours cancel', () => {
  it('a start centuries after the equity start is refused naming the span and the flag', async () => {
    const sh = await createShell({ seed: 42, id: 'syn', cwd: dir });
    const r = await sh.dispatcher.execute('ingest synthetic --start 2400-01-01 --years 0.1 --symbols SPY');
    expect(r.result.status).toBe('error');
    // default equity start 2010-01-01; 2400-01-01 + 0.1 y = 36 days later
    expect(summaryOf(r.result)).toContain('the market would span 2010-01-01 .. 2400-02-06, more than 40 years (pass --long to allow up to 200)');
    expect(sh.session.datasets.has('SPY:1d')).toBe(false);
    const long = await sh.dispatcher.execute('ingest synthetic --start 2400-01-01 --years 0.1 --symbols SPY --long');
    expect(summaryOf(long.result)).toContain('more than 200 years');
    expect(summaryOf(long.result)).not.toContain('--long');
  });

  it('a span within the bound still runs (equity 2010 → 2050 is 40 years)', async () => {
    const sh = await createShell({ seed: 42, id: 'syn2', cwd: dir });
    const r = await sh.dispatcher.execute('ingest synthetic --start 2049-06-01 --years 0.5 --symbols SPY');
    expect(r.result.status).toBe('ok');
  });

  it('a cancel during generation stops it: status cancelled, no dataset added', async () => {
    const sh = await createShell({ seed: 42, id: 'syn3', cwd: dir });
    const ctl = new AbortController();
    const pending = sh.dispatcher.execute('ingest synthetic --symbols BTCUSDT,ETHUSDT,SOLUSDT,BNBUSDT,XRPUSDT --years 2', { signal: ctl.signal });
    setImmediate(() => ctl.abort());
    const r = await pending;
    expect(r.result.status).toBe('cancelled');
    expect([...sh.session.datasets.keys()].filter((k) => k.startsWith('BTCUSDT'))).toEqual([]);
  });

  it('after a cancel no further symbol is generated (the rng is never asked for its streams)', async () => {
    const asked: string[] = [];
    const ctl = new AbortController();
    const rng = (s: string) => {
      asked.push(s);
      return createRng(5, s);
    };
    const pending = generateSyntheticMarketAsync({ seed: 5, symbols: ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'], years: 0.2 }, rng, ctl.signal);
    setImmediate(() => ctl.abort());
    await expect(pending).rejects.toThrow('cancelled');
    expect(asked.some((s) => s.includes('SOLUSDT'))).toBe(false);
    // without the cancel every symbol draws from its own stream
    const all: string[] = [];
    generateSyntheticMarket({ seed: 5, symbols: ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'], years: 0.2 }, (s) => (all.push(s), createRng(5, s)));
    expect(all.some((s) => s.includes('SOLUSDT'))).toBe(true);
  });

  it('the stepped generator gives the same bytes as the one-shot one', async () => {
    const opts = { seed: 5, symbols: ['BTCUSDT', 'SPY'], years: 0.2, start: '2020-01-01', equityStart: '2019-06-01' };
    const rng = (s: string) => createRng(5, s);
    const a = generateSyntheticMarket(opts, rng);
    const b = await generateSyntheticMarketAsync(opts, rng);
    expect(b.tables.map((t) => tableDigest(t.table))).toEqual(a.tables.map((t) => tableDigest(t.table)));
  });
});
