/**
 * The result digest, scheme 4 (docs/backtest-engine.md "Result digest"): the clock as runs of equal
 * steps, the NAV as bytes, mode and breach counts as runs of equal values, record tables as typed
 * columns in the most compact of four forms, no number formatted to text. `resultDigest` must equal a straightforward implementation
 * of the documented layout written here with Buffer writes (one buffer for the whole input, hashed
 * once; runs found by comparing neighbours), on results of both engines; equal numbers hash equal
 * (−0 and 0, NaN payloads); any change in any field changes the digest, the clock, mode and breach
 * counts included. Schemes 1, 2 and 3 live on in test/helpers/reference-digest.ts, where the
 * digests pinned under them are checked.
 */
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../src/backtest/engine.js';
import { resultDigest } from '../../src/backtest/engine-digest.js';
import { runFastPath } from '../../src/backtest/fast-path.js';
import type { BacktestResult } from '../../src/backtest/types.js';
import { createSmaCross, smaCrossParams } from '../../src/models/sma-cross.js';
import { cfg, neutral } from './engine-helpers.js';
import { pathBars } from './fast-path-helpers.js';
import { FieldColumns, hashColumns, hashTable, NumberField } from '../../src/backtest/record-columns.js';
import { createHash } from 'node:crypto';
import {
  fieldNames, LayoutWriter, plainColumn, referenceResultDigest, scheme2ResultDigest, scheme3ResultDigest, writeResultTables, writeSeriesRuns,
} from '../helpers/reference-digest.js';

/**
 * A record table in scheme 4's layout, decided and written plainly: per field the form byte
 * (1 one value in every row, 2 numbers, 3 strings, 4 mixed) and its parts.
 */
function writeTableScheme4(w: LayoutWriter, name: string, rows: readonly object[]): void {
  w.text(`${name}:${rows.length};`);
  for (const key of fieldNames(rows)) {
    w.text(`${key};`);
    const col = plainColumn(rows, key);
    const same = (i: number): boolean =>
      col.kinds[i] === col.kinds[0] && Object.is(canonical(col.numbers[i]!), canonical(col.numbers[0]!)) && col.indices[i] === col.indices[0];
    if (rows.length > 0 && rows.every((_, i) => same(i))) {
      w.bytes(Uint8Array.of(1, col.kinds[0]!));
      w.doubles([col.numbers[0]!]);
      w.text(`${JSON.stringify(col.dictionary)};`);
    } else if (col.kinds.every((k) => k === 2)) {
      w.bytes(Uint8Array.of(2));
      w.doubles(col.numbers);
    } else if (col.kinds.every((k) => k === 3)) {
      w.bytes(Uint8Array.of(3));
      w.uint32s(col.indices);
      w.text(`${JSON.stringify(col.dictionary)};`);
    } else {
      w.bytes(Uint8Array.of(4));
      w.bytes(Uint8Array.from(col.kinds));
      w.doubles(col.numbers);
      w.uint32s(col.indices);
      w.text(`${JSON.stringify(col.dictionary)};`);
    }
  }
}

/** −0 as 0 and every NaN as NaN, as the layout writes numbers. */
const canonical = (v: number): number => (Object.is(v, -0) ? 0 : v);

/** The documented layout (scheme 4), written out plainly. */
function layoutDigest(r: BacktestResult): string {
  const w = new LayoutWriter();
  w.text('edgelab result digest v4\n');
  writeSeriesRuns(w, r);
  writeResultTables(w, r, writeTableScheme4);
  return w.digest();
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

describe('resultDigest (scheme 4)', () => {
  const { event, fast } = runs();

  it('equals the documented layout on both engines, and both engines agree', () => {
    expect(event.fills.length).toBeGreaterThan(30);
    expect(event.trades.length).toBeGreaterThan(10);
    const d = resultDigest(event);
    expect(d).toBe(layoutDigest(event));
    expect(resultDigest(fast)).toBe(d);
    expect(layoutDigest(fast)).toBe(d);
    // schemes 1, 2 and 3 agree across the engines too, and are different digests
    expect(referenceResultDigest(fast)).toBe(referenceResultDigest(event));
    expect(scheme2ResultDigest(fast)).toBe(scheme2ResultDigest(event));
    expect(scheme3ResultDigest(fast)).toBe(scheme3ResultDigest(event));
    expect(new Set([d, referenceResultDigest(event), scheme2ResultDigest(event), scheme3ResultDigest(event)]).size).toBe(4);
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

describe('record tables in their forms', () => {
  const tableDigest = (rows: readonly object[]): string => {
    const h = createHash('sha256');
    hashTable(h, 't', rows);
    return h.digest('hex');
  };
  const plainDigest = (rows: readonly object[]): string => {
    const w = new LayoutWriter();
    writeTableScheme4(w, 't', rows);
    return w.digest();
  };

  it('each form equals the plain layout: one value, numbers, strings, mixed, shapes that differ by row, undefined fields', () => {
    const tables: object[][] = [
      [{ a: 1 }, { a: 1 }, { a: 1 }], // one value
      [{ a: -0 }, { a: 0 }], // −0 and 0 are one value
      [{ a: NaN }, { a: new Float64Array(new Uint32Array([1, 0x7ff80000]).buffer)[0]! }], // NaNs are one value
      [{ a: 1 }, { a: 2 }], // numbers
      [{ a: 'x' }, { a: 'y' }, { a: 'x' }], // strings
      [{ a: 'x' }, { a: 'x' }], // one string
      [{ a: null }, { a: null }], // one null
      [{ a: true }, { a: false }], // mixed kinds
      [{ a: 1 }, { a: null }, { a: 'z' }], // mixed
      [{ a: { k: 1 } }, { a: { k: 1 } }], // one nested value
      [{ a: { k: 1 } }, { a: { k: 2 } }], // nested values
      [{ a: 1, b: 2 }, { b: 3, a: 4 }, { a: 5, c: undefined }, { a: 6, b: undefined, d: 'q' }], // shapes differ, fields absent in some rows
      [{ a: 1, b: undefined }, { a: 7, b: undefined }], // a field undefined in every row is left out
    ];
    const seen = new Set<string>();
    for (const rows of tables) {
      const d = tableDigest(rows);
      expect(d, JSON.stringify(rows)).toBe(plainDigest(rows));
      seen.add(d);
    }
    expect(tableDigest([{ a: 1, b: undefined }])).toBe(tableDigest([{ a: 1 }]));
    // −0/0 and the two NaNs collapse with their neighbours only where they are one value
    expect(seen.size).toBe(tables.length);
  });

  it('a NumberField gives the bytes of the FieldColumns of its numbers, and leaves them as they were', () => {
    const payload = new Float64Array(new Uint32Array([1, 0x7ff80000]).buffer)[0]!;
    const columns: number[][] = [
      [1, 2, 3], [5, 5, 5], [-0, 0, -0], [0, -0], [-0, 1], [NaN, payload], [payload, 1, NaN, -0], [2.5], [-0], [payload], [1e308, -1e-308, Infinity, -Infinity],
    ];
    const digest = (field: FieldColumns | NumberField): string => {
      const h = createHash('sha256');
      hashColumns(h, 't', 1, new Map([['a', field]]));
      return h.digest('hex');
    };
    for (const values of columns) {
      const col = new FieldColumns(values.length);
      values.forEach((v, i) => col.set(i, v));
      const source = Float64Array.from(values);
      const before = new Uint8Array(source.buffer.slice(0));
      expect(digest(new NumberField(source)), String(values)).toBe(digest(col));
      expect(new Uint8Array(source.buffer)).toEqual(before);
    }
  });
});
