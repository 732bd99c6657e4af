/**
 * Paper loop workload (issue 17, must-show 6): the demo portfolio on the demo data (`ingest
 * synthetic`), the whole replay at --speed max, in bars per second:
 *   - baseline: the backtest of the same plan over the same bars (`runBacktestReport`, probes off);
 *   - the paper loop (replay clock, PaperBroker, per-bar commit record and logs, checkpoints every
 *     500 bars) without a dashboard;
 *   - the same with the dashboard attached in the same thread: every 250 ms it reads the session's
 *     files (DashSource) and renders a 120×40 frame (PaperDash through Ink's renderToString), as
 *     `paper dash` does at its refresh rate.
 * The paper runs are checked against the backtest (same result digest) before they count.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import React from 'react';
import { renderToString } from 'ink';
import { createShell } from '../src/shell/runtime.js';
import { wallScheduler } from '../src/shell/wall-clock.js';
import { portfolioPlan } from '../src/backtest/run-backtest-plan.js';
import { runBacktestReport } from '../src/backtest/run-backtest.js';
import { resultDigest } from '../src/backtest/engine-digest.js';
import { PaperLoop } from '../src/paper/loop.js';
import { PAPER_SPEC_FORMAT, type PaperSpec } from '../src/paper/spec.js';
import { DashSource } from '../src/tui/paper/dash-data.js';
import { PaperDash } from '../src/tui/paper/PaperDash.js';
import type { BenchFigure, BenchWorkload } from './types.js';
import { createRng } from '../src/core/rng.js';
import { tableDigest, type BarFrame, type Dataset } from '../src/core/table.js';
import { generateSyntheticMarket, toDatasets } from '../src/data/synthetic/index.js';
import { prepareBacktest } from '../src/backtest/run-backtest.js';
import { prepareRun } from '../src/backtest/engine-setup.js';
import { HistoricalClock } from '../src/engine/clock.js';
import { appendBars, type NewBar } from '../src/engine/grow.js';
import { Trader } from '../src/engine/trader.js';
import { planOf } from '../src/paper/spec.js';
import { loadConfig } from '../src/config/load.js';

async function paperRun(spec: PaperSpec, root: string, datasets: Parameters<typeof PaperLoop.create>[2], dash: boolean): Promise<{ ms: number; bars: number; digest: string; frames: number }> {
  const loop = PaperLoop.create(spec, root, datasets);
  let frames = 0;
  const source = new DashSource(root, spec.id);
  const timer = dash
    ? setInterval(() => {
        const data = source.read();
        renderToString(React.createElement(PaperDash, { data, width: 120, height: 40, now: Date.now() }), { columns: 120 });
        frames++;
      }, 250)
    : undefined;
  const t0 = performance.now();
  const out = await loop.run({ scheduler: wallScheduler });
  const ms = performance.now() - t0;
  if (timer) clearInterval(timer);
  if (!out.result) throw new Error(`paper run ${spec.id} did not finish: ${out.head.status}`);
  return { ms, bars: out.head.bars, digest: resultDigest(out.result), frames };
}

const OHLCV = ['ts', 'open', 'high', 'low', 'close', 'volume'] as const;

/** sma_cross on BTCUSDT 4h of a 6-year synthetic market, its data cut to the first `n` bars (OHLCV, as a live session's). */
function liveGrowth(): { traderOver(n: number): Trader; bar(j: number): NewBar; total: number } {
  const config = loadConfig(join(fileURLToPath(new URL('.', import.meta.url)), '../..', 'configs/base.yaml')).config;
  const market = new Map(toDatasets(generateSyntheticMarket({ seed: 7, start: '2015-01-01', years: 6, equityStart: '2015-01-01' }, (s) => createRng(7, s))).map((d) => [d.name, d] as const));
  const spec: PaperSpec = { format: PAPER_SPEC_FORMAT, id: 'bench-live', model: 'sma_cross', params: { symbol: 'BTCUSDT', fast: 10, slow: 40 }, mode: 'live', from: null, to: null, speed: null, broker: 'sim', seed: 7, config };
  const { input } = prepareBacktest(planOf(spec), market, false, (m) => m);
  const sym = input.symbols[0]!;
  const cols = sym.bars.columns;
  const traderOver = (n: number): Trader => {
    const columns = Object.fromEntries(OHLCV.map((k) => [k, Float64Array.from(cols[k].subarray(0, n))]));
    const table = { length: n, columns } as unknown as BarFrame;
    const data = new Map(market);
    const ds: Dataset = { name: sym.dataset, kind: 'bars', stage: 'derived', symbol: sym.symbol, interval: sym.interval, assetClass: sym.assetClass, source: 'bench', table, digest: tableDigest(table) };
    data.set(sym.dataset, ds);
    const { input: cut } = prepareBacktest(planOf(spec), data, false, (m) => m);
    return new Trader(cut, prepareRun(cut));
  };
  const bar = (j: number): NewBar => ({ symbol: sym.symbol, ts: cols.ts[j]!, open: cols.open[j]!, high: cols.high[j]!, low: cols.low[j]!, close: cols.close[j]!, volume: cols.volume[j]! });
  return { traderOver, bar, total: sym.bars.length };
}

