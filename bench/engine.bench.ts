/**
 * Backtest engine workloads (issue 5): one symbol × 1M one-minute bars, measured in bars per
 * second beside two baselines from the same run:
 *   - a plain typed-array 10/30 SMA crossover loop (running sums, no output), the reference speed;
 *   - the same loop writing a per-bar result the size of the engine's (7 Float64 + 2 small arrays),
 *     which is what any engine that records an equity curve must at least pay.
 * Then the engine with a model that never trades (the fixed per-bar cost: clock, marks, NAV, risk
 * mode, recording) and with the `sma_cross` model (decisions, orders, fills on every crossover).
 * Costs are zeroed and limits opened so the crossover trades all the way through.
 */
import { performance } from 'node:perf_hooks';
import { runBacktest } from '../src/backtest/engine.js';
import { backtestSection } from '../src/config/sections/backtest.js';
import { createRng } from '../src/core/rng.js';
import type { BarFrame } from '../src/core/table.js';
import { createSmaCross, smaCrossParams } from '../src/models/sma-cross.js';
import type { Model } from '../src/models/types.js';
import { NEUTRAL_SNAPSHOT } from '../src/regime/types.js';
import type { BenchFigure, BenchWorkload } from './types.js';

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

function plainCross(c: Float64Array): number {
  let sf = 0;
  let ss = 0;
  let pos = 0;
  let flips = 0;
  for (let i = 0; i < c.length; i++) {
    sf += c[i]!;
    ss += c[i]!;
    if (i >= 10) sf -= c[i - 10]!;
    if (i >= 30) ss -= c[i - 30]!;
    if (i >= 29) {
      const d = sf / 10 > ss / 30 ? 1 : 0;
      if (d !== pos) {
        pos = d;
        flips++;
      }
    }
  }
  return flips;
}

function plainCrossRecorded(c: Float64Array): number {
  const out = [0, 1, 2, 3, 4, 5, 6].map(() => new Float64Array(c.length));
  const mode = new Uint8Array(c.length);
  const breaches = new Uint32Array(c.length);
  let sf = 0;
  let ss = 0;
  let pos = 0;
  let cash = 100_000;
  let qty = 0;
  for (let i = 0; i < c.length; i++) {
    sf += c[i]!;
    ss += c[i]!;
    if (i >= 10) sf -= c[i - 10]!;
    if (i >= 30) ss -= c[i - 30]!;
    if (i >= 29) {
      const d = sf / 10 > ss / 30 ? 1 : 0;
      if (d !== pos) {
        pos = d;
        const nav = cash + qty * c[i]!;
        const target = d ? nav / c[i]! : 0;
        cash -= (target - qty) * c[i]!;
        qty = target;
      }
    }
    const nav = cash + qty * c[i]!;
    for (let k = 0; k < 7; k++) out[k]![i] = nav;
    mode[i] = 0;
    breaches[i] = 0;
  }
  return out[0]![c.length - 1]!;
}

const never: Model = { name: 'idle', version: '1.0.0', universe: ['X'], warmupBars: 1, decide: () => null };

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
    description: 'engine over 1M bars of one symbol (idle model, sma_cross 10/30) beside plain typed-array loops (best of 5)',
    async run(): Promise<readonly BenchFigure[]> {
      const frame = makeFrame();
      const symbol = { symbol: 'X', assetClass: 'crypto_spot' as const, interval: '1m' as const, bars: frame, dataset: 'X:1m', digest: 'bench' };
      const config = backtestSection.parse({
        initial_capital: 100_000,
        costs: { default: { maker_bps: 0, taker_bps: 0, slippage_bps: 0, impact_coef: 0 } },
        risk: { per_asset_cap: 1, class_caps: {}, drawdown: { reduce_at: 0.99, reduce_scale: 1, halt_at: 0.999 } },
      });
      const regimeAt = () => NEUTRAL_SNAPSHOT;
      const close = frame.columns.close;
      const plain = best(() => plainCross(close));
      const recorded = best(() => plainCrossRecorded(close));
      const idle = best(() => runBacktest({ symbols: [symbol], models: [{ model: never, budget: 1 }], config, regimeAt }));
      const sma = best(() =>
        runBacktest({ symbols: [symbol], models: [{ model: createSmaCross(smaCrossParams.parse({ symbol: 'X', fast: 10, slow: 30 })), budget: 1 }], config, regimeAt }),
      );
      const rate = (ms: number): number => Math.round(N / (ms / 1000));
      return [
        { name: 'plain SMA-cross loop', value: rate(plain), unit: 'bars/s' },
        { name: 'plain loop + per-bar result arrays', value: rate(recorded), unit: 'bars/s' },
        { name: 'engine, idle model', value: rate(idle), unit: 'bars/s' },
        { name: 'engine, sma_cross 10/30', value: rate(sma), unit: 'bars/s' },
        { name: 'engine sma_cross / plain loop', value: Number((plain / sma).toFixed(3)), unit: 'ratio' },
      ];
    },
  },
];
