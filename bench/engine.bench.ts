/**
 * Backtest engine workloads (issue 5, must-show 6): one symbol × 1M one-minute bars, `sma_cross`
 * 10/30 (95 % of equity, long-only, next-open fills, crypto lots, the default 2 % rebalance band),
 * in bars per second, every variant in the same run over the same bars:
 *   - plain loop, signal only: a typed-array 10/30 crossover with running sums and no output (the
 *     issue's reference speed);
 *   - plain loop, same backtest: the same crossover hand-written as the whole backtest in one lean
 *     loop (bench/baselines.ts `plainCrossBacktest`): orders to 95 % of NAV rounded to the lot,
 *     next-open fills with the fee, the drift band, a fill log and the NAV at every close. The run
 *     checks it against the engine — same fills (times, quantities, prices, fees), the same NAV at
 *     every close to the cent — and the engine's result against the event engine's (same digest),
 *     and throws if either differs, so the baseline provably runs the same backtest;
 *   - the fast path (src/backtest/fast-path.ts through `runBacktestAuto`, which picks it): the
 *     vectorised signal plus the single-asset simulation, the result the event engine would give
 *     (NAV curve and totals computed; the other series and the records are derived when first
 *     read), and the same with every series and record read (what a report pays);
 *   - the event engine (`runBacktest`) with the per-bar model call, and with a model that never
 *     trades (its fixed per-bar cost).
 * The plain loops and the fast path are timed interleaved (one of each per round, best of 10), so a
 * load change on the machine hits them alike; the event engine is best of 5. Ratios are speeds
 * (engine bars/s ÷ loop bars/s). A 50/200 crossover (far fewer trades) shows the per-bar cost apart
 * from the per-fill one. Costs are zeroed and limits opened so the crossover trades all the way
 * through.
 */
import { performance } from 'node:perf_hooks';
import { runBacktest } from '../src/backtest/engine.js';
import { resultDigest } from '../src/backtest/engine-digest.js';
import type { BacktestResult } from '../src/backtest/types.js';
import { runBacktestAuto } from '../src/backtest/fast-path-select.js';
import { backtestSection } from '../src/config/sections/backtest.js';
import { createRng } from '../src/core/rng.js';
import type { BarFrame } from '../src/core/table.js';
import { createSmaCross, smaCrossParams } from '../src/models/sma-cross.js';
import type { Model } from '../src/models/types.js';
import { NEUTRAL_SNAPSHOT } from '../src/regime/types.js';
import type { BenchFigure, BenchWorkload } from './types.js';
import { checkSameBacktest, plainCross, plainCrossBacktest, type CrossSpec } from './baselines.js';

const N = 1_000_000;
const REPS = 5;

function makeFrame(): BarFrame {
  const rng = createRng(5, 'bench-engine');
  const cols = { ts: new Float64Array(N), open: new Float64Array(N), high: new Float64Array(N), low: new Float64Array(N), close: new Float64Array(N), volume: new Float64Array(N) };
  let c = 100;
  for (let i = 0; i < N; i++) {
    const o = c;
    c = o * Math.exp(0.001 * rng.normal());
    cols.ts[i] = Date.UTC(2020, 0, 1) + i * 60_000;
    cols.open[i] = o;
    cols.close[i] = c;
    cols.high[i] = Math.max(o, c) * 1.0005;
    cols.low[i] = Math.min(o, c) * 0.9995;
    cols.volume[i] = 1000;
  }
  return { length: N, columns: cols } as unknown as BarFrame;
}

const never: Model = { name: 'idle', version: '1.0.0', universe: ['X'], warmupBars: 1, decide: () => null };

/** Read every series and record of a result (the fast path derives some of them when first read). */
function materialise(r: BacktestResult): number {
  let x = r.ts.length + r.cash.length + r.gross.length + r.net.length + r.drawdown.length + r.mode.length + r.breachCount.length;
  x += r.orders.length + r.fills.length + r.trades.length;
  for (const m of r.models) x += m.pnl.length;
  return x;
}

/** Best time of each variant over `reps` rounds, the variants run one after the other in each round. */
function interleaved<K extends string>(reps: number, fs: Record<K, () => unknown>): Record<K, number> {
  const keys = Object.keys(fs) as K[];
  const out = Object.fromEntries(keys.map((k) => [k, Infinity])) as Record<K, number>;
  for (let r = 0; r < reps; r++) {
    for (const k of keys) {
      const t0 = performance.now();
      fs[k]();
      out[k] = Math.min(out[k], performance.now() - t0);
    }
  }
  return out;
}

/** Best CPU time (user + system, ms) of REPS runs: on the shared machine wall time includes waiting for a core. */
function bestCpu(f: () => void): number {
  let min = Infinity;
  for (let r = 0; r < REPS; r++) {
    const u0 = process.cpuUsage();
    f();
    const u = process.cpuUsage(u0);
    min = Math.min(min, (u.user + u.system) / 1000);
  }
  return min;
}

function best(f: () => void): number {
  let min = Infinity;
  for (let r = 0; r < REPS; r++) {
    const t = performance.now();
    f();
    min = Math.min(min, performance.now() - t);
  }
  return min;
}

