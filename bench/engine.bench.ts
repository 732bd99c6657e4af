/**
 * Backtest engine workloads (issue 5, must-show 6): one symbol × 1M one-minute bars, `sma_cross`
 * 10/30 (95 % of equity, long-only, next-open fills), in bars per second, every variant in the same
 * run over the same bars:
 *   - plain loop, signal only: a typed-array 10/30 crossover with running sums and no output (the
 *     issue's reference speed);
 *   - plain loop, signal + accounting: the same crossover plus what a backtest must do — orders to
 *     95 % of NAV rounded to the lot, next-open fills with fees, a fill and a trade log, cash, NAV,
 *     peak and drawdown, and the seven per-bar result series the engine returns (a fairer baseline);
 *   - the fast path (src/backtest/fast-path.ts through `runBacktestAuto`, which picks it): the
 *     vectorised signal plus the single-asset simulation, the result the event engine would give;
 *   - the event engine (`runBacktest`) with the per-bar model call, and with a model that never
 *     trades (its fixed per-bar cost).
 * Each figure is the best of 5; the ratios compare the fast path and the event engine with each
 * baseline. A 50/200 crossover (far fewer trades) shows the per-bar cost apart from the per-fill one. Costs are zeroed and limits opened so the crossover trades all the way through.
 */
import { performance } from 'node:perf_hooks';
import { runBacktest } from '../src/backtest/engine.js';
import { runBacktestAuto } from '../src/backtest/fast-path-select.js';
import { backtestSection } from '../src/config/sections/backtest.js';
import { createRng } from '../src/core/rng.js';
import type { BarFrame } from '../src/core/table.js';
import { createSmaCross, smaCrossParams } from '../src/models/sma-cross.js';
import type { Model } from '../src/models/types.js';
import { NEUTRAL_SNAPSHOT } from '../src/regime/types.js';
import type { BenchFigure, BenchWorkload } from './types.js';
import { plainCross } from './baselines.js';

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

/**
 * The crossover plus the accounting a backtest needs, hand-written: at a change of direction order
 * floor(0.95 · NAV / close / lot) · lot (or the whole position out), fill it at the next open with a
 * fee, log each fill and each round trip as a record, and record ts, NAV, cash, gross, net,
 * drawdown and P&L per bar (the series the engine returns).
 */
function plainCrossAccounted(ts: Float64Array, open: Float64Array, c: Float64Array, step: number, feeRate: number, lot: number): number {
  const n = c.length;
  const tsA = new Float64Array(n);
  const navA = new Float64Array(n);
  const cashA = new Float64Array(n);
  const grossA = new Float64Array(n);
  const netA = new Float64Array(n);
  const ddA = new Float64Array(n);
  const pnlA = new Float64Array(n);
  const capital = 100_000;
  let sf = 0;
  let ss = 0;
  let dir = 0;
  let cash = capital;
  let qty = 0;
  let pending = 0;
  let peak = capital;
  const fills: { ts: number; qty: number; price: number; fee: number }[] = [];
  const trades: { entryTs: number; exitTs: number; qty: number; entryPrice: number; exitPrice: number; pnl: number }[] = [];
  let entryTs = 0;
  let entryPrice = 0;
  let entryCash = 0;
  for (let i = 0; i < n; i++) {
    if (pending !== 0) {
      const px = open[i]!;
      const fee = Math.abs(pending) * px * feeRate;
      const before = cash;
      cash -= pending * px + fee;
      fills.push({ ts: ts[i]!, qty: pending, price: px, fee });
      if (qty === 0) {
        entryTs = ts[i]!;
        entryPrice = px;
        entryCash = before;
      } else trades.push({ entryTs, exitTs: ts[i]!, qty, entryPrice, exitPrice: px, pnl: cash - entryCash });
      qty += pending;
      pending = 0;
    }
    const px = c[i]!;
    sf += px;
    ss += px;
    if (i >= 10) sf -= c[i - 10]!;
    if (i >= 30) ss -= c[i - 30]!;
    const pos = qty * px;
    const nav = cash + pos;
    if (i >= 29) {
      const d = sf / 10 > ss / 30 ? 1 : 0;
      if (d !== dir) {
        dir = d;
        pending = d === 1 ? Math.floor((0.95 * nav) / px / lot) * lot - qty : -qty;
      }
    }
    if (nav > peak) peak = nav;
    tsA[i] = ts[i]! + step;
    navA[i] = nav;
    cashA[i] = cash;
    grossA[i] = Math.abs(pos) / nav;
    netA[i] = pos / nav;
    ddA[i] = 1 - nav / peak;
    pnlA[i] = nav - capital;
  }
  let last = fills.length + trades.length;
  for (const a of [tsA, navA, cashA, grossA, netA, ddA, pnlA]) last += a[n - 1]!;
  return last;
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
    description: 'sma_cross 10/30 over 1M bars of one symbol: plain loops (signal only; signal + accounting), fast path, event engine (best of 5)',
    async run(): Promise<readonly BenchFigure[]> {
      const frame = makeFrame();
      const symbol = { symbol: 'X', assetClass: 'crypto_spot' as const, interval: '1m' as const, bars: frame, dataset: 'X:1m', digest: 'bench' };
      const config = backtestSection.parse({
        initial_capital: 100_000,
        costs: { default: { maker_bps: 0, taker_bps: 0, slippage_bps: 0, impact_coef: 0 } },
        risk: { per_asset_cap: 1, class_caps: {}, drawdown: { reduce_at: 0.99, reduce_scale: 1, halt_at: 0.999 } },
      });
      const regimeAt = () => NEUTRAL_SNAPSHOT;
      const { ts, open, close } = frame.columns;
      const model = createSmaCross(smaCrossParams.parse({ symbol: 'X', fast: 10, slow: 30 }));
      const input = { symbols: [symbol], models: [{ model, budget: 1 }], config, regimeAt };
      const fastModel = { model, warmupBars: model.warmupBars };
      const check = runBacktestAuto(input, fastModel);
      if (check.engine.path !== 'fast') throw new Error(`the fast path did not run: ${check.engine.reason}`);
      const plain = best(() => plainCross(close));
      const accounted = best(() => plainCrossAccounted(ts, open, close, 60_000, 0, 0.0001));
      const fast = best(() => runBacktestAuto(input, fastModel));
      const sma = best(() => runBacktest(input));
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
        { name: 'plain loop, signal + accounting', value: rate(accounted), unit: 'bars/s' },
        { name: 'fast path, sma_cross 10/30', value: rate(fast), unit: 'bars/s' },
        { name: 'event engine, sma_cross 10/30', value: rate(sma), unit: 'bars/s' },
        { name: 'event engine, idle model', value: rate(idle), unit: 'bars/s' },
        { name: 'fast path / plain signal-only loop', value: ratio(plain / fast), unit: 'ratio' },
        { name: 'fast path / plain signal + accounting loop', value: ratio(accounted / fast), unit: 'ratio' },
        { name: 'event engine / plain signal-only loop', value: ratio(plain / sma), unit: 'ratio' },
        { name: 'event engine / plain signal + accounting loop', value: ratio(accounted / sma), unit: 'ratio' },
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
