/**
 * The result digest writes core/canonical.ts's canonical JSON in pieces (`CanonicalWriter`): the
 * same bytes as `canonicalJson` for any value (fast-check: nested objects and arrays, NaN, ±Infinity,
 * −0, undefined values, array holes, typed arrays, bigints, unicode and U+0000 in keys, records whose
 * key order changes), and `resultDigest` equals the digest computed the plain way (series bytes, then
 * sha256 of `canonicalJson`) on results of both engines.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/core/canonical.js';
import { runBacktest } from '../../src/backtest/engine.js';
import { CanonicalWriter, resultDigest } from '../../src/backtest/engine-digest.js';
import { runFastPath } from '../../src/backtest/fast-path.js';
import type { BacktestResult } from '../../src/backtest/types.js';
import { createSmaCross, smaCrossParams } from '../../src/models/sma-cross.js';
import { cfg, neutral } from './engine-helpers.js';
import { pathBars } from './fast-path-helpers.js';

function written(v: unknown): { text: string; chunks: number } {
  let text = '';
  let chunks = 0;
  const w = new CanonicalWriter((c) => {
    text += c;
    chunks++;
  });
  w.value(v);
  w.end();
  return { text, chunks };
}

/** A record without its borrow field when that is 0 (the digest leaves zero borrow out: older results keep their digests). */
const noZeroBorrow = <T extends { borrow?: number }>(o: T): Omit<T, 'borrow'> | T => {
  if (o.borrow !== 0) return o;
  const { borrow: _b, ...rest } = o;
  return rest;
};

/** The digest as engine-digest.ts computed it before it wrote in pieces. */
function plainDigest(r: BacktestResult): string {
  const h = createHash('sha256');
  const arrays: [string, Float64Array | Uint8Array | Uint32Array][] = [
    ['ts', r.ts], ['nav', r.nav], ['cash', r.cash], ['gross', r.gross], ['net', r.net],
    ['drawdown', r.drawdown], ['mode', r.mode], ['breachCount', r.breachCount],
  ];
  for (const m of r.models) arrays.push([`model:${m.name}`, m.pnl]);
  for (const [name, a] of arrays) {
    h.update(`${name}:${a.length};`);
    h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  }
  h.update(canonicalJson({
    profile: r.profile, orders: r.orders, fills: r.fills, trades: r.trades, breaches: r.breaches, costs: noZeroBorrow(r.costs),
    models: r.models.map(({ pnl: _pnl, ...rest }) => noZeroBorrow(rest)), assets: r.assets.map(noZeroBorrow), finalMode: r.finalMode,
  }));
  return h.digest('hex');
}

const special = fc.constantFrom(NaN, Infinity, -Infinity, -0, 0, 1e21, 5e-324, -1.5, 0.1 + 0.2);
const key = fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom('a', 'b', 'ts', 'é', 'a\u0000b', 'a', '\u{1F600}'));
const leaf = fc.oneof(fc.double(), special, fc.string({ maxLength: 6 }), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }));
const valueArb = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, leaf, tie('arr'), tie('obj'), fc.float64Array({ maxLength: 4 })),
  arr: fc.array(tie('v'), { maxLength: 5 }),
  obj: fc.dictionary(key, tie('v'), { maxKeys: 5 }),
})).v;

describe('CanonicalWriter = canonicalJson', () => {
  it('any value, byte for byte (fast-check)', () => {
    fc.assert(
      fc.property(valueArb, (v) => {
        expect(written(v).text).toBe(canonicalJson(v));
      }),
      { seed: 11, numRuns: 3000 },
    );
  });

  it('holes, records changing key order, keys holding U+0000, functions refused', () => {
    // eslint-disable-next-line no-sparse-arrays
    const holes = [1, , 3, undefined];
    const records = [{ b: 1, a: 2 }, { a: 3, b: 4 }, { b: 5, a: undefined }, { 'a\u0000b': 1 }, { a: 1, b: 2, c: 3 }, { a: 1, b: 2 }];
    for (const v of [holes, records, { x: records, y: new Uint32Array([1, 2]) }, { 'a\u0000b': 1, c: 2 }, [{ a: 'a', 'b\u0000': 1 }, { a: 'a', b: 1 }]]) {
      expect(written(v).text).toBe(canonicalJson(v));
    }
    expect(() => written({ f: () => 1 })).toThrow(TypeError);
  });

  it('writes in pieces of about 64 KB', () => {
    const big = Array.from({ length: 20_000 }, (_, i) => ({ id: i, price: i * 1.25, side: i % 2 ? 'long' : 'short' }));
    const { text, chunks } = written(big);
    expect(text).toBe(canonicalJson(big));
    expect(chunks).toBeGreaterThan(5);
  });
});

describe('resultDigest', () => {
  it('equals the plain digest on both engines, and is remembered per result', () => {
    const sym = pathBars({ n: 600, seed: 5, vol: 0.02, tick: 0.01 }, 'crypto_perp');
    const model = createSmaCross(smaCrossParams.parse({ symbol: 'X', fast: 4, slow: 15, short: true, size: 'units:3' }));
    const input = { symbols: [sym], models: [{ model, budget: 1 }], config: cfg({ costs: { default: { maker_bps: 1, taker_bps: 5, slippage_bps: 2, impact_coef: 0.1 } } }), regimeAt: neutral };
    const event = runBacktest(input);
    const fast = runFastPath(input, { model, warmupBars: model.warmupBars });
    expect(fast.ok).toBe(true);
    if (!fast.ok) return;
    expect(event.fills.length).toBeGreaterThan(30);
    const d = resultDigest(event);
    expect(d).toBe(plainDigest(event));
    expect(resultDigest(fast.result)).toBe(d);
    expect(plainDigest(fast.result)).toBe(d);
    expect(resultDigest(event)).toBe(d);
    // a different result (one fee changed) has a different digest
    const other = { ...event, costs: { ...event.costs, fees: event.costs.fees + 1e-9 } };
    expect(resultDigest(other)).not.toBe(d);
    expect(resultDigest(other)).toBe(plainDigest(other));
  });
});