export const workloads: BenchWorkload[] = [
  {
    name: 'backtest-engine',
    description: 'sma_cross 10/30 over 1M bars of one symbol: plain loops (signal only; the same backtest, checked equal), fast path, event engine',
    async run(): Promise<readonly BenchFigure[]> {
      const frame = makeFrame();
      const symbol = { symbol: 'X', assetClass: 'crypto_spot' as const, interval: '1m' as const, bars: frame, dataset: 'X:1m', digest: 'bench' };
      const config = backtestSection.parse({
        initial_capital: 100_000,
        costs: { default: { maker_bps: 0, taker_bps: 0, slippage_bps: 0, impact_coef: 0 } },
        risk: { per_asset_cap: 1, class_caps: {}, drawdown: { reduce_at: 0.99, reduce_scale: 1, halt_at: 0.999 } },
      });
      const regimeAt = () => NEUTRAL_SNAPSHOT;
      const { ts, open, close } = frame.columns as Record<'ts' | 'open' | 'close', Float64Array>;
      const model = createSmaCross(smaCrossParams.parse({ symbol: 'X', fast: 10, slow: 30 }));
      const input = { symbols: [symbol], models: [{ model, budget: 1 }], config, regimeAt };
      const fastModel = { model, warmupBars: model.warmupBars };
      const check = runBacktestAuto(input, fastModel);
      if (check.engine.path !== 'fast') throw new Error(`the fast path did not run: ${check.engine.reason}`);
      // crypto lots (0.0001, min 0.0001 and 10 in notional), zero fees, the default 2 % band
      const spec: CrossSpec = { fast: 10, slow: 30, capital: 100_000, fraction: 0.95, feeRate: 0, lotDecimals: 4, minQty: 0.0001, minNotional: 10, band: config.execution.rebalance_band };
      // The chain of identity: lean loop = fast path (fills, NAV curve), fast path = event engine (digest).
      checkSameBacktest(plainCrossBacktest(open, close, ts, spec), check.result);
      const eventResult = runBacktest(input);
      if (resultDigest(eventResult) !== resultDigest(check.result)) throw new Error('the fast path and the event engine differ');
      // Interleaved (A B C D A B C D …), best of each: a load change on the machine hits every variant alike.
      const t = interleaved(REPS * 2, {
        plain: () => plainCross(close),
        lean: () => plainCrossBacktest(open, close, ts, spec),
        fast: () => runBacktestAuto(input, fastModel),
        full: () => materialise(runBacktestAuto(input, fastModel).result),
      });
      const { plain, lean, fast, full } = t;
      const sma = best(() => runBacktest(input));
      const smaCpu = bestCpu(() => runBacktest(input));
      const idle = best(() => runBacktest({ symbols: [symbol], models: [{ model: never, budget: 1 }], config, regimeAt }));
      // A slower crossover trades ~6× less: the per-bar cost shows more, the per-fill cost less.
      const slowModel = createSmaCross(smaCrossParams.parse({ symbol: 'X', fast: 50, slow: 200 }));
      const slowInput = { ...input, models: [{ model: slowModel, budget: 1 }] };
      const slowFast = best(() => runBacktestAuto(slowInput, { model: slowModel, warmupBars: slowModel.warmupBars }));
      const slowEvent = best(() => runBacktest(slowInput));
      const slowTrades = runBacktest(slowInput).trades.length;
      const rate = (ms: number): number => Math.round(N / (ms / 1000));
      const ratio = (x: number): number => Number(x.toFixed(3));
      return [
        { name: 'plain loop, signal only', value: rate(plain), unit: 'bars/s' },
        { name: 'plain loop, same backtest (fills + NAV)', value: rate(lean), unit: 'bars/s' },
        { name: 'fast path, sma_cross 10/30', value: rate(fast), unit: 'bars/s' },
        { name: 'fast path, every series and record read', value: rate(full), unit: 'bars/s' },
        { name: 'GOAL event engine, sma_cross 10/30 (≥ 10 M)', value: rate(sma), unit: 'bars/s' },
        { name: 'the same by CPU time', value: rate(smaCpu), unit: 'bars/s' },
        { name: 'event engine, idle model', value: rate(idle), unit: 'bars/s' },
        { name: 'fast path / plain signal-only loop', value: ratio(plain / fast), unit: 'ratio' },
        { name: 'fast path / plain same-backtest loop', value: ratio(lean / fast), unit: 'ratio' },
        { name: 'fast path, all read / plain same-backtest', value: ratio(lean / full), unit: 'ratio' },
        { name: 'event engine / plain signal-only loop', value: ratio(plain / sma), unit: 'ratio' },
        { name: 'event engine / plain same-backtest loop', value: ratio(lean / sma), unit: 'ratio' },
        { name: 'fast path speed-up over the event engine', value: ratio(sma / fast), unit: 'ratio' },
        { name: 'trades (fast path = event engine)', value: check.result.trades.length, unit: 'count' },
        { name: 'fast path, sma_cross 50/200', value: rate(slowFast), unit: 'bars/s' },
        { name: 'event engine, sma_cross 50/200', value: rate(slowEvent), unit: 'bars/s' },
        { name: 'fast path speed-up, 50/200', value: ratio(slowEvent / slowFast), unit: 'ratio' },
        { name: 'trades, 50/200', value: slowTrades, unit: 'count' },
      ];
    },
  },
];
