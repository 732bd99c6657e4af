/**
 * The sma_cross sweep kernel (src/optimize/sma-sweep.ts) stores what the full trial stores: for random
 * (fast, slow) pairs, sizes, long/short and cost settings (no costs, a commission, the configured
 * fees + slippage + impact), on a 24/7 hourly clock and an equity daily clock, and on prices with
 * exact ties, its metrics, trade count and return series are byte-identical (canonical JSON) to the
 * full backtest's (`evaluateTrialInFull`: runBacktestAuto + performanceInput + computeMetrics), or it
 * declines (null) and the full backtest runs. The comparison can fail: the neighbouring combo, or
 * another commission, gives other bytes. `runTrials` uses the kernel where it covers the plan (engine
 * 'sweep') and the full backtest elsewhere (same-close fills, shorts, the configured portfolio), on
 * the job thread and on the worker pool, with the same numbers.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadConfig } from '../../src/config/load.js';
import { canonicalJson } from '../../src/core/canonical.js';
import { createRng } from '../../src/core/rng.js';
import { tableDigest, type AssetClass, type BarFrame, type Dataset } from '../../src/core/table.js';
import type { Interval } from '../../src/core/time.js';
import { Session } from '../../src/shell/session.js';
import { experimentFromOverlay, planOfPoint } from '../../src/optimize/experiment.js';
import { evaluateTrialInFull, planInWindow, type TrialOutcome } from '../../src/optimize/trial.js';
import { evaluateSmaCombo, evaluateSmaCombos, sweepSetup } from '../../src/optimize/sma-sweep.js';
import { runTrials } from '../../src/optimize/runner.js';
import { sharedDataset } from '../../src/optimize/pool.js';
import { columnFacts, sharedBlockMax, sharedBlockMin } from '../../src/optimize/shared-sma.js';
import { closeTimes } from '../../src/backtest/fast-path-result.js';
import { intervalMs } from '../../src/core/time.js';
import type { Point } from '../../src/optimize/dimensions.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A seeded random walk of n bars; `tick` rounds the closes (exact ties between the averages). */
function bars(name: string, symbol: string, interval: Interval, step: number, assetClass: AssetClass, n: number, seed: number, tick = 0): Dataset {
  const rng = createRng(seed, 'sma-sweep-test');
  const cols = { ts: new Float64Array(n), open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), volume: new Float64Array(n) };
  let c = 100;
  for (let i = 0; i < n; i++) {
    const o = c;
    c = o * Math.exp(0.0001 + 0.006 * rng.normal());
    if (tick > 0) c = Math.max(tick, Math.round(c / tick) * tick);
    cols.ts[i] = Date.UTC(2020, 0, 1) + i * step;
    cols.open[i] = o;
    cols.close[i] = c;
    cols.high[i] = Math.max(o, c) * 1.002;
    cols.low[i] = Math.min(o, c) * 0.998;
    cols.volume[i] = 1e5 * (1 + rng.uniform());
  }
  const table = { length: n, columns: cols } as unknown as BarFrame;
  return { name, kind: 'bars', stage: 'clean', symbol, interval, assetClass, source: 'test', table, digest: tableDigest(table) };
}

/**
 * Exact ties between the averages, where only the summation order decides the side: flat stretches,
 * and a period-4 pattern (10.1, 11.1, 12.1, 13.1; not exact in binary) whose means over any 4k bars
 * are equal, so a running sum's rounding would flip the comparison (shared-sma.test.ts's prices).
 */
