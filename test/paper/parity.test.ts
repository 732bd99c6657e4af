/**
 * Must-show 1 (parity): a paper session replaying history gives exactly the backtest's trades over
 * the same bars. The paper loop (paper/loop.ts: replay clock, PaperBroker, per-bar commits and logs)
 * runs the demo portfolio and single models; `backtest` (run-backtest.ts, which takes the single-asset
 * fast path — its own implementation — where it can) runs the same plan. Compared: every round-trip
 * trade, every fill and order, the NAV series bytes, and the logs' own trades and fills, read back
 * from the JSON-lines files.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runBacktestReport } from '../../src/backtest/run-backtest.js';
import { resultDigest } from '../../src/backtest/engine-digest.js';
import { PaperLoop } from '../../src/paper/loop.js';
import { paperPaths } from '../../src/paper/files.js';
import { planOf, type PaperSpec } from '../../src/paper/spec.js';
import type { BacktestResult } from '../../src/backtest/types.js';
import { specOf, syntheticData, tempRoot, virtualScheduler } from './helpers.js';

const readLines = <T,>(path: string): T[] => readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as T);

async function paperThenBacktest(spec: PaperSpec): Promise<{ paper: BacktestResult; backtest: BacktestResult; root: string }> {
  const data = syntheticData();
  const root = tempRoot();
  const out = await PaperLoop.create(spec, root, data).run({ scheduler: virtualScheduler() });
  expect(out.head.status).toBe('finished');
  expect(out.result).not.toBeNull();
  const report = await runBacktestReport(planOf(spec), data, { probes: false });
  return { paper: out.result!, backtest: report.result, root };
}

function expectSameTrades(paper: BacktestResult, backtest: BacktestResult): void {
  expect(paper.trades.length).toBeGreaterThan(0);
  expect(paper.trades).toEqual(backtest.trades);
  expect(paper.fills).toEqual(backtest.fills);
  expect(paper.orders).toEqual(backtest.orders);
  expect(Buffer.from(paper.nav.buffer, paper.nav.byteOffset, paper.nav.byteLength).equals(Buffer.from(backtest.nav.buffer, backtest.nav.byteOffset, backtest.nav.byteLength))).toBe(true);
  expect(resultDigest(paper)).toBe(resultDigest(backtest));
}

describe('paper replay = backtest over the same bars', () => {
  it('the demo portfolio: trades, fills, orders and NAV; the logs hold the same trades and fills', async () => {
    const spec = specOf('parity-portfolio');
    const { paper, backtest, root } = await paperThenBacktest(spec);
    expectSameTrades(paper, backtest);
    const logs = paperPaths(root, spec.id).logs;
    const closed = backtest.trades.filter((t) => t.exitTs !== null);
    expect(readLines(logs.trades)).toEqual(closed);
    const fills = readLines<{ kind: string }>(logs.orders).filter((r) => r.kind === 'fill').map(({ kind: _k, ...f }) => f);
    expect(fills).toEqual(backtest.fills);
    const perf = readLines<{ nav: number }>(logs.performance);
    expect(perf.length).toBe(backtest.nav.length);
    expect(perf.map((p) => p.nav)).toEqual(Array.from(backtest.nav));
  }, 120_000);

  it('one model over a --from/--to window (the backtest on its fast path)', async () => {
    const spec = specOf('parity-sma', { model: 'sma_cross', params: { symbol: 'BTCUSDT', fast: 10, slow: 40 }, from: '2021-03-01T00:00:00.000Z', to: '2021-09-01T00:00:00.000Z' });
    const { paper, backtest } = await paperThenBacktest(spec);
    expectSameTrades(paper, backtest);
    expect(paper.ts[0]).toBeGreaterThanOrEqual(Date.parse('2021-03-01'));
    expect(paper.ts[paper.ts.length - 1]).toBeLessThanOrEqual(Date.parse('2021-09-01'));
  }, 120_000);

  it('a paced replay (speed 3600: an hour of bars per second, on a virtual clock) gives the same trades', async () => {
    const spec = specOf('parity-paced', { model: 'vol_compression_v1', params: { symbol: 'ETHUSDT' }, speed: 3600, from: '2021-06-01T00:00:00.000Z', to: '2021-07-15T00:00:00.000Z' });
    const { paper, backtest } = await paperThenBacktest(spec);
    expectSameTrades(paper, backtest);
  }, 120_000);
});
