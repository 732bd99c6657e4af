/**
 * Backtest workloads from the command's side (issue 5), each read beside a baseline from the same run:
 *
 * - `backtest-run-sma-cross`: `sma_cross` 10/30 over 1M one-minute bars through `runBacktestReport`
 *   (what the `backtest` command runs: engine, metrics, costs, timeline, regime split), without and
 *   with the bias probes, beside a plain typed-array loop doing the same crossover with running sums
 *   (signal only) and the same backtest as a lean loop (bench/baselines.ts, checked against the
 *   report's result first: same fills, same NAV at every close).
 *   The command picks the single-asset fast path by itself; the same report through the event
 *   engine (forced with the `decorate` hook, which always takes it) is measured beside it.
 *   (bench/engine.bench.ts measures the engines alone, with a plain loop that also does the accounting.)
 * - `backtest-portfolio-10x10y`: the three seed-003 models as one budgeted portfolio over 10 assets
 *   (5 ETFs traded by equity_trend and index_mean_reversion, 5 crypto perpetuals by crypto_momentum)
 *   × 10 years of 4h bars (24/7 for every asset, 21 915 bars each), with regime budgets and the risk
 *   engine, without and with the probes: the first runs of the process (best of 3 and of 2: what a
 *   command in a new shell pays, compiling as it goes), then the steady state (best of 8 more, the
 *   two interleaved).
 * Timings are the best of a few repetitions (wall time, and CPU time beside it for the goals: on the
 * shared machine the wall time includes waiting for a core); nothing is asserted. Figures named GOAL carry the
 * targets of issue 10: the whole command (report and blocks, no store write) at ≥ 0.5× the
 * same-backtest loop without probes and ≥ 0.25× with them, and the portfolio with probes < 400 ms.
 */
import { performance } from 'node:perf_hooks';
import { configSchema } from '../src/config/schema.js';
import { createRng } from '../src/core/rng.js';
import { tableDigest, type BarFrame, type Dataset } from '../src/core/table.js';
import type { Interval } from '../src/core/time.js';
import { resampleBars } from '../src/backtest/run-backtest-data.js';
import { portfolioPlan, singleModelPlan } from '../src/backtest/run-backtest-plan.js';
import { runBacktestReport } from '../src/backtest/run-backtest.js';
import { backtestBlocks } from '../src/backtest/report-blocks.js';
import type { Model } from '../src/models/types.js';
import type { BenchFigure, BenchWorkload } from './types.js';
import { checkSameBacktest, plainCross, plainCrossBacktest, type CrossSpec } from './baselines.js';

const MINUTE = 60_000;

function bars(symbol: string, n: number, stepMs: number, seed: number, vol: number, assetClass: Dataset['assetClass'], interval: Interval): Dataset {
  const rng = createRng(seed, `bench-backtest-${symbol}`);
  const cols = { ts: new Float64Array(n), open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), volume: new Float64Array(n) };
  let c = 100;
  for (let i = 0; i < n; i++) {
    const o = c;
    c = o * Math.exp(0.00002 + vol * rng.normal());
    cols.ts[i] = Date.UTC(2014, 0, 1) + i * stepMs;
    cols.open[i] = o;
    cols.close[i] = c;
    cols.high[i] = Math.max(o, c) * (1 + vol / 4);
    cols.low[i] = Math.min(o, c) * (1 - vol / 4);
    cols.volume[i] = 1e7;
  }
  const table = { length: n, columns: cols } as unknown as BarFrame;
  return { name: `${symbol}:${interval}`, kind: 'bars', stage: 'clean', symbol, interval, assetClass, source: 'bench', table, digest: tableDigest(table) };
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

/** Best wall time and best CPU time of `reps` runs. */
async function bestCpu(reps: number, f: () => unknown): Promise<{ wall: number; cpu: number }> {
  let wall = Infinity;
  let cpu = Infinity;
  for (let r = 0; r < reps; r++) {
    const c0 = cpuMs();
    const t = performance.now();
    await f();
    wall = Math.min(wall, performance.now() - t);
    cpu = Math.min(cpu, cpuMs() - c0);
  }
  return { wall, cpu };
}

const perSecond = (count: number, ms: number): number => Math.round(count / (ms / 1000));

/** This process's CPU time so far, in ms (user + system; counts the GC's helper threads too). */
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/**
 * Best wall time and best CPU time of each variant over `rounds` rounds, the variants run one after
 * the other in each round. On a loaded machine the wall time includes waiting for a core; the CPU
 * time mostly does not, so its ratios move less with the load.
 */
