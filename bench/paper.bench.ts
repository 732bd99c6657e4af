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

export const workloads: BenchWorkload[] = [
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