function pattern(n: number): Dataset {
  const close = new Float64Array(n);
  for (let i = 0; i < n; i++) close[i] = i % 700 < 300 ? 50 : [10, 11, 12, 13][i % 4]! + (i % 1500 < 200 ? 0 : 0.1);
  const cols = { ts: new Float64Array(n), open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close, volume: new Float64Array(n).fill(1e6) };
  for (let i = 0; i < n; i++) {
    cols.ts[i] = Date.UTC(2020, 0, 1) + i * HOUR;
    cols.open[i] = i > 0 ? close[i - 1]! : close[0]!;
    cols.high[i] = Math.max(cols.open[i]!, close[i]!);
    cols.low[i] = Math.min(cols.open[i]!, close[i]!);
  }
  const table = { length: n, columns: cols } as unknown as BarFrame;
  return { name: 'Q:1h', kind: 'bars', stage: 'clean', symbol: 'Q', interval: '1h', assetClass: 'crypto_spot', source: 'test', table, digest: tableDigest(table) };
}

const hourly = bars('X:1h', 'X', '1h', HOUR, 'crypto_perp', 3000, 1);
/** One-minute bars: day-close samples every 1440 bars, so quiet stretches run long and across the 1024-bar blocks. */
const minutes = bars('M:1m', 'M', '1m', 60_000, 'crypto_perp', 12_000, 4);
const daily = bars('SPY:1d', 'SPY', '1d', DAY, 'etf', 1500, 2);
const tied = bars('T:1h', 'T', '1h', HOUR, 'crypto_spot', 2500, 3, 0.5);
const patterned = pattern(4000);
const datasets = new Map([hourly, daily, tied, patterned, minutes].map((d) => [d.name, d]));

const base = loadConfig(join(root, 'configs/base.yaml')).config;
const universe = {
  X: { asset_class: 'crypto_perp' as const }, SPY: { asset_class: 'etf' as const }, T: { asset_class: 'crypto_spot' as const }, Q: { asset_class: 'crypto_spot' as const },
  M: { asset_class: 'crypto_perp' as const },
};
const withData = { ...base, backtest: { ...base.backtest, universe } };
const P = 'backtest.models.sma_cross.parameters.';
const COSTS = [{ commission_pct: 0 }, { commission_pct: 0.1 }, {}] as const;
const DATA = [
  { symbol: 'X', interval: '1h' },
  { symbol: 'SPY', interval: '1d' },
  { symbol: 'T', interval: '1h' },
  { symbol: 'Q', interval: '1h' },
  { symbol: 'M', interval: '1m' },
] as const;

const experimentOf = (costs: (typeof COSTS)[number], interval: Interval, overlay: Record<string, unknown> = {}) =>
  experimentFromOverlay('t', { ...overlay, optimize: { model: 'sma_cross', interval, ...costs } }, withData, 'test');

/** What a trial stores, engine label aside. */
const stored = (o: TrialOutcome): string => canonicalJson({ metrics: o.metrics, trades: o.trades, returnTs: o.returnTs, returns: o.returns });

interface Combo {
  readonly fast: number;
  readonly slow: number;
  readonly short: boolean;
  readonly size: string;
  readonly costs: number;
  readonly data: number;
}

function planOf(c: Combo) {
  const d = DATA[c.data]!;
  const point = { [`${P}fast`]: c.fast, [`${P}slow`]: c.slow, [`${P}short`]: c.short, [`${P}size`]: c.size, [`${P}symbol`]: d.symbol };
  return { plan: planOfPoint(experimentOf(COSTS[c.costs]!, d.interval), point), point };
}

/** The kernel's outcome (null when it declines) and the full backtest's. */
async function both(c: Combo): Promise<{ kernel: TrialOutcome | null; full: TrialOutcome }> {
  const { plan, point } = planOf(c);
  const setup = sweepSetup(plan, datasets, false);
  if (typeof setup === 'string') throw new Error(`the kernel should cover this plan: ${setup}`);
  return { kernel: evaluateSmaCombo(setup, plan), full: await evaluateTrialInFull(datasets, { plan, point }) };
}

