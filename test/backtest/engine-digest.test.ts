/**
 * The result digest, scheme 3 (docs/backtest-engine.md "Result digest"): the clock as runs of equal
 * steps, the NAV as bytes, mode and breach counts as runs of equal values, record tables as typed
 * columns, no number formatted to text. `resultDigest` must equal a straightforward implementation
 * of the documented layout written here with Buffer writes (one buffer for the whole input, hashed
 * once; runs found by comparing neighbours), on results of both engines; equal numbers hash equal
 * (−0 and 0, NaN payloads); any change in any field changes the digest, the clock, mode and breach
 * counts included. Schemes 1 and 2 live on in test/helpers/reference-digest.ts, where the digests
 * pinned under them are checked.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/core/canonical.js';
import { runBacktest } from '../../src/backtest/engine.js';
import { resultDigest } from '../../src/backtest/engine-digest.js';
import { runFastPath } from '../../src/backtest/fast-path.js';
import type { BacktestResult } from '../../src/backtest/types.js';
import { createSmaCross, smaCrossParams } from '../../src/models/sma-cross.js';
import { cfg, neutral } from './engine-helpers.js';
import { pathBars } from './fast-path-helpers.js';
import { referenceResultDigest, scheme2ResultDigest } from '../helpers/reference-digest.js';

/** The documented layout, written out plainly. */
function layoutDigest(r: BacktestResult): string {
  const parts: Buffer[] = [Buffer.from('edgelab result digest v3\n', 'utf8')];
  const text = (s: string): void => void parts.push(Buffer.from(s, 'utf8'));
  const doubles = (values: number[]): void => {
    const b = Buffer.alloc(8 * values.length);
    values.forEach((v, i) => b.writeDoubleLE(Object.is(v, -0) ? 0 : v, 8 * i));
    parts.push(b);
  };
  // ts: (first, step, count) per run; a run goes on while previous + step is exactly the next value
  const ts = Array.from(r.ts);
  const tsRuns: number[] = [];
  for (let i = 0; i < ts.length; ) {
    let step = 0;
    let end = i + 1;
    if (end < ts.length && ts[i]! + (ts[end]! - ts[i]!) === ts[end]) {
      step = ts[end]! - ts[i]!;
      while (end < ts.length && ts[end - 1]! + step === ts[end]) end++;
    }
    tsRuns.push(ts[i]!, step, end - i);
    i = end;
  }
  text(`ts:${ts.length};`);
  doubles(tsRuns);
  text(`nav:${r.nav.length};`);
  parts.push(Buffer.from(r.nav.buffer, r.nav.byteOffset, r.nav.byteLength));
  // mode and breachCount: (value, count) per run of equal values
  for (const [name, a] of [['mode', Array.from(r.mode)], ['breachCount', Array.from(r.breachCount)]] as const) {
    const runs: number[] = [];
    a.forEach((v, i) => {
      if (i > 0 && a[i - 1] === v) runs[runs.length - 1]!++;
      else runs.push(v, 1);
    });
    text(`${name}:${a.length};`);
    doubles(runs);
  }
  text(`profile;${canonicalJson(r.profile)};finalMode;${r.finalMode};`);
  const table = (name: string, rows: readonly object[]): void => {
    text(`${name}:${rows.length};`);
    const keys = new Set<string>();
    for (const row of rows) for (const [k, v] of Object.entries(row)) if (v !== undefined) keys.add(k);
    for (const key of [...keys].sort()) {
      text(`${key};`);
      const kinds = Buffer.alloc(rows.length);
      const numbers = Buffer.alloc(8 * rows.length);
      const indices = Buffer.alloc(4 * rows.length);
      const dictionary: string[] = [];
      const indexOf = (s: string): number => (dictionary.includes(s) ? dictionary.indexOf(s) : dictionary.push(s) - 1);
      rows.forEach((row, i) => {
        const v = (row as Record<string, unknown>)[key];
        if (v === undefined) return;
        if (v === null) kinds[i] = 1;
        else if (typeof v === 'number') {
          kinds[i] = 2;
          if (Number.isNaN(v)) numbers.writeUInt32LE(0x7ff80000, 8 * i + 4);
          else numbers.writeDoubleLE(Object.is(v, -0) ? 0 : v, 8 * i);
        } else if (typeof v === 'string') {
          kinds[i] = 3;
          indices.writeUInt32LE(indexOf(v), 4 * i);
        } else if (typeof v === 'boolean') kinds[i] = v ? 5 : 4;
        else {
          kinds[i] = 6;
          indices.writeUInt32LE(indexOf(canonicalJson(v)), 4 * i);
        }
      });
      parts.push(kinds, numbers, indices);
      text(`${JSON.stringify(dictionary)};`);
    }
  };
  table('orders', r.orders);
  table('fills', r.fills);
  table('trades', r.trades);
  table('breaches', r.breaches);
  table('costs', [r.costs]);
  table('models', r.models.map(({ pnl: _pnl, ...rest }) => rest));
  table('assets', r.assets);
  return createHash('sha256').update(Buffer.concat(parts)).digest('hex');
}

