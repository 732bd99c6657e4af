/**
 * Reading a result's derived series without building them (src/backtest/result-series.ts): on a
 * fast-path result the chunks replayed from its log equal, value for value, the series the event
 * engine records for the same run; the counts, point values, mode-change steps and the chunked
 * drawdown chart equal the same things read from the event engine's arrays; the digest taken from
 * the fast path's order and fill logs equals the digest of the same records built; and after the whole
 * `backtest` report and its blocks the fast result has still not built its cash, gross, net,
 * drawdown, mode or breach-count series.
 */
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { tableDigest, type Dataset } from '../../src/core/table.js';
import { runBacktest } from '../../src/backtest/engine.js';
import { runFastPath } from '../../src/backtest/fast-path.js';
import { resultDigest } from '../../src/backtest/engine-digest.js';
import { backtestBlocks } from '../../src/backtest/report-blocks.js';
import { downsampleMax, downsampleMaxOf } from '../../src/backtest/report-series.js';
import { countPositive, modeChangeSteps, modeReader, scanSeries, valueAt, valuesAt, type DerivedName } from '../../src/backtest/result-series.js';
import { singleModelPlan } from '../../src/backtest/run-backtest-plan.js';
import { runBacktestReport } from '../../src/backtest/run-backtest.js';
import type { BacktestResult } from '../../src/backtest/types.js';
import { createSmaCross, smaCrossParams } from '../../src/models/sma-cross.js';
import type { Model } from '../../src/models/types.js';
import { createRng } from '../../src/core/rng.js';
import { exposure } from '../../src/backtest/metrics/index.js';
import { cfg, neutral } from './engine-helpers.js';
import { pathBars } from './fast-path-helpers.js';

const NAMES: readonly DerivedName[] = ['cash', 'gross', 'net', 'drawdown'];
const built = (r: BacktestResult, key: string): boolean => Object.getOwnPropertyDescriptor(r, key)?.get === undefined;

function runs(): { event: BacktestResult; fast: BacktestResult } {
  // 40 000 steps: several replay chunks; long/short with funding, costs and impact
  const sym = pathBars({ n: 40_000, seed: 9, vol: 0.01, tick: 0.01, funding: 0.0001 }, 'crypto_perp', '1h');
  const model = createSmaCross(smaCrossParams.parse({ symbol: 'X', fast: 6, slow: 40, short: true, size: 'units:2' }));
  const input = { symbols: [sym], models: [{ model, budget: 1 }], config: cfg({ costs: { default: { maker_bps: 1, taker_bps: 5, slippage_bps: 2, impact_coef: 0.1 } } }), regimeAt: neutral };
  const fast = runFastPath(input, { model, warmupBars: model.warmupBars });
  if (!fast.ok) throw new Error(fast.reason);
  return { event: runBacktest(input), fast: fast.result };
}

/**
 * The drawdown chart written plainly: the endpoints and, per bucket [lo, hi) of the interior
 * (buckets = maxPoints − 2, lo = 1 + ⌊b·size⌋, hi = min(n − 1, 1 + ⌊(b + 1)·size⌋), empty ones
 * skipped), the first largest value (a NaN at lo stays: nothing compares greater); NaN shown as null.
 */
function plainDownsampleMax(x: Float64Array, y: Float64Array, maxPoints: number): { x: number[]; y: (number | null)[] } {
  const n = x.length;
  const cell = (v: number): number | null => (Number.isFinite(v) ? v : null);
  if (n <= maxPoints) return { x: Array.from(x), y: Array.from(y, cell) };
  const buckets = maxPoints - 2;
  const size = (n - 2) / buckets;
  const idx = [0];
  for (let b = 0; b < buckets; b++) {
    const lo = 1 + Math.floor(b * size);
    const hi = Math.min(n - 1, 1 + Math.floor((b + 1) * size));
    if (hi <= lo) continue;
    let best = lo;
    for (let i = lo + 1; i < hi; i++) if (y[i]! > y[best]!) best = i;
    idx.push(best);
  }
  idx.push(n - 1);
  return { x: idx.map((i) => x[i]!), y: idx.map((i) => cell(y[i]!)) };
}