const combo = fc
  .record({
    fast: fc.integer({ min: 1, max: 60 }),
    gap: fc.integer({ min: 1, max: 250 }),
    short: fc.boolean(),
    size: fc.constantFrom('equity:0.95', 'equity:0.5', 'equity:1', 'units:2'),
    costs: fc.integer({ min: 0, max: COSTS.length - 1 }),
    data: fc.integer({ min: 0, max: DATA.length - 1 }),
  })
  .map(({ fast, gap, ...rest }): Combo => ({ fast, slow: fast + gap, ...rest }));

describe('the sma_cross sweep kernel', () => {
  it('stores byte for byte what the full backtest stores, or declines', async () => {
    let covered = 0;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(combo, async (c) => {
        runs++;
        const { kernel, full } = await both(c);
        if (kernel === null) return;
        covered++;
        expect(kernel.engine).toBe('sweep');
        expect(full.engine).toBe('fast');
        expect(stored(kernel)).toBe(stored(full));
      }),
      { numRuns: 60, seed: 16 },
    );
    // the property is not carried by declines: long-only combos are all covered
    expect(covered).toBeGreaterThan(runs / 3);
  });

  it('covers long-only combos on each clock, ties included, with trades', async () => {
    for (const data of [0, 1, 2]) {
      for (const costs of [0, 1, 2]) {
        const { kernel, full } = await both({ fast: 3, slow: 17, short: false, size: 'equity:0.95', costs, data });
        expect(kernel, `data ${data}, costs ${costs}`).not.toBeNull();
        expect(kernel!.trades).toBeGreaterThan(5);
        expect(stored(kernel!)).toBe(stored(full));
      }
    }
  });

  it('decides exact ties as the model does (means equal in value, unequal running sums)', async () => {
    let trades = 0;
    for (const [fast, slow] of [[4, 8], [4, 16], [8, 20], [12, 40], [20, 100], [36, 700]] as const) {
      for (const short of [false]) {
        const { kernel, full } = await both({ fast, slow, short, size: 'equity:0.95', costs: 0, data: 3 });
        expect(kernel, `${fast}/${slow}`).not.toBeNull();
        expect(stored(kernel!), `${fast}/${slow}`).toBe(stored(full));
        trades += kernel!.trades;
      }
    }
    expect(trades).toBeGreaterThan(20);
  });

  it('runs a batch of combos (averages shared, 1024 bars at a time) with each combo’s own outcome, on a window too', async () => {
    const window = { start: Date.UTC(2020, 0, 9, 5), end: Date.UTC(2020, 3, 1, 7) };
    for (const win of [undefined, window]) {
      const combos: Combo[] = [[3, 17], [3, 40], [10, 17], [20, 300], [7, 1100], [12, 40]].flatMap(([fast, slow], i) => [
        { fast: fast!, slow: slow!, short: false, size: i % 2 ? 'equity:0.5' : 'equity:0.95', costs: 2, data: 0 },
        { fast: fast!, slow: slow!, short: true, size: 'equity:0.95', costs: 2, data: 0 },
      ]);
      const plans = combos.map((c) => planInWindow(planOf(c).plan, win));
      const setup = sweepSetup(plans[0]!, datasets, false);
      if (typeof setup === 'string') throw new Error(setup);
      const batch = evaluateSmaCombos(setup, plans);
      let covered = 0;
      for (let i = 0; i < plans.length; i++) {
        const alone = evaluateSmaCombo(setup, plans[i]!);
        expect(batch[i] === null, `combo ${i}`).toBe(alone === null);
        if (batch[i] === null) continue;
        covered++;
        const full = await evaluateTrialInFull(datasets, { plan: plans[i]!, point: planOf(combos[i]!).point });
        expect(stored(batch[i]!), `combo ${i}`).toBe(stored(full));
      }
      expect(covered).toBeGreaterThanOrEqual(6);
    }
  });

  it('takes the close times and the close column’s facts the pool computed once in shared memory (pool.ts sharedDataset), with the same outcomes', () => {
    for (const plain of [hourly, minutes]) {
      const shared = sharedDataset(plain);
      const once = shared.closeTimes!;
      expect(once.times.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(once.times).toEqual(closeTimes(plain.table.columns['ts'] as Float64Array, intervalMs(plain.interval!)));
      const facts = shared.closeFacts!;
      const own = columnFacts(plain.table.columns['close'] as Float64Array);
      expect(facts.positive).toBe(own.positive);
      for (const extreme of ['blockMax', 'blockMin'] as const) {
        expect(facts[extreme].buffer).toBeInstanceOf(SharedArrayBuffer);
        expect([...facts[extreme]]).toEqual([...own[extreme]]);
      }
      // the extremes are the block's: every close of block i lies between them, and each is a close of the block
      const close = plain.table.columns['close'] as Float64Array;
      own.blockMax.forEach((hi, i) => {
        const block = close.subarray(i * 1024, (i + 1) * 1024);
        expect([Math.max(...block), Math.min(...block)]).toEqual([hi, own.blockMin[i]]);
      });
      const onShared = new Map([...datasets, [plain.name, shared]]);
      const data = DATA.findIndex((d) => d.symbol === plain.symbol);
      const ts = plain.table.columns['ts'] as Float64Array;
      const window = { start: ts[400]!, end: ts[2600]! };
      for (const win of [undefined, window]) {
        const plans = [[3, 17], [10, 40], [7, 300]].map(([fast, slow]) => planInWindow(planOf({ fast: fast!, slow: slow!, short: false, size: 'equity:0.95', costs: 2, data }).plan, win));
        const own = sweepSetup(plans[0]!, datasets, false);
        const taken = sweepSetup(plans[0]!, onShared, false);
        if (typeof own === 'string' || typeof taken === 'string') throw new Error('the kernel should cover these plans');
        expect(taken.ts.buffer).toBe(once.times.buffer);
        // the close column's positivity and block maxima, found once when the data was shared
        expect(sharedBlockMax(taken.d.close)).toBe(shared.closeFacts!.blockMax);
        expect(sharedBlockMin(taken.d.close)).toBe(shared.closeFacts!.blockMin);
        expect(own.ts.buffer).not.toBe(once.times.buffer);
        expect(taken.ts).toEqual(own.ts);
        // the day-close rows the pool found once: taken by a sweep over the whole data on the dataset's
        // calendar, found anew on a window; the same rows either way
        expect(shared.dayCloses!.calendar).toBe('24/7');
        expect(shared.dayCloses!.rows.rows.buffer).toBeInstanceOf(SharedArrayBuffer);
        if (win === undefined) expect(taken.closeRows).toBe(shared.dayCloses!.rows);
        else expect(taken.closeRows).not.toBe(shared.dayCloses!.rows);
        expect(own.closeRows).not.toBe(shared.dayCloses!.rows);
        expect([...taken.closeRows.ts]).toEqual([...own.closeRows.ts]);
        expect([...taken.closeRows.rows]).toEqual([...own.closeRows.rows]);
        // bars copied under another asset class (another calendar) than the run's: found anew
        const otherClass = sharedDataset({ ...plain, assetClass: 'etf', digest: `${plain.digest}-etf` });
        expect(otherClass.dayCloses!.calendar).toBe('equity');
        const onOther = sweepSetup(plans[0]!, new Map([...datasets, [plain.name, otherClass]]), false);
        if (typeof onOther === 'string') throw new Error(onOther);
        expect(onOther.closeRows).not.toBe(otherClass.dayCloses!.rows);
        expect([...onOther.closeRows.rows]).toEqual([...own.closeRows.rows]);
        const got = evaluateSmaCombos(taken, plans);
        expect(got.every((o) => o !== null)).toBe(true);
        expect(got.map((o) => stored(o!))).toEqual(evaluateSmaCombos(own, plans).map((o) => stored(o!)));
      }
    }
    // bars that carry their own close times run on them: nothing to share
    const withCloseTs = { ...hourly, name: 'XC:1h', table: { ...hourly.table, columns: { ...hourly.table.columns, close_ts: new Float64Array(hourly.table.length) } } } as Dataset;
    expect(sharedDataset(withCloseTs).closeTimes).toBeUndefined();
  });

  it('runs long quiet stretches on a one-minute clock (flat and holding, across blocks and day closes) to the full backtest’s bytes', async () => {
    let trades = 0;
    // one batch per sweep setup (the costs and the size are the setup's, as evaluateTrials groups them)
    for (const costs of [0, 1, 2]) {
      const combos: Combo[] = [[2, 9], [5, 60], [10, 240], [30, 1500], [45, 46]].map(([fast, slow]) => ({
        fast: fast!, slow: slow!, short: false, size: costs === 1 ? 'units:3' : 'equity:0.95', costs, data: 4,
      }));
      const plans = combos.map((c) => planOf(c).plan);
      const setup = sweepSetup(plans[0]!, datasets, false);
      if (typeof setup === 'string') throw new Error(setup);
      const batch = evaluateSmaCombos(setup, plans);
      for (let i = 0; i < plans.length; i++) {
        expect(batch[i], `costs ${costs}, combo ${i}`).not.toBeNull();
        const full = await evaluateTrialInFull(datasets, { plan: plans[i]!, point: planOf(combos[i]!).point });
        expect(stored(batch[i]!), `costs ${costs}, combo ${i}`).toBe(stored(full));
        trades += batch[i]!.trades;
      }
      // day-close samples (8 days and a bit)
      expect(batch[0]!.returns.length).toBeGreaterThanOrEqual(7);
    }
    // many trades: the quiet loops, the fills and the samples all ran
    expect(trades).toBeGreaterThan(500);
  });

  it('can fail: a neighbouring combo or another commission stores other bytes', async () => {
    const c: Combo = { fast: 4, slow: 30, short: false, size: 'equity:0.95', costs: 0, data: 0 };
    const { kernel } = await both(c);
    const neighbour = await both({ ...c, slow: 31 });
    const costlier = await both({ ...c, costs: 1 });
    expect(stored(kernel!)).not.toBe(stored(neighbour.full));
    expect(stored(kernel!)).not.toBe(stored(costlier.full));
  });

  it('declines a short book (margin and borrow are the full backtest’s) and a binding limit', async () => {
    expect((await both({ fast: 5, slow: 40, short: true, size: 'equity:0.95', costs: 0, data: 0 })).kernel).toBeNull();
    // units:2 on a close near 100 with budget 1 is a weight far above the per-asset cap of 1
    const capped = planOf({ fast: 5, slow: 40, short: false, size: 'units:2000', costs: 0, data: 0 });
    const setup = sweepSetup(capped.plan, datasets, false);
    expect(typeof setup).not.toBe('string');
    expect(evaluateSmaCombo(setup as Exclude<typeof setup, string>, capped.plan)).toBeNull();
  });

  it('says why it does not cover a plan', () => {
    const point = { [`${P}fast`]: 5, [`${P}slow`]: 20, [`${P}symbol`]: 'X' };
    const sameClose = planOfPoint(experimentOf(COSTS[0], '1h', { backtest: { execution: { fill: 'same_close' } } }), point);
    expect(sweepSetup(sameClose, datasets, false)).toMatch(/execution\.fill same_close/);
    const portfolio = experimentFromOverlay('p', {}, withData, 'test');
    expect(sweepSetup(planOfPoint(portfolio, {}), datasets, false)).toBe('not a single-model sma_cross plan');
  });
});