function runs(): { event: BacktestResult; fast: BacktestResult } {
  const sym = pathBars({ n: 600, seed: 5, vol: 0.02, tick: 0.01 }, 'crypto_perp');
  const model = createSmaCross(smaCrossParams.parse({ symbol: 'X', fast: 4, slow: 15, short: true, size: 'units:3' }));
  const input = { symbols: [sym], models: [{ model, budget: 1 }], config: cfg({ costs: { default: { maker_bps: 1, taker_bps: 5, slippage_bps: 2, impact_coef: 0.1 } } }), regimeAt: neutral };
  const event = runBacktest(input);
  const fast = runFastPath(input, { model, warmupBars: model.warmupBars });
  if (!fast.ok) throw new Error(fast.reason);
  return { event, fast: fast.result };
}

describe('resultDigest (scheme 3)', () => {
  const { event, fast } = runs();

  it('equals the documented layout on both engines, and both engines agree', () => {
    expect(event.fills.length).toBeGreaterThan(30);
    expect(event.trades.length).toBeGreaterThan(10);
    const d = resultDigest(event);
    expect(d).toBe(layoutDigest(event));
    expect(resultDigest(fast)).toBe(d);
    expect(layoutDigest(fast)).toBe(d);
    // schemes 1 and 2 agree across the engines too, and are different digests
    expect(referenceResultDigest(fast)).toBe(referenceResultDigest(event));
    expect(scheme2ResultDigest(fast)).toBe(scheme2ResultDigest(event));
    expect(new Set([d, referenceResultDigest(event), scheme2ResultDigest(event)]).size).toBe(3);
  });

  it('any changed field changes it: a fee, a symbol, an order status, a null, a series value', () => {
    const d = resultDigest(event);
    const fills = [...event.fills];
    fills[7] = { ...fills[7]!, fee: fills[7]!.fee + 1e-12 };
    const orders = [...event.orders];
    orders[3] = { ...orders[3]!, status: orders[3]!.status === 'filled' ? 'cancelled' : 'filled' };
    const trades = [...event.trades];
    trades[0] = { ...trades[0]!, symbol: 'Y' };
    const exits = [...event.trades];
    exits[0] = { ...exits[0]!, exitTs: null };
    const nav = Float64Array.from(event.nav);
    nav[nav.length - 1] = nav[nav.length - 1]! + 1e-9;
    const ts = Float64Array.from(event.ts);
    ts[5] = ts[5]! + 1;
    const mode = Uint8Array.from(event.mode);
    mode[9] = 1;
    const breachCount = Uint32Array.from(event.breachCount);
    breachCount[breachCount.length - 1] = breachCount[breachCount.length - 1]! + 1;
    const variants: BacktestResult[] = [
      { ...event, ts },
      { ...event, mode },
      { ...event, breachCount },
      { ...event, fills },
      { ...event, orders },
      { ...event, trades },
      { ...event, trades: exits },
      { ...event, nav },
      { ...event, costs: { ...event.costs, fees: event.costs.fees + 1e-9 } },
      { ...event, finalMode: 'HALT' },
      { ...event, fills: event.fills.slice(1) },
    ];
    const seen = new Set([d]);
    for (const v of variants) {
      const dv = resultDigest(v);
      expect(dv).toBe(layoutDigest(v));
      seen.add(dv);
    }
    expect(seen.size).toBe(variants.length + 1);
  });

  it('equal numbers hash equal (−0 as 0, any NaN as one NaN); undefined fields count as absent; remembered per result', () => {
    const negZero = { ...event, fills: event.fills.map((f, i) => (i === 0 ? { ...f, fee: -0 } : f)) };
    const zero = { ...event, fills: event.fills.map((f, i) => (i === 0 ? { ...f, fee: 0 } : f)) };
    expect(resultDigest(negZero)).toBe(resultDigest(zero));
    const payload = new Float64Array(new Uint32Array([1, 0x7ff80000]).buffer)[0]!; // a NaN with a payload bit
    expect(Number.isNaN(payload)).toBe(true);
    const nanA = { ...event, fills: event.fills.map((f, i) => (i === 0 ? { ...f, fee: payload } : f)) };
    const nanB = { ...event, fills: event.fills.map((f, i) => (i === 0 ? { ...f, fee: NaN } : f)) };
    expect(resultDigest(nanA)).toBe(resultDigest(nanB));
    expect(resultDigest(nanA)).toBe(layoutDigest(nanB));
    const withUndefined = { ...event, trades: event.trades.map((t) => ({ ...t, borrow: undefined })) };
    expect(resultDigest(withUndefined)).toBe(resultDigest(event));
    expect(resultDigest(event)).toBe(resultDigest(event));
  });
});