describe('derived series read without building them', () => {
  it('replayed chunks equal the event engine series; nothing is built', () => {
    const { event, fast } = runs();
    // the digest hashes the fast result's orders and fills from its logs (not read as records yet):
    // the same digest as the same result with every record built, and as the event engine's
    const digest = resultDigest(fast);
    for (const key of ['orders', 'fills']) expect(built(fast, key)).toBe(false);
    // (a second run of the same input, every record and series built by the spread)
    expect(resultDigest({ ...runs().fast })).toBe(digest);
    expect(digest).toBe(resultDigest(event));
    expect(event.fills.length).toBeGreaterThan(500);
    for (const name of NAMES) {
      const got = new Float64Array(fast.nav.length);
      let next = 0;
      let chunks = 0;
      scanSeries(fast, name, (from, values) => {
        expect(from).toBe(next);
        got.set(values, from);
        next = from + values.length;
        chunks++;
      });
      expect(next).toBe(event[name].length);
      expect(chunks).toBeGreaterThan(1);
      expect(Buffer.from(got.buffer).equals(Buffer.from(event[name].buffer, event[name].byteOffset, event[name].byteLength))).toBe(true);
      expect(built(fast, name)).toBe(false);
    }
    const rng = createRng(3, 'result-series');
    const steps = [...new Set(Array.from({ length: 50 }, () => Math.floor(rng.uniform() * fast.nav.length)))].sort((a, b) => a - b);
    expect(valuesAt(fast, 'drawdown', steps)).toEqual(steps.map((i) => event.drawdown[i]));
    expect(valuesAt(fast, 'gross', [fast.nav.length - 1])).toEqual([event.gross[event.gross.length - 1]]);
    let held = 0;
    for (const g of event.gross) if (g > 0) held++;
    expect(held).toBeGreaterThan(1000);
    expect(countPositive(fast, 'gross')).toBe(held);
    // one step's gross without a replay: at event steps, between them, the first and the last step
    const fillSteps = event.fills.slice(0, 20).map((f) => event.ts.indexOf(f.ts));
    for (const step of [0, 1, ...fillSteps, ...fillSteps.map((i) => i + 1), ...steps, fast.nav.length - 1]) {
      expect(Object.is(valueAt(fast, 'gross', step), event.gross[step]), `step ${step}`).toBe(true);
    }
    expect(countPositive(event, 'gross')).toBe(held);
    expect(modeChangeSteps(fast)).toEqual([0]);
    expect(modeChangeSteps(event)).toEqual([0]);
    expect(modeReader(fast)(123)).toBe(event.mode[123]);
    for (const key of ['cash', 'gross', 'net', 'drawdown', 'mode', 'breachCount']) expect(built(fast, key)).toBe(false);
  });

  it('the drawdown chart from chunks equals the one from the array, for any chunking', () => {
    const rng = createRng(5, 'downsample-chunks');
    for (const n of [3, 399, 400, 401, 10_000, 77_777]) {
      const x = Float64Array.from({ length: n }, (_, i) => i * 60_000);
      const y = Float64Array.from({ length: n }, (_, i) => (i % 97 === 0 ? NaN : Math.abs(Math.sin(i / 300)) * rng.uniform()));
      const want = downsampleMax(x, y, 400);
      expect(want).toEqual(plainDownsampleMax(x, y, 400));
      for (const size of [1, 2, 7, 1000, 2499, n]) {
        const got = downsampleMaxOf(x, (visit) => {
          for (let from = 0; from < n; from += size) visit(from, y.subarray(from, Math.min(n, from + size)));
        }, 400);
        expect(got).toEqual(want);
      }
    }
  });

  it('the whole backtest report and its blocks: the same blocks as the event engine, and the fast result builds no derived series, orders or fills', async () => {
    const sym = pathBars({ n: 3000, seed: 21, vol: 0.02, tick: 0.01 }, 'crypto_spot', '1h');
    const ds: Dataset = { name: 'X:1h', kind: 'bars', stage: 'clean', symbol: 'X', interval: '1h', assetClass: 'crypto_spot', source: 'test', table: sym.bars, digest: tableDigest(sym.bars) };
    const plan = singleModelPlan(configSchema.parse({}), 'sma_cross', { params: { symbol: 'X', fast: 5, slow: 30 }, interval: '1h' });
    const data = new Map([[ds.name, ds]]);
    const fast = await runBacktestReport(plan, data, { probes: false });
    const event = await runBacktestReport(plan, data, { probes: false, decorate: (m: Model): Model => m });
    expect([fast.engine.path, event.engine.path]).toEqual(['fast', 'event']);
    const blocks = backtestBlocks(fast);
    expect(blocks).toEqual(backtestBlocks(event));
    expect(fast.metrics['exposure']).toBeGreaterThan(0.3);
    expect(fast.metrics['exposure']).toBe(exposure(event.result.gross));
    for (const key of ['cash', 'gross', 'net', 'drawdown', 'mode', 'breachCount', 'orders', 'fills']) expect(built(fast.result, key)).toBe(false);
    expect(built(event.result, 'gross')).toBe(true);
    expect(fast.result.orders.length).toBeGreaterThan(20); // the blocks showed the head of a longer log
  });
});

describe('the digest from the fast path logs', () => {
  it('a run without a single order: the same digest as its records built', () => {
    const sym = pathBars({ n: 20, seed: 3, vol: 0.01, tick: 0.01 }, 'crypto_spot', '1h');
    const model = createSmaCross(smaCrossParams.parse({ symbol: 'X', fast: 10, slow: 40 }));
    const input = { symbols: [sym], models: [{ model, budget: 1 }], config: cfg(), regimeAt: neutral };
    const a = runFastPath(input, { model, warmupBars: model.warmupBars });
    const b = runFastPath(input, { model, warmupBars: model.warmupBars });
    if (!a.ok || !b.ok) throw new Error('the fast path did not run');
    expect(b.result.fills).toEqual([]);
    expect(resultDigest(a.result)).toBe(resultDigest({ ...b.result }));
    expect(resultDigest(a.result)).toBe(resultDigest(runBacktest(input)));
  });
});
