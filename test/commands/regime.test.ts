/**
 * `regime` through the real dispatcher on the seeded synthetic market (the demo data): the status
 * block the TUI risk pane reads, the timeline series, time spent and returns per regime, the HMM
 * state table and confusion matrix, the session state the backtest reads, and one clear line for
 * bad specs and unknown symbols (must-show 4).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createShell, type Shell } from '../../src/shell/runtime.js';
import { configSchema } from '../../src/config/schema.js';
import type { MetricsBlock, SeriesBlock, StatusBlock, TableBlock, TextBlock } from '../../src/core/result.js';
import { getRegimeLookup, readRegimeState, REGIME_STATE_KEY } from '../../src/regime/index.js';
import { tableDigest, type Dataset } from '../../src/core/table.js';

let shell: Shell;
const run = (line: string) => shell.dispatcher.execute(line).then((e) => e.result);
const errorText = async (line: string): Promise<string> => {
  const r = await run(line);
  expect(r.status).toBe('error');
  return (r.blocks[0] as TextBlock).text;
};
const tables = (r: { blocks: readonly { kind: string }[] }) => r.blocks.filter((b): b is TableBlock => b.kind === 'table');

beforeAll(async () => {
  const config = configSchema.parse({ synthetic: { symbols: ['BTCUSDT', 'SPY'] } });
  shell = await createShell({ config, seed: 42 });
  expect((await run('ingest synthetic')).status).toBe('ok');
}, 60_000);

describe('regime command', () => {
  it('no datasets: every dimension neutral, said plainly (not an error)', async () => {
    const empty = await createShell({ config: configSchema.parse({}), seed: 42 });
    const r = (await empty.dispatcher.execute('regime')).result;
    expect(r.status).toBe('ok');
    expect(r.summary).toMatch(/no regime inputs are loaded/);
    const st = r.blocks.find((b): b is StatusBlock => b.kind === 'status')!;
    expect(st.fields.map((f) => `${f.name}=${f.value}`)).toEqual(['equity=NEUTRAL', 'vol=NORMAL', 'crypto=RISK_OFF', 'macro=EXPANSION']);
  });

  it('shows the latest snapshot, the coded timeline and time spent / returns per regime', async () => {
    const r = await run('regime');
    expect(r.status).toBe('ok');
    const st = r.blocks.find((b): b is StatusBlock => b.kind === 'status')!;
    expect(st.title).toBe('regime');
    expect(st.fields.map((f) => f.name)).toEqual(['equity', 'vol', 'crypto', 'macro']);
    const snap = Object.fromEntries(st.fields.map((f) => [f.name, f.value]));
    expect(r.summary).toBe(`regime ${snap['equity']} · vol ${snap['vol']} · crypto ${snap['crypto']} · macro ${snap['macro']}`);
    const s = r.blocks.find((b): b is SeriesBlock => b.kind === 'series')!;
    expect(s.pane).toBe('regime');
    expect(s.series.map((l) => l.name)).toEqual(['equity', 'vol', 'crypto', 'macro']);
    expect(s.x.length).toBeLessThanOrEqual(401);
    for (const line of s.series) for (const v of line.values) expect([0, 1, 2]).toContain(v);
    const [inputs, returns] = tables(r);
    expect(inputs!.rows.map((row) => [row[0], row[1], row[2]])).toEqual([
      ['equity', 'ok', 'SPY:1d'],
      ['vol', 'ok', 'SPY:1d'],
      ['crypto', 'ok', 'BTCUSDT:15m'],
      ['macro', 'ok', 'MACRO:pmi, MACRO:curve_slope'],
    ]);
    expect(returns!.title).toBe('time spent and next-day returns of SPY:1d per regime');
    // shares per dimension add up to 100 %
    for (const dim of ['equity', 'vol', 'crypto', 'macro']) {
      const share = returns!.rows.filter((row) => row[0] === dim).reduce((a, row) => a + (row[3] as number), 0);
      expect(share).toBeCloseTo(100, 0);
    }
  });

  it('stores the timeline in session.state; getRegimeLookup reuses it and agrees with the status block', async () => {
    await run('regime');
    const state = readRegimeState(shell.session)!;
    expect(shell.session.state.get(REGIME_STATE_KEY)).toBe(state);
    const lookup = getRegimeLookup(shell.session);
    expect(lookup).toBe(state.timeline.lookup);
    const last = lookup(Infinity);
    const r = await run('regime');
    const st = r.blocks.find((b): b is StatusBlock => b.kind === 'status')!;
    expect(st.fields.map((f) => f.value)).toEqual([last.equity, last.vol, last.crypto, last.macro]);
  });

  it('--hmm: state table, returns per state, confusion matrix vs the planted regimes, accuracy above chance', async () => {
    const r = await run('regime --hmm');
    expect(r.status).toBe('ok');
    const st = r.blocks.find((b): b is StatusBlock => b.kind === 'status')!;
    expect(st.fields.map((f) => f.name)).toEqual(['equity', 'vol', 'crypto', 'macro', 'hmm']);
    const states = tables(r).find((t) => t.title?.startsWith('HMM states of BTCUSDT:15m'))!;
    expect(states.rows.map((row) => row[1]).sort()).toEqual(['bear', 'bull', 'choppy', 'crash']);
    const conf = tables(r).find((t) => t.title?.startsWith('HMM filtered state vs planted regime'))!;
    expect(conf.columns).toEqual(['truth \\ filtered', 'bull', 'bear', 'choppy', 'crash', 'days', 'recall %']);
    const m = r.blocks.find((b): b is MetricsBlock => b.kind === 'metrics')!;
    const acc = m.items.find((i) => i.name === 'accuracy')!.value as number;
    const chance = m.items.find((i) => i.name.startsWith('chance'))!.value as number;
    expect(acc).toBeGreaterThan(chance + 0.2);
    expect(r.summary).toMatch(/accuracy \d+\.\d% vs chance \d+\.\d%$/);
    const p = r.blocks.filter((b): b is SeriesBlock => b.kind === 'series').find((b) => b.title.startsWith('HMM'))!;
    expect(p.series.map((l) => l.name)).toEqual(['P(bull)', 'P(choppy)', 'P(bear)', 'P(crash)']);
    expect(readRegimeState(shell.session)!.hmm).toBeDefined();
    expect(readRegimeState(shell.session)!.hmm!.timeline.fits.length).toBeGreaterThan(0);
  }, 30_000);

  it('--hmm --on SPY:1d --states 3 --fit expanding runs on daily bars', async () => {
    const r = await run('regime --hmm --on SPY:1d --states 3 --fit expanding');
    expect(r.status).toBe('ok');
    const states = tables(r).find((t) => t.title?.startsWith('HMM states of SPY:1d'))!;
    expect(states.rows.length).toBe(3);
    expect(states.title).toMatch(/expanding refits/);
  }, 60_000);

  it('bad specs and unknown symbols give one clear line', async () => {
    expect(await errorText('regime --on SPX')).toBe("regime: --on: no dataset or symbol 'SPX' with price bars; symbols with bars: BTCUSDT, SPY");
    expect(await errorText('regime --equity QQQ')).toBe("regime: --equity: no dataset or symbol 'QQQ' with price bars; symbols with bars: BTCUSDT, SPY");
    expect(await errorText('regime --hmm --states 1')).toBe('regime: --states: states must be a whole number from 2 to 8, got 1');
    expect(await errorText('regime --hmm --on MACRO:pmi')).toBe('regime: MACRO:pmi: is a series dataset; the regime engine needs price bars here');
    expect(await errorText('regime --fit sometimes')).toMatch(/--fit/);
    expect(await errorText('regime --states two')).toMatch(/--states/);
  });

  it('refuses an input whose readiness gate failed unless --force', async () => {
    const spy = shell.session.dataset('SPY:1d');
    const bad: Dataset = {
      ...spy,
      name: 'SPY:1d',
      gate: { pass: false, gates: [{ name: 'coverage', value: 0.5, threshold: '≥ 0.95', pass: false }], facts: {} },
      digest: tableDigest(spy.table) + '-gated',
    };
    shell.session.addDataset(bad);
    try {
      expect(await errorText('regime')).toBe('regime: SPY:1d: readiness gate failed: coverage 0.5 (needs ≥ 0.95); fix the data or pass --force');
      expect((await run('regime --force')).status).toBe('ok');
    } finally {
      shell.session.addDataset(spy);
    }
  });
});