describe('runTrials and the kernel', () => {
  const session = (): Session => {
    const s = new Session({ root });
    for (const d of datasets.values()) s.addDataset(d);
    return s;
  };
  const points: Point[] = [
    { [`${P}fast`]: 3, [`${P}slow`]: 20, [`${P}symbol`]: 'X' },
    { [`${P}fast`]: 6, [`${P}slow`]: 50, [`${P}symbol`]: 'X' },
    { [`${P}fast`]: 6, [`${P}slow`]: 50, [`${P}symbol`]: 'X', [`${P}short`]: true },
  ];

  it('uses the kernel where it covers the trial and the full backtest elsewhere, with the same numbers', async () => {
    const got = await runTrials(session(), { base: experimentOf(COSTS[1], '1h'), points, workers: 0, store: false });
    expect(got.map((g) => g.engine)).toEqual(['sweep', 'sweep', 'fast']);
    for (const g of got) {
      const full = await evaluateTrialInFull(datasets, { plan: planOfPoint(experimentOf(COSTS[1], '1h'), g.point), point: g.point });
      expect(stored(g)).toBe(stored(full));
    }
    const sameClose = await runTrials(session(), { base: experimentOf(COSTS[1], '1h', { backtest: { execution: { fill: 'same_close' } } }), points: points.slice(0, 1), workers: 0, store: false });
    expect(sameClose[0]!.engine).toBe('fast');
  });

  it('gives the full backtest’s numbers on a window of decision times (walk-forward folds)', async () => {
    const window = { start: Date.UTC(2020, 0, 20), end: Date.UTC(2020, 2, 20) };
    const base = experimentOf(COSTS[2], '1h');
    const got = await runTrials(session(), { base, points: points.slice(0, 2), workers: 0, store: false, window });
    expect(got.map((g) => g.engine)).toEqual(['sweep', 'sweep']);
    for (const g of got) {
      const full = await evaluateTrialInFull(datasets, { plan: planInWindow(planOfPoint(base, g.point), window), point: g.point });
      expect(stored(g)).toBe(stored(full));
      expect(g.returnTs[0]).toBeGreaterThanOrEqual(window.start);
    }
  });

  const built = existsSync(join(root, 'dist/src/optimize/trial-worker.js'));
  it.skipIf(!built)('gives the same trials on the worker pool (2 threads) as on the job thread', async () => {
    const inline = await runTrials(session(), { base: experimentOf(COSTS[2], '1h'), points, workers: 0, store: false });
    const pooled = await runTrials(session(), { base: experimentOf(COSTS[2], '1h'), points, workers: 2, store: false });
    expect(pooled.map((p) => p.engine)).toEqual(['sweep', 'sweep', 'fast']);
    expect(pooled.map(stored)).toEqual(inline.map(stored));
  });
  it.skipIf(!built)('keeps its pool across sweeps: a cancelled sweep leaves it working for the next', async () => {
    const base = experimentOf(COSTS[2], '1h');
    const many: Point[] = [3, 4, 5, 6, 7, 8].flatMap((fast) => [20, 60, 300].map((slow) => ({ [`${P}fast`]: fast, [`${P}slow`]: slow, [`${P}symbol`]: 'X' })));
    const controller = new AbortController();
    controller.abort();
    await expect(runTrials(session(), { base, points: many, workers: 2, store: false }, { signal: controller.signal })).rejects.toThrow(/cancel/i);
    const cancelLater = new AbortController();
    // cancelled while its chunks run on the workers (piscina ends the threads; the pool starts new ones)
    const cancelled = runTrials(session(), { base, points: many, workers: 2, store: false }, { signal: cancelLater.signal, onProgress: () => setTimeout(() => cancelLater.abort(), 20) });
    await expect(cancelled).rejects.toThrow(/cancel/i);
    const pooled = await runTrials(session(), { base, points: many, workers: 2, store: false });
    const inline = await runTrials(session(), { base, points: many, workers: 0, store: false });
    expect(pooled.map(stored)).toEqual(inline.map(stored));
  });
  if (!built) it('skips the pool test: run npm run build first (workers load the compiled trial worker)', () => undefined);
});
