/** Shared test helpers for the features tests: seeded inputs and tolerant array comparison. */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { createRng } from '../../src/core/rng.js';

/** A seeded geometric random walk with OHLC around it (high ≥ max(open, close), low ≤ min). */
export function randomBars(n: number, seed = 7, start = 100): { open: Float64Array; high: Float64Array; low: Float64Array; close: Float64Array } {
  const rng = createRng(seed, 'features-test');
  const open = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const close = new Float64Array(n);
  let c = start;
  for (let i = 0; i < n; i++) {
    const o = c;
    c = o * Math.exp(0.01 * rng.normal());
    open[i] = o;
    close[i] = c;
    high[i] = Math.max(o, c) * (1 + 0.005 * rng.uniform());
    low[i] = Math.min(o, c) * (1 - 0.005 * rng.uniform());
  }
  return { open, high, low, close };
}

/** Put NaN at the given indices of a copy. */
export function withNaN(x: Float64Array, at: readonly number[]): Float64Array {
  const y = x.slice();
  for (const i of at) y[i] = NaN;
  return y;
}

/**
 * Element-wise equality: NaN must match NaN exactly, finite values within `rel` relative
 * tolerance (scaled by max(1, |expected|) so values near zero use an absolute bound).
 */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rel = 1e-9): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isNaN(e)) {
      if (!Number.isNaN(a)) throw new Error(`index ${i}: expected NaN, got ${a}`);
      continue;
    }
    if (!(Math.abs(a - e) <= rel * Math.max(1, Math.abs(e)))) {
      throw new Error(`index ${i}: expected ${e}, got ${a} (tolerance ${rel} relative)`);
    }
  }
}

/** Read a backtrader-format CSV (Date,Open,High,Low,Close,Volume,OpenInterest) into columns. */
export function readBacktraderCsv(path: string): { ts: Float64Array; open: Float64Array; high: Float64Array; low: Float64Array; close: Float64Array; volume: Float64Array } {
  const lines = readFileSync(path, 'utf8').trim().split(/\r?\n/).slice(1);
  const n = lines.length;
  const cols = { ts: new Float64Array(n), open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), volume: new Float64Array(n) };
  lines.forEach((line, i) => {
    const [d, o, h, l, c, v] = line.split(',');
    cols.ts[i] = Date.parse(`${d}T00:00:00Z`);
    cols.open[i] = Number(o);
    cols.high[i] = Number(h);
    cols.low[i] = Number(l);
    cols.close[i] = Number(c);
    cols.volume[i] = Number(v);
  });
  return cols;
}
