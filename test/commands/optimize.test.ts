/**
 * The `optimize` and `trials` commands on a small daily series: the best of a 3 × 3 grid is the best
 * of the same backtests run one by one here (runBacktestReport, no optimiser); the same seed gives
 * the same result with random + EA; bad experiment files are one line naming the YAML path;
 * `trials` ranks the stored sweep the same way; a cancelled search stops.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import optimize from '../../commands/optimize.js';
import trials from '../../commands/trials.js';
import { createRng } from '../../src/core/rng.js';
import { digestOf } from '../../src/core/canonical.js';
import { tableDigest, type BarFrame, type Dataset } from '../../src/core/table.js';
import type { TableBlock, TextBlock } from '../../src/core/result.js';
import { singleModelPlan } from '../../src/backtest/run-backtest-plan.js';
import { runBacktestReport } from '../../src/backtest/run-backtest.js';
import { Session } from '../../src/shell/session.js';
import type { CommandIO, Progress } from '../../src/shell/command.js';
import { tempFiles } from '../helpers/temp-files.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const tmp = tempFiles('optimize-cmd');
const DAY = 86_400_000;

function dailyBars(n: number): Dataset {
  const rng = createRng(5, 'optimize-cmd');
  const cols = { ts: new Float64Array(n), open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), volume: new Float64Array(n) };
  let c = 100;
  for (let i = 0; i < n; i++) {
    const o = c;
    c = o * Math.exp(0.0004 + 0.011 * rng.normal());
    cols.ts[i] = Date.UTC(2016, 0, 1) + i * DAY;
    cols.open[i] = o;
    cols.close[i] = c;
    cols.high[i] = Math.max(o, c) * 1.003;
    cols.low[i] = Math.min(o, c) * 0.997;
    cols.volume[i] = 1e6;
  }
  const table = { length: n, columns: cols } as unknown as BarFrame;
  return { name: 'SPY:1d', kind: 'bars', stage: 'clean', symbol: 'SPY', interval: '1d', assetClass: 'etf', source: 'test', table, digest: tableDigest(table) };
}
const data = dailyBars(700);
const session = (): Session => {
  const s = new Session({ root, cwd: tmp.dir });
  s.addDataset(data);
  return s;
};
function fakeIo(signal = new AbortController().signal): CommandIO & { progressed: Progress[]; logged: string[] } {
  const progressed: Progress[] = [];
  const logged: string[] = [];
  return { signal, progress: (p) => progressed.push(p), log: (m) => logged.push(m), execute: () => Promise.reject(new Error('not used')), progressed, logged };
}
const db = `${tmp.dir}/results.duckdb`;
const exp = tmp.file(
  'grid.yaml',
  `optimize: { model: sma_cross, interval: 1d }\nbacktest:\n  models:\n    sma_cross:\n      parameters: { symbol: SPY, fast: [5, 10, 20], slow: { from: 30, to: 90, step: 30 } }\n`,
);
const runOpt = (raw: Record<string, unknown>, io = fakeIo()) => Promise.resolve(optimize.run(session(), optimize.schema.parse({ db, workers: 0, ...raw }), io));

describe('optimize', () => {
  it('the grid best is the best of the same backtests run one by one', async () => {
    const io = fakeIo();
    const res = await runOpt({ experiment: exp }, io);
    let best = { bps: -Infinity, fast: 0, slow: 0 };
    for (const fast of [5, 10, 20]) {
      for (const slow of [30, 60, 90]) {
        const plan = singleModelPlan(session().config, 'sma_cross', { params: { symbol: 'SPY', fast, slow }, interval: '1d' });
        const bps = (await runBacktestReport(plan, new Map([[data.name, data]]), { probes: false })).metrics['bps']!;
        if (bps > best.bps) best = { bps, fast, slow };
      }
    }
    const board = res.blocks.find((b): b is TableBlock => b.kind === 'table' && b.title === 'leaderboard')!;
    expect(board.rows[0]!.slice(1, 4)).toEqual([best.fast, best.slow, Number(best.bps.toFixed(4))]);
    expect(board.rows).toHaveLength(9);
    expect(res.blocks.some((b) => b.kind === 'metrics' && b.title === 'overfitting controls')).toBe(true);
    expect(io.progressed.length).toBeGreaterThan(0);
    expect(io.logged.some((l) => /0 of 9 trials read back/.test(l))).toBe(true);
    // the second time every trial is read back, and the result is the same
    const io2 = fakeIo();
    const again = await runOpt({ experiment: exp }, io2);
    expect(io2.logged.some((l) => /9 of 9 trials read back/.test(l))).toBe(true);
    expect(digestOf(again)).toBe(digestOf(res));
  });

  it('random + EA with the same seed give the same result; trials shows the sweep', async () => {
    const a = await runOpt({ experiment: exp, random: 4, ea: 2, population: 4, seed: 3, noStore: true });
    const b = await runOpt({ experiment: exp, random: 4, ea: 2, population: 4, seed: 3, noStore: true });
    expect(digestOf(b)).toBe(digestOf(a));
    const listed = await trials.run(session(), trials.schema.parse({ db }), fakeIo());
    const sweeps = listed.blocks.find((x): x is TableBlock => x.kind === 'table')!;
    expect(sweeps.rows.map((r) => r[1])).toContain('grid');
    const shown = await trials.run(session(), trials.schema.parse({ db, sweep: 'grid' }), fakeIo());
    expect((shown.blocks[0] as TextBlock).text).toMatch(/9 trials, ranked by bps/);
  });

  it.each([
    ['bad-range.yaml', 'backtest:\n  models:\n    sma_cross:\n      parameters: { fast: { from: 9, to: 3 } }\n', "backtest.models.sma_cross.parameters.fast.to: 'to' must be at least 'from'"],
    ['bad-ea.yaml', 'optimize: { model: sma_cross, ea: { population: 1 } }\n', 'optimize.ea.population'],
    ['no-dims.yaml', 'optimize: { model: sma_cross }\n', 'no search dimensions'],
  ])('%s is refused in one line naming where', async (name, body, message) => {
    await expect(runOpt({ experiment: tmp.file(name, body) })).rejects.toThrow(message);
  });

  it('an unknown experiment or model names the choices; an unknown objective suggests one', async () => {
    await expect(runOpt({ experiment: 'sma_crosss' })).rejects.toThrow(/did you mean 'sma_cross'/);
    await expect(runOpt({ experiment: exp, objective: 'sharp' })).rejects.toThrow(/did you mean 'sharpe'/);
  });

  it('a cancelled search stops', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(runOpt({ experiment: exp, noStore: true }, fakeIo(controller.signal))).rejects.toThrow(/cancelled/);
  });
});