async function interleaved<K extends string>(rounds: number, fs: Record<K, () => unknown>): Promise<{ wall: Record<K, number>; cpu: Record<K, number> }> {
  const keys = Object.keys(fs) as K[];
  const wall = Object.fromEntries(keys.map((k) => [k, Infinity])) as Record<K, number>;
  const cpu = { ...wall };
  for (let r = 0; r < rounds; r++) {
    for (const k of keys) {
      const c0 = cpuMs();
      const t0 = performance.now();
      await fs[k]();
      wall[k] = Math.min(wall[k], performance.now() - t0);
      cpu[k] = Math.min(cpu[k], cpuMs() - c0);
    }
  }
  return { wall, cpu };
}

export const workloads: BenchWorkload[] = [
  {
    name: 'backtest-run-sma-cross',
    description: 'sma_cross 10/30 over 1M 1m bars through run-backtest (fast path / event engine, no probes / with probes) beside plain loops (signal only; the same backtest)',
    async run(): Promise<readonly BenchFigure[]> {
      const N = 1_000_000;
      const ds = bars('X', N, MINUTE, 5, 0.001, 'crypto_spot', '1m');
      const data = new Map([[ds.name, ds]]);
      const config = configSchema.parse({});
      const plan = singleModelPlan(config, 'sma_cross', { params: { symbol: 'X', fast: 10, slow: 30 }, interval: '1m', commissionPct: 0 });
      const close = ds.table.columns['close'] as Float64Array;
      const event = { decorate: (m: Model) => m };
      const check = await runBacktestReport(plan, data, { probes: false });
      if (check.engine.path !== 'fast') throw new Error(`the fast path did not run: ${check.engine.reason}`);
      const plain = await best(5, () => plainCross(close));
      // The same backtest as a lean loop (the plan: 95 % of equity, crypto lots, no costs, no band), checked equal first.
      const cols = ds.table.columns as Record<'ts' | 'open', Float64Array>;
      const spec: CrossSpec = { fast: 10, slow: 30, capital: plan.backtest.initial_capital, fraction: 0.95, feeRate: 0, lotDecimals: 4, minQty: 0.0001, minNotional: 10, band: plan.backtest.execution.rebalance_band };
      checkSameBacktest(plainCrossBacktest(cols.open, close, cols.ts, spec), check.result);
      // The whole command as the shell runs it, minus the store write: the report, then its blocks.
      const command = async (probes: boolean): Promise<void> => void backtestBlocks(await runBacktestReport(plan, data, { probes }));
      // Interleaved with the lean loop (one of each per round, best of each of 8 rounds), so a load change on the
      // machine hits the command and its baseline alike.
      const t = await interleaved(8, { lean: () => plainCrossBacktest(cols.open, close, cols.ts, spec), run: () => command(false), probed: () => command(true) });
      const { lean, run, probed } = t.wall;
      const cpu = t.cpu;
      const runEvent = await best(2, () => runBacktestReport(plan, data, { probes: false, ...event }));
      const probedEvent = await best(1, () => runBacktestReport(plan, data, event));
      const ratio = (x: number, d = 4): number => Number(x.toFixed(d));
      return [
        { name: 'GOAL whole command, no probes / same-backtest loop (≥ 0.5)', value: ratio(lean / run, 3), unit: 'ratio' },
        { name: 'GOAL whole command, probes / same-backtest loop (≥ 0.25)', value: ratio(lean / probed, 3), unit: 'ratio' },
        { name: 'the same in CPU time, no probes', value: ratio(cpu.lean / cpu.run, 3), unit: 'ratio' },
        { name: 'the same in CPU time, with probes', value: ratio(cpu.lean / cpu.probed, 3), unit: 'ratio' },
        { name: 'plain SMA-cross loop (signal only)', value: perSecond(N, plain), unit: 'bars/s' },
        { name: 'plain loop, same backtest (fills + NAV)', value: perSecond(N, lean), unit: 'bars/s' },
        { name: 'whole command, fast path, no probes', value: perSecond(N, run), unit: 'bars/s' },
        { name: 'run-backtest, event engine, no probes', value: perSecond(N, runEvent), unit: 'bars/s' },
        { name: 'whole command fast path / plain signal loop', value: ratio(plain / run), unit: 'ratio' },
        { name: 'run-backtest event engine / plain loop', value: ratio(plain / runEvent), unit: 'ratio' },
        { name: 'whole command, fast path, with probes', value: perSecond(N, probed), unit: 'bars/s' },
        { name: 'run-backtest, event engine, with probes', value: perSecond(N, probedEvent), unit: 'bars/s' },
        { name: 'probes cost on the fast path (with / without)', value: ratio(probed / run, 2), unit: 'ratio' },
        { name: 'fast path speed-up, no probes', value: ratio(runEvent / run, 2), unit: 'ratio' },
        { name: 'fast path speed-up with probes', value: ratio(probedEvent / probed, 2), unit: 'ratio' },
      ];
    },
  },
  {
    name: 'backtest-portfolio-10x10y',
    description: 'three seed-003 models, budgets + regime budgets + risk engine, 10 assets × 10 years of 4h bars (no probes / with probes)',
    async run(): Promise<readonly BenchFigure[]> {
      const n = Math.round(10 * 365.25 * 6);
      const etfs = ['SPY', 'QQQ', 'IWM', 'DIA', 'EFA'];
      const cryptos = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'BNBUSDT', 'XRPUSDT'];
      const data = new Map<string, Dataset>();
      etfs.forEach((s, i) => {
        const h4 = bars(s, n, 240 * MINUTE, 11 + i, 0.004, 'etf', '4h');
        data.set(h4.name, h4);
        const table = resampleBars(h4.table as BarFrame, '4h', '1d');
        data.set(`${s}:1d`, { ...h4, name: `${s}:1d`, interval: '1d', table, digest: tableDigest(table) });
      });
      cryptos.forEach((s, i) => {
        const h4 = bars(s, n, 240 * MINUTE, 21 + i, 0.012, 'crypto_perp', '4h');
        data.set(h4.name, h4);
      });
      const universe = Object.fromEntries([...etfs.map((s) => [s, { asset_class: 'etf' }]), ...cryptos.map((s) => [s, { asset_class: 'crypto_perp' }])]);
      const config = configSchema.parse({
        backtest: {
          interval: '4h',
          universe,
          models: {
            equity_trend: { budget: 0.6, parameters: { symbols: etfs } },
            index_mean_reversion: { budget: 0.25, parameters: { symbols: etfs } },
            crypto_momentum: { budget: 0.15, parameters: { symbols: cryptos, top_n: 2 } },
          },
          regime_budgets: {
            equity_bull: { equity_trend: 0.7, index_mean_reversion: 0.2, crypto_momentum: 0.1 },
            equity_bear: { equity_trend: 0.2, index_mean_reversion: 0.4, crypto_momentum: 0.05 },
          },
        },
      });
      const plan = portfolioPlan(config);
      const barCount = 10 * n;
      const plainCpu = await bestCpu(3, () => runBacktestReport(plan, data, { probes: false }));
      const probedCpu = await bestCpu(2, () => runBacktestReport(plan, data));
      const [plain, probed] = [plainCpu.wall, probedCpu.wall];
      // The figures above are the first runs of a fresh process (compiling as it goes), as a command in a new
      // shell runs; a shell that has run backtests before runs at the steady state, timed here after them.
      const steady = await interleaved(8, { plain: () => runBacktestReport(plan, data, { probes: false }), probed: () => runBacktestReport(plan, data) });
      const r = await runBacktestReport(plan, data, { probes: false });
      return [
        { name: 'steps (4h clock)', value: r.result.ts.length, unit: 'steps' },
        { name: 'bars (10 assets)', value: barCount, unit: 'bars' },
        { name: 'run, no probes', value: Math.round(plain), unit: 'ms' },
        { name: 'run, no probes', value: perSecond(barCount, plain), unit: 'bars/s' },
        { name: 'GOAL run with probes (< 400 ms)', value: Math.round(probed), unit: 'ms' },
        { name: 'run, no probes, CPU time', value: Math.round(plainCpu.cpu), unit: 'ms' },
        { name: 'run with probes, CPU time', value: Math.round(probedCpu.cpu), unit: 'ms' },
        { name: 'probes cost (with / without)', value: Number((probed / plain).toFixed(2)), unit: 'ratio' },
        { name: 'steady state, no probes (best of 8 more)', value: Math.round(steady.wall.plain), unit: 'ms' },
        { name: 'steady state, with probes (best of 8 more)', value: Math.round(steady.wall.probed), unit: 'ms' },
        { name: 'steady state CPU, no probes', value: Math.round(steady.cpu.plain), unit: 'ms' },
        { name: 'steady state CPU, with probes', value: Math.round(steady.cpu.probed), unit: 'ms' },
        { name: 'fills', value: r.result.fills.length, unit: 'count' },
        { name: 'risk-mode changes', value: r.modeChanges.length - 1, unit: 'count' },
      ];
    },
  },
];
