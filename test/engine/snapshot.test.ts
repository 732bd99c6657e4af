/**
 * Snapshot and restore (must-show): step a Trader through a historical clock to a random bar, take a
 * snapshot, encode it to bytes, restore it in a fresh worker thread that rebuilds the inputs from
 * the seed, continue there to the end: the result equals the uninterrupted run's, field for field
 * (orders, fills, trades, breaches, costs, attribution, and every per-step series value for value,
 * the derived cash, gross, net, drawdown and model P&L included, which the result digest does not
 * hash) and by result digest. Also: the snapshot digest is
 * stable (the same state twice, and after a round trip through bytes), a restore into another run
 * is refused, and a snapshot taken while orders work in parts carries them over.
 */
import { Worker } from 'node:worker_threads';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareRun } from '../../src/backtest/engine-setup.js';
import { runBacktest } from '../../src/backtest/engine.js';
import { resultDigest } from '../../src/backtest/engine-digest.js';
import type { BacktestResult } from '../../src/backtest/types.js';
import { HistoricalClock } from '../../src/engine/clock.js';
import { Trader } from '../../src/engine/trader.js';
import { decodeSnapshot, encodeSnapshot, restoreTrader, snapshotDigest, snapshotTrader } from '../../src/engine/snapshot.js';
import { snapshotScenario } from './snapshot-scenario.js';

