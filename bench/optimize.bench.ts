/**
 * Optimiser workload (issue 16, must-show 4): 100 sma_cross combos (fast 5..50:5 × slow 60..240:20)
 * over 1M one-minute bars through `runTrials` (the `optimize` command's runner: each trial on the
 * sma_cross sweep kernel, src/optimize/sma-sweep.ts, with the full backtest's metrics and return
 * series), on the piscina pool with 1 and with 2 workers, in combo-bars per second, beside a plain
 * single-core typed-array loop doing the same 100 crossovers (running sums, signal only) measured in
 * the same run. The pools are the persistent ones a session keeps (src/optimize/pool.ts): they are
 * started by a small sweep on other data first, then run a full-size sweep on other data (the cold
 * figure: V8 compiles the kernel during it), and the data's one copy into shared memory is timed
 * on its own, so the timed sweeps include everything a sweep does on new data (each worker's sweep
 * setup, the averages, every trial's metrics) in compiled code, as the plain loop's best of three
 * is; the session's start-up and the cold sweep are printed beside them with the ratio of a
 * session's first sweep; each pool then runs the same sweep again (the workers keep
 * their sweep setups, as for a second grid on the same data and settings). Each timed sweep figure is
 * the fastest of three repetitions (the same bars under three names), as the plain loop's is the
 * fastest of its runs. Figures: the three speeds, the ratios to the plain loop
 * (GOAL: 2 workers ÷ plain loop ≥ 1), the speed-up of 2 workers over 1, how many trials ran on the
 * kernel, the cores each run got and the ratios per CPU-second (CPU time of every thread, less
 * disturbed by other sessions' load than wall time), and the load average before and after.
 * EDGELAB_BENCH_OPTIMIZE_BARS sets another bar count (the workload says which it used).
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config/load.js';
import { createRng } from '../src/core/rng.js';
import { tableDigest, type BarFrame, type Dataset } from '../src/core/table.js';
import { Session } from '../src/shell/session.js';
import { experimentFromOverlay } from '../src/optimize/experiment.js';
import { gridPoints, parseGridFlag, type Point } from '../src/optimize/dimensions.js';
import { runTrials } from '../src/optimize/runner.js';
import { sharedDataset } from '../src/optimize/pool.js';
import type { BenchFigure, BenchWorkload } from './types.js';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '../..');

/** n one-minute bars of a random walk (seeded), as a clean crypto dataset named X:1m. */
export function minuteBars(n: number, seed = 11, stream = 'bench-optimize', startMs = Date.UTC(2014, 0, 1)): Dataset {
  const rng = createRng(seed, stream);
  const cols = { ts: new Float64Array(n), open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), volume: new Float64Array(n) };
  let c = 100;
  for (let i = 0; i < n; i++) {
    const o = c;
    c = o * Math.exp(0.00001 + 0.001 * rng.normal());
    cols.ts[i] = startMs + i * 60_000;
    cols.open[i] = o;
    cols.close[i] = c;
    cols.high[i] = Math.max(o, c) * 1.0003;
    cols.low[i] = Math.min(o, c) * 0.9997;
    cols.volume[i] = 1e7;
  }
  const table = { length: n, columns: cols } as unknown as BarFrame;
  return { name: 'X:1m', kind: 'bars', stage: 'clean', symbol: 'X', interval: '1m', assetClass: 'crypto_perp', source: 'bench', table, digest: tableDigest(table) };
}

/** The names the timed sweeps' three repetitions give the same bars (the first is the plain loop's data). */
const REPEATS = ['X', 'Y', 'Z'] as const;

/** The plain baseline: one fast/slow crossover with running sums (signal only), returning its flips. */
function plainCrossover(c: Float64Array, fast: number, slow: number): number {
  let sf = 0;
  let ss = 0;
  let pos = 0;
  let flips = 0;
  for (let i = 0; i < c.length; i++) {
    sf += c[i]!;
    ss += c[i]!;
    if (i >= fast) sf -= c[i - fast]!;
    if (i >= slow) ss -= c[i - slow]!;
    if (i >= slow - 1) {
      const d = sf / fast > ss / slow ? 1 : 0;
      if (d !== pos) {
        pos = d;
        flips++;
      }
    }
  }
  return flips;
}