function stepTo(trader: Trader, last: number): void {
  const { times, offset } = trader.prep.clock;
  const clock = new HistoricalClock(times, offset, trader.progress.lastStep + 1, last);
  for (let e = clock.next(); e !== null; e = clock.next()) trader.step(e);
}

/**
 * A live session's cost per new bar at two session lengths: the Trader grown in place (append one
 * bar, step once) against the way before it (build a Trader over the grown data, re-step every
 * bar) — milliseconds per bar, measured in the same run.
 */
async function liveGrowthFigures(): Promise<BenchFigure[]> {
  const g = liveGrowth();
  const lengths = [2_000, Math.min(8_000, g.total - 2_100)] as const;
  const out: BenchFigure[] = [];
  const perBar: number[] = [];
  const rebuild: number[] = [];
  // warm-up (JIT) before either length is measured
  const warm = g.traderOver(lengths[0]);
  stepTo(warm, warm.prep.kEnd);
  for (let j = lengths[0]; j < lengths[0] + 300; j++) stepTo(warm, appendBars(warm, [g.bar(j)]));
  for (const n of lengths) {
    const trader = g.traderOver(n);
    stepTo(trader, trader.prep.kEnd);
    const newBars = 2_000;
    const t0 = performance.now();
    for (let j = n; j < n + newBars; j++) stepTo(trader, appendBars(trader, [g.bar(j)]));
    perBar.push((performance.now() - t0) / newBars);
    const rebuilds = 5;
    const t1 = performance.now();
    for (let j = n; j < n + rebuilds; j++) {
      const fresh = g.traderOver(j + 1);
      stepTo(fresh, fresh.prep.kEnd);
    }
    rebuild.push((performance.now() - t1) / rebuilds);
  }
  lengths.forEach((n, i) => {
    out.push({ name: `grown in place, ${n} bars in the session`, value: Number(perBar[i]!.toFixed(4)), unit: 'ms/bar' });
    out.push({ name: `rebuilt and re-stepped (before), ${n} bars`, value: Number(rebuild[i]!.toFixed(3)), unit: 'ms/bar' });
  });
  out.push({ name: `in place: ${lengths[1]} / ${lengths[0]} bars per-bar cost`, value: Number((perBar[1]! / perBar[0]!).toFixed(2)), unit: 'x' });
  out.push({ name: `rebuild: ${lengths[1]} / ${lengths[0]} bars per-bar cost`, value: Number((rebuild[1]! / rebuild[0]!).toFixed(2)), unit: 'x' });
  out.push({ name: `in place / rebuild at ${lengths[1]} bars`, value: Number((perBar[1]! / rebuild[1]!).toPrecision(3)), unit: 'x' });
  return out;
}

export const workloads: BenchWorkload[] = [
  {
    name: 'paper-live-growth',
    description: 'live feed: cost per new bar of the Trader grown in place vs rebuilt and re-stepped, at two session lengths',
    run: liveGrowthFigures,
  },
  {
    name: 'paper-loop-demo-portfolio',
    description: 'paper loop at --speed max on the demo portfolio, bars/s with and without the dashboard, against the backtest of the same bars',
    async run(): Promise<BenchFigure[]> {
      const root = mkdtempSync(join(tmpdir(), 'edgelab-bench-paper-'));
      const { session, dispatcher } = await createShell({ dataRoot: root });
      await dispatcher.execute('ingest synthetic');
      const plan = portfolioPlan(session.config);
      const t0 = performance.now();
      const report = await runBacktestReport(plan, session.datasets, { probes: false });
      const backtestMs = performance.now() - t0;
      const bars = report.result.nav.length;
      const spec = (id: string): PaperSpec => ({ format: PAPER_SPEC_FORMAT, id, model: null, params: {}, mode: 'replay', from: null, to: null, speed: null, broker: 'sim', seed: session.seed, config: session.config });
      const plain = await paperRun(spec('bench-plain'), root, session.datasets, false);
      const withDash = await paperRun(spec('bench-dash'), root, session.datasets, true);
      const want = resultDigest(report.result);
      for (const r of [plain, withDash]) if (r.digest !== want || r.bars !== bars) throw new Error(`paper run differs from the backtest (${r.digest} vs ${want}, ${r.bars} vs ${bars} bars)`);
      const rate = (ms: number): number => Math.round((bars / ms) * 1000);
      return [
        { name: 'bars', value: bars, unit: 'bars' },
        { name: 'backtest (baseline)', value: rate(backtestMs), unit: 'bars/s' },
        { name: 'paper loop, no dashboard', value: rate(plain.ms), unit: 'bars/s' },
        { name: 'paper loop, dashboard attached', value: rate(withDash.ms), unit: 'bars/s' },
        { name: 'paper / backtest', value: Number((backtestMs / plain.ms).toFixed(3)), unit: 'x' },
        { name: 'paper with dashboard / backtest', value: Number((backtestMs / withDash.ms).toFixed(3)), unit: 'x' },
        { name: 'dashboard frames drawn', value: withDash.frames, unit: 'frames' },
      ];
    },
  },
];