let dir = '';
let workerFile = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'edgelab-snapshot-'));
  workerFile = join(dir, 'snapshot-worker.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL('./snapshot-worker.ts', import.meta.url))],
    bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: workerFile, logLevel: 'error',
    // yaml and zod are CommonJS inside: give the ESM bundle a require
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Step a fresh Trader of the scenario up to and including clock step `stopAt`. */
function traderStoppedAt(seed: number, stopAt: number): Trader {
  const input = snapshotScenario(seed);
  const prep = prepareRun(input);
  const trader = new Trader(input, prep);
  const clock = new HistoricalClock(prep.clock.times, prep.clock.offset, 0, stopAt);
  for (let e = clock.next(); e !== null; e = clock.next()) trader.step(e);
  return trader;
}

type Series = Float64Array | Uint8Array | Uint32Array;

/**
 * The first step where two series differ bit for bit (Object.is: −0 ≠ 0, NaN = NaN), or null. The
 * result digest (scheme 3) does not hash the derived series, so they are compared here value by value.
 */
function firstDifference(actual: Series, expected: Series): string | null {
  if (actual.length !== expected.length) return `length ${actual.length} ≠ ${expected.length}`;
  for (let i = 0; i < expected.length; i++) if (!Object.is(actual[i], expected[i])) return `step ${i}: ${actual[i]} ≠ ${expected[i]}`;
  return null;
}

/** Every per-step series of a result, derived ones included (cash, gross, net, drawdown, each model's P&L). */
function seriesOf(r: BacktestResult): Record<string, Series> {
  const out: Record<string, Series> = { ts: r.ts, nav: r.nav, cash: r.cash, gross: r.gross, net: r.net, drawdown: r.drawdown, mode: r.mode, breachCount: r.breachCount };
  for (const m of r.models) out[`models.${m.name}.pnl`] = m.pnl;
  return out;
}

/** The restored run equals the uninterrupted one in every series (value for value) and every record table. */
function expectSameResult(actual: BacktestResult, expected: BacktestResult): void {
  const a = seriesOf(actual);
  const e = seriesOf(expected);
  expect(Object.keys(a)).toEqual(Object.keys(e));
  const differences = Object.keys(e).flatMap((k) => {
    const d = firstDifference(a[k]!, e[k]!);
    return d === null ? [] : [`${k}: ${d}`];
  });
  if (differences.length > 0) throw new Error(`the series differ: ${differences.join('; ')}`);
  const { fills, orders, trades, breaches, costs, assets, finalMode } = expected;
  expect({ fills: actual.fills, orders: actual.orders, trades: actual.trades, breaches: actual.breaches, costs: actual.costs, assets: actual.assets, finalMode: actual.finalMode })
    .toEqual({ fills, orders, trades, breaches, costs, assets, finalMode });
  const withoutPnl = (r: BacktestResult) => r.models.map(({ pnl: _pnl, ...rest }) => rest);
  expect(withoutPnl(actual)).toEqual(withoutPnl(expected));
  expect(resultDigest(actual)).toBe(resultDigest(expected));
}

function continueInWorker(seed: number, bytes: Uint8Array): Promise<{ digestAtRestore: string; result: BacktestResult }> {
  return new Promise((resolve, reject) => {
    const w = new Worker(workerFile, { workerData: { seed, bytes } });
    w.once('message', (m) => {
      resolve(m as { digestAtRestore: string; result: BacktestResult });
      void w.terminate();
    });
    w.once('error', reject);
  });
}

describe('Trader snapshots', () => {
  it('the scenario exercises what a snapshot must carry (stops, partial fills, shorts, funding, borrow, mode changes)', () => {
    const r = runBacktest(snapshotScenario(1));
    expect(r.fills.some((f) => f.reason === 'stop')).toBe(true);
    expect(r.orders.some((o) => o.filled !== undefined && o.filled !== 0 && o.filled !== o.qty)).toBe(true);
    expect(r.costs.borrow).toBeGreaterThan(0);
    expect(r.costs.funding).not.toBe(0);
    expect(r.fills.some((f) => f.type === 'limit')).toBe(true);
    expect(r.models.every((m) => m.decisions > 5)).toBe(true);
    expect(r.breaches.some((b) => b.kind === 'drawdown_reduce')).toBe(true);
  });

  it('stop at a random bar, restore in a fresh worker thread, continue: the same result (fast-check over stop bars)', async () => {
    const seeds = [1, 2];
    const full = new Map(seeds.map((s) => [s, runBacktest(snapshotScenario(s))] as const));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...seeds), fc.integer({ min: 0, max: 118 }), async (seed, stopAt) => {
        const trader = traderStoppedAt(seed, stopAt);
        const snap = snapshotTrader(trader);
        const bytes = encodeSnapshot(snap);
        const { digestAtRestore, result } = await continueInWorker(seed, bytes);
        expect(digestAtRestore).toBe(snapshotDigest(snap));
        const expected = full.get(seed)!;
        expectSameResult(result, expected);
      }),
      { seed: 10, numRuns: 12 },
    );
  }, 120_000);

  it('the comparison fails on a derived series alone, which the result digest does not cover', () => {
    const expected = runBacktest(snapshotScenario(1));
    for (const field of ['cash', 'gross', 'net', 'drawdown', 'pnl'] as const) {
      const altered = structuredClone(expected);
      const series = field === 'pnl' ? altered.models[1]!.pnl : altered[field];
      series[77] = series[77]! + 1e-9;
      expect(resultDigest(altered)).toBe(resultDigest(expected));
      expect(() => expectSameResult(altered, expected)).toThrow(field === 'pnl' ? /models\.slow_ring\.pnl: step 77/ : new RegExp(`${field}: step 77`));
    }
    const signedZero = structuredClone(expected);
    signedZero.gross[0] = Object.is(signedZero.gross[0], -0) ? 0 : -0;
    expect(() => expectSameResult(signedZero, expected)).toThrow(/gross: step 0/);
  });

  it('in the same process too, the state restored is the state saved: equal digests, and equal after stepping both on', () => {
    const a = traderStoppedAt(2, 60);
    const snap = snapshotTrader(a);
    expect(snapshotDigest(snapshotTrader(a))).toBe(snapshotDigest(snap));
    expect(snapshotDigest(decodeSnapshot(encodeSnapshot(snap)))).toBe(snapshotDigest(snap));
    const input = snapshotScenario(2);
    const b = new Trader(input, prepareRun(input));
    restoreTrader(b, snap);
    expect(snapshotDigest(snapshotTrader(b))).toBe(snapshotDigest(snap));
    const clock = (t: Trader) => new HistoricalClock(t.prep.clock.times, t.prep.clock.offset, 61, 70);
    for (const t of [a, b]) {
      const c = clock(t);
      for (let e = c.next(); e !== null; e = c.next()) t.step(e);
    }
    expect(snapshotDigest(snapshotTrader(b))).toBe(snapshotDigest(snapshotTrader(a)));
    // and the digest moves when the state does
    expect(snapshotDigest(snapshotTrader(a))).not.toBe(snapshotDigest(snap));
  });

  it('refuses a snapshot of another run, naming both', () => {
    const snap = snapshotTrader(traderStoppedAt(1, 30));
    const other = snapshotScenario(2);
    const t = new Trader(other, prepareRun(other));
    expect(() => restoreTrader(t, snap)).toThrow(/the snapshot is of another run/);
  });
});