export const workloads: BenchWorkload[] = [
  {
    name: 'optimize-sma-cross-100',
    description: '100 sma_cross combos over 1M 1m bars through runTrials on 1 and 2 piscina workers, beside a plain single-core loop over the same combos',
    async run(): Promise<BenchFigure[]> {
      const loadBefore = loadavg()[0]!;
      const n = Number(process.env['EDGELAB_BENCH_OPTIMIZE_BARS'] ?? 1_000_000);
      const data = minuteBars(n);
      const base = loadConfig(join(root, 'configs/base.yaml')).config;
      const withX = { ...base, backtest: { ...base.backtest, universe: Object.fromEntries(['W', 'V', ...REPEATS].map((sym) => [sym, { asset_class: 'crypto_perp' as const }])) } };
      const experiment = experimentFromOverlay('bench', { optimize: { model: 'sma_cross', interval: '1m', commission_pct: 0 } }, withX, 'bench');
      const dims = parseGridFlag('fast=5..50:5,slow=60..240:20', (name) => `backtest.models.sma_cross.parameters.${name}`);
      const pointsOn = (symbol: string): Point[] => gridPoints(dims).map((p) => ({ ...p, 'backtest.models.sma_cross.parameters.symbol': symbol }));
      const points = pointsOn(REPEATS[0]);
      const combos = points.length;
      const close = data.table.columns['close'] as Float64Array;
      /** CPU time of this process, every thread (the workers included), in ms. */
      const cpuMs = (): number => {
        const u = process.cpuUsage();
        return (u.user + u.system) / 1000;
      };
      // The plain loop's fastest of three runs, measured before the sweeps and again after them (the
      // faster of the two counts): a reference disturbed by a burst of load would flatter every ratio.
      let plainMs = Infinity;
      let plainCpu = Infinity;
      let sink = 0;
      const measurePlain = (): void => {
        for (let r = 0; r < 3; r++) {
          const t = performance.now();
          const c0 = cpuMs();
          for (const p of points) sink += plainCrossover(close, p['backtest.models.sma_cross.parameters.fast'] as number, p['backtest.models.sma_cross.parameters.slow'] as number);
          const ms = performance.now() - t;
          if (ms < plainMs) plainCpu = cpuMs() - c0;
          plainMs = Math.min(plainMs, ms);
        }
      };
      measurePlain();
      let onKernel = Infinity;
      /** CPU time of the last sweep (all threads). */
      let lastCpu = 0;
      const sweep = async (session: Session, on: Point[], workers: number): Promise<number> => {
        const t = performance.now();
        const c0 = cpuMs();
        const got = await runTrials(session, { base: experiment, points: on, workers, store: false });
        const ms = performance.now() - t;
        lastCpu = cpuMs() - c0;
        if (got.some((g) => g.infeasible)) throw new Error(`infeasible trial: ${got.find((g) => g.infeasible)!.infeasible}`);
        onKernel = Math.min(onKernel, got.filter((g) => g.engine === 'sweep').length);
        sink += got.length;
        return ms;
      };
      // Start-up, once per session: the persistent pools' threads and modules (a small sweep on other
      // data, so nothing of it is reused by the timed sweeps but the threads), and the data's copy
      // into shared memory.
      const warm = new Session({ root });
      warm.addDataset({ ...minuteBars(5000, 12, 'bench-optimize-warm'), name: 'W:1m', symbol: 'W' });
      await sweep(warm, pointsOn('W'), 1);
      const startTwo = await sweep(warm, pointsOn('W'), 2);
      // A session's first full-size sweep, on other data (V): V8 is still compiling the kernel loop and
      // the metrics for long series while it runs (a 5000-bar sweep ends before those compiles do,
      // docs/optimize.md "Speed"). Printed as the cold figure; the timed sweeps below then measure
      // compiled code, as the plain loop's best of three does.
      const cold = new Session({ root });
      const other = { ...minuteBars(n, 13, 'bench-optimize-cold'), name: 'V:1m', symbol: 'V' };
      let t = performance.now();
      sharedDataset(other);
      const copyColdMs = performance.now() - t;
      cold.addDataset(other);
      const coldTwo = await sweep(cold, pointsOn('V'), 2);
      const coldTwoCpu = lastCpu;
      await sweep(cold, pointsOn('V'), 1);
      // Each pool's first sweep on this data (each worker prepares its sweep setup), then the same
      // sweep again (setups kept by the workers, as for a second grid on the same data and settings).
      // Every timed figure is the fastest of three repetitions, with the CPU time of that run, as the
      // plain loop's is: a repetition puts the same bars under a new name (X, Y, Z: a new copy in
      // shared memory, new sweep setups in every worker), so its first sweep is a first sweep on new
      // data and its work is the plain loop's.
      type Timed = { readonly ms: number; readonly cpu: number };
      const faster = (a: Timed | undefined, b: Timed): Timed => (a === undefined || b.ms < a.ms ? b : a);
      const timed = async (session: Session, on: Point[], workers: number): Promise<Timed> => ({ ms: await sweep(session, on, workers), cpu: lastCpu });
      let one: Timed | undefined;
      let oneAgain: Timed | undefined;
      let two: Timed | undefined;
      let twoAgain: Timed | undefined;
      let copyMs = 0;
      for (const symbol of REPEATS) {
        const copy = { ...data, name: `${symbol}:1m`, symbol };
        t = performance.now();
        sharedDataset(copy);
        if (symbol === REPEATS[0]) copyMs = performance.now() - t;
        const session = new Session({ root });
        session.addDataset(copy);
        const on = pointsOn(symbol);
        one = faster(one, await timed(session, on, 1));
        oneAgain = faster(oneAgain, await timed(session, on, 1));
        two = faster(two, await timed(session, on, 2));
        twoAgain = faster(twoAgain, await timed(session, on, 2));
      }
      const plainBefore = plainMs;
      measurePlain();
      const rate = (ms: number): number => Math.round((combos * n) / (ms / 1000));
      if (sink < 0) throw new Error('unreachable');
      return [
        { name: `bars per combo`, value: n, unit: 'bars' },
        { name: 'plain single-core loop (signal only)', value: rate(plainMs), unit: 'combo-bars/s' },
        { name: 'plain loop measured before the sweeps', value: rate(plainBefore), unit: 'combo-bars/s' },
        { name: 'runTrials, 1 worker', value: rate(one!.ms), unit: 'combo-bars/s' },
        { name: '1 worker / plain loop', value: Number((plainMs / one!.ms).toFixed(4)), unit: 'ratio' },
        { name: 'runTrials, 2 workers', value: rate(two!.ms), unit: 'combo-bars/s' },
        { name: 'GOAL ≥ 1: 2 workers / plain loop', value: Number((plainMs / two!.ms).toFixed(4)), unit: 'ratio' },
        { name: 'speed-up of 2 workers over 1', value: Number((one!.ms / two!.ms).toFixed(3)), unit: 'ratio' },
        { name: 'again, setups kept: 1 worker / plain loop', value: Number((plainMs / oneAgain!.ms).toFixed(4)), unit: 'ratio' },
        { name: 'again, setups kept: 2 workers / plain loop', value: Number((plainMs / twoAgain!.ms).toFixed(4)), unit: 'ratio' },
        { name: 'again, setups kept: speed-up of 2 over 1', value: Number((oneAgain!.ms / twoAgain!.ms).toFixed(3)), unit: 'ratio' },
        { name: 'trials on the sweep kernel (fewest of any sweep)', value: onKernel, unit: `of ${combos}` },
        { name: 'once per session: pool of 2 starts (+ small sweep)', value: Math.round(startTwo), unit: 'ms' },
        { name: 'once per session: data into shared memory', value: Math.round(copyMs), unit: 'ms' },
        // On a machine shared by several sessions the scheduler (autogroup) shares the CPU between
        // sessions, not threads: the cores a sweep got, and the speed per CPU-second, tell the kernel's
        // cost apart from the load.
        { name: 'cores used by the 2-worker sweep (CPU ÷ wall)', value: Number((two!.cpu / two!.ms).toFixed(3)), unit: 'cores' },
        { name: 'cores used by the 2-worker sweep again', value: Number((twoAgain!.cpu / twoAgain!.ms).toFixed(3)), unit: 'cores' },
        { name: 'cores used by the plain loop (CPU ÷ wall)', value: Number((plainCpu / plainMs).toFixed(3)), unit: 'cores' },
        // CPU time of every thread: what the sweep costs, apart from the CPU the load left it
        { name: 'per CPU-second: 1-worker sweep / plain loop', value: Number((plainCpu / one!.cpu).toFixed(4)), unit: 'ratio' },
        { name: 'per CPU-second: 1-worker sweep again / plain', value: Number((plainCpu / oneAgain!.cpu).toFixed(4)), unit: 'ratio' },
        { name: 'per CPU-second: 2-worker sweep / plain loop', value: Number((plainCpu / two!.cpu).toFixed(4)), unit: 'ratio' },
        { name: 'per CPU-second: 2-worker sweep again / plain', value: Number((plainCpu / twoAgain!.cpu).toFixed(4)), unit: 'ratio' },
        { name: 'cold: first full-size sweep of a session (2 workers, other data) / plain', value: Number((plainMs / coldTwo).toFixed(4)), unit: 'ratio' },
        { name: 'cold: per CPU-second / plain', value: Number((plainCpu / coldTwoCpu).toFixed(4)), unit: 'ratio' },
        { name: 'cold, with start-up and copy: first sweep of a session / plain', value: Number((plainMs / (coldTwo + copyColdMs + startTwo)).toFixed(4)), unit: 'ratio' },
        { name: 'load average (1 min) before / after', value: Number(loadBefore.toFixed(2)), unit: `/ ${loadavg()[0]!.toFixed(2)}` },
      ];
    },
  },
];
