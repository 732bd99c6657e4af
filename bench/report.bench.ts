/**
 * Report and export workloads (docs/reports.md), each read beside a plain baseline from the same run:
 *
 * - `report-export-sma-cross`: `sma_cross` 10/30 over 200 000 15m bars (≈ 5.7 years), then
 *   buildRunData (marks, booking steps, benchmark), the tear sheet statistics, the HTML page, and
 *   the whole export folder in CSV and in Parquet. Baseline: the equity table alone written as CSV
 *   by a plain loop (template strings, one writeFileSync), against the same table through the
 *   export's CSV writer.
 * Timings are the best of a few repetitions; nothing is asserted.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { configSchema } from '../src/config/schema.js';
import { createRng } from '../src/core/rng.js';
import { isoUtc } from '../src/core/time.js';
import { tableDigest, type BarFrame, type Dataset } from '../src/core/table.js';
import { singleModelPlan } from '../src/backtest/run-backtest-plan.js';
import { runBacktestReport } from '../src/backtest/run-backtest.js';
import { backtestRecord } from '../src/store/backtest-record.js';
import { buildRunData } from '../src/report/run-data-build.js';
import { tearSheet } from '../src/report/tear-sheet.js';
import { tearSheetHtml } from '../src/report/html.js';
import { exportRun } from '../src/report/export-run.js';
import { equityTable } from '../src/report/export-tables.js';
import { writeCsv } from '../src/shell/csv-out.js';
import type { BenchFigure, BenchWorkload } from './types.js';

const N = 200_000;
const STEP = 15 * 60_000;

function bars(): Dataset {
  const rng = createRng(5, 'bench-report');
  const cols = { ts: new Float64Array(N), open: new Float64Array(N), high: new Float64Array(N), low: new Float64Array(N), close: new Float64Array(N), volume: new Float64Array(N) };
  let c = 100;
  for (let i = 0; i < N; i++) {
    const o = c;
    c = o * Math.exp(0.00001 + 0.003 * rng.normal());
    cols.ts[i] = Date.UTC(2015, 0, 1) + i * STEP;
    cols.open[i] = o;
    cols.close[i] = c;
    cols.high[i] = Math.max(o, c) * 1.001;
    cols.low[i] = Math.min(o, c) * 0.999;
    cols.volume[i] = 1e7;
  }
  const table = { length: N, columns: cols } as unknown as BarFrame;
  return { name: 'X:15m', kind: 'bars', stage: 'clean', symbol: 'X', interval: '15m', assetClass: 'crypto_spot', source: 'bench', table, digest: tableDigest(table) };
}

async function best(reps: number, f: () => unknown): Promise<number> {
  let min = Infinity;
  for (let r = 0; r < reps; r++) {
    const t = performance.now();
    await f();
    min = Math.min(min, performance.now() - t);
  }
  return min;
}

export const workloads: BenchWorkload[] = [
  {
    name: 'report-export-sma-cross',
    description: `run data, tear sheet, HTML and export folders of sma_cross over ${N.toLocaleString('en-US')} 15m bars, beside a plain CSV loop`,
    async run(): Promise<readonly BenchFigure[]> {
      const config = configSchema.parse({});
      const data = new Map([['X:15m', bars()]]);
      const plan = singleModelPlan(config, 'sma_cross', { params: { symbol: 'X', fast: 10, slow: 30 }, interval: '15m', commissionPct: 0.05 });
      const report = await runBacktestReport(plan, data, { probes: false });
      const record = backtestRecord({ result: report.result, config: {}, codeRevision: 'bench', seed: 1, resultDigest: report.digest });
      const dir = mkdtempSync(join(tmpdir(), 'edgelab-bench-report-'));
      try {
        let run = buildRunData(report, record, data);
        const build = await best(3, () => (run = buildRunData(report, record, data)));
        const sheet = await best(3, () => tearSheet(run, 126));
        const html = await best(3, () => tearSheetHtml(tearSheet(run, 126)));
        const csv = await best(3, () => exportRun(run, join(dir, 'csv'), 'csv', 126));
        const parquet = await best(3, () => exportRun(run, join(dir, 'pq'), 'parquet', 126));
        const e = run.equity;
        const plain = await best(3, () => {
          let s = 'ts,nav,cash,gross_exposure,net_exposure,drawdown,risk_mode\n';
          for (let i = 0; i < e.ts.length; i++) s += `${isoUtc(e.ts[i]!)},${e.nav[i]},${e.cash[i]},${e.gross[i]},${e.net[i]},${e.drawdown[i]},${e.mode[i]}\n`;
          writeFileSync(join(dir, 'plain.csv'), s);
        });
        const ours = await best(3, () => writeCsv(equityTable(run), join(dir, 'equity.csv')));
        const steps = e.ts.length;
        return [
          { name: 'clock steps', value: steps, unit: 'steps' },
          { name: 'fills', value: run.fills.length, unit: 'fills' },
          { name: 'buildRunData', value: build, unit: 'ms' },
          { name: 'tear sheet statistics', value: sheet, unit: 'ms' },
          { name: 'tear sheet + HTML page', value: html, unit: 'ms' },
          { name: 'export folder, CSV', value: csv, unit: 'ms' },
          { name: 'export folder, Parquet (DuckDB)', value: parquet, unit: 'ms' },
          { name: 'equity.csv, export writer', value: ours, unit: 'ms' },
          { name: 'equity.csv, plain loop (baseline)', value: plain, unit: 'ms' },
          { name: 'equity.csv writer / plain loop', value: ours / plain, unit: '×' },
        ];
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
];
