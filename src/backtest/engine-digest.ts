/**
 * Digest of a backtest result: every per-step series byte for byte, then the canonical JSON of
 * orders, fills, trades, breaches, costs and attribution totals. Two runs with the same inputs give
 * the same digest (the engine is deterministic); any difference in any number changes it.
 *
 * The canonical JSON is core/canonical.ts `canonicalJson`, byte for byte, but written in pieces
 * straight into the hash (`CanonicalWriter`): the sorted key order of a record is worked out once per
 * record shape, and a flat record (strings, booleans, null, finite numbers) is written as one string. A result
 * is a fact, so its digest is computed once and remembered (the `backtest` command asks for it for
 * the report and again for the stored run).
 */
import { createHash } from 'node:crypto';
import type { BacktestResult } from './types.js';

/** Canonical number: NaN and ±Infinity as strings, −0 as 0, else the shortest round-trip form. */
function num(v: number): string {
  if (v !== v) return '"NaN"';
  if (v === Infinity) return '"Infinity"';
  if (v === -Infinity) return '"-Infinity"';
  return v === 0 ? '0' : '' + v;
}

/** A plain object whose values are all strings, booleans, null, undefined or finite numbers. */
function flat(o: Record<string, unknown>, keys: readonly string[]): boolean {
  if (Object.getPrototypeOf(o) !== Object.prototype) return false;
  for (let i = 0; i < keys.length; i++) {
    const v = o[keys[i]!];
    switch (typeof v) {
      case 'string':
      case 'boolean':
      case 'undefined':
        break;
      case 'number':
        if (!(v - v === 0)) return false; // NaN, ±Infinity
        break;
      default:
        if (v !== null) return false;
    }
  }
  return true;
}

interface Shape {
  /** Own enumerable keys in Object.keys order (the cache key). */
  readonly keys: readonly string[];
  /** The same keys sorted, and each as a JSON string followed by ':'. */
  readonly sorted: readonly string[];
  readonly quoted: readonly string[];
}

/**
 * Writes `canonicalJson(value)` in pieces to `sink` (flushed every ~64 KB and at `end`): object keys
 * sorted, keys whose value is undefined left out, no whitespace, NaN / Infinity / −Infinity as
 * strings, −0 as 0, array holes written as nothing (as `map` + `join` do), typed arrays as arrays.
 */
export class CanonicalWriter {
  private buf = '';
  private last: Shape | null = null;
  private readonly shapes = new Map<string, Shape>();

  constructor(private readonly sink: (chunk: string) => void) {}

  value(v: unknown): void {
    if (v === null || v === undefined) {
      this.put('null');
      return;
    }
    switch (typeof v) {
      case 'number':
        this.put(num(v));
        return;
      case 'string':
        this.put(JSON.stringify(v));
        return;
      case 'boolean':
        this.put(v ? 'true' : 'false');
        return;
      case 'bigint':
        this.put(JSON.stringify(v.toString()));
        return;
      case 'object':
        if (Array.isArray(v)) this.array(v);
        else if (ArrayBuffer.isView(v)) this.array(Array.from(v as unknown as ArrayLike<unknown>));
        else this.object(v as Record<string, unknown>);
        return;
      default:
        throw new TypeError(`canonicalJson: cannot serialise a ${typeof v}`);
    }
  }

  /** Flush what is buffered. */
  end(): void {
    if (this.buf.length > 0) this.sink(this.buf);
    this.buf = '';
  }

  private put(s: string): void {
    this.buf += s;
    if (this.buf.length >= 65_536) {
      this.sink(this.buf);
      this.buf = '';
    }
  }

  private array(a: readonly unknown[]): void {
    this.put('[');
    for (let i = 0; i < a.length; i++) {
      if (i > 0) this.put(',');
      if (i in a) this.value(a[i]);
    }
    this.put(']');
  }

  private object(o: Record<string, unknown>): void {
    const shape = this.shapeOf(Object.keys(o));
    if (flat(o, shape.keys)) {
      // Only strings, booleans, null, undefined and finite numbers: one string for the record.
      const { sorted, quoted } = shape;
      let out = '{';
      for (let i = 0; i < sorted.length; i++) {
        const x = o[sorted[i]!];
        if (x === undefined) continue;
        out += (out.length === 1 ? quoted[i]! : ',' + quoted[i]!) + (typeof x === 'number' ? (x === 0 ? '0' : '' + x) : typeof x === 'string' ? JSON.stringify(x) : x === null ? 'null' : x ? 'true' : 'false');
      }
      this.put(out + '}');
      return;
    }
    this.put('{');
    let first = true;
    const { sorted, quoted } = shape;
    for (let i = 0; i < sorted.length; i++) {
      const x = o[sorted[i]!];
      if (x === undefined) continue;
      this.put(first ? quoted[i]! : ',' + quoted[i]!);
      first = false;
      this.value(x);
    }
    this.put('}');
  }

  private shapeOf(keys: string[]): Shape {
    const last = this.last;
    if (last !== null && last.keys.length === keys.length) {
      let same = true;
      for (let i = 0; i < keys.length; i++) {
        if (last.keys[i] !== keys[i]) {
          same = false;
          break;
        }
      }
      if (same) return last;
    }
    const id = keys.join('\u0000');
    let s = this.shapes.get(id);
    if (s !== undefined && (s.keys.length !== keys.length || s.keys.some((k, i) => k !== keys[i]))) s = undefined; // a key holding U+0000
    if (s === undefined) {
      const sorted = keys.slice().sort();
      s = { keys, sorted, quoted: sorted.map((k) => `${JSON.stringify(k)}:`) };
      this.shapes.set(id, s);
    }
    this.last = s;
    return s;
  }
}

const remembered = new WeakMap<BacktestResult, string>();

/**
 * A record with its `borrow` field left out when it is 0: borrow fees came after the first results,
 * and a run that paid none must keep the digest it had before they existed.
 */
function withoutZeroBorrow<T extends { readonly borrow?: number }>(o: T): T | Omit<T, 'borrow'> {
  if (o.borrow !== 0) return o;
  const { borrow: _b, ...rest } = o;
  return rest;
}

export function resultDigest(r: BacktestResult): string {
  const known = remembered.get(r);
  if (known !== undefined) return known;
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
  const w = new CanonicalWriter((chunk) => h.update(chunk));
  w.value({
    profile: r.profile,
    orders: r.orders,
    fills: r.fills,
    trades: r.trades,
    breaches: r.breaches,
    costs: withoutZeroBorrow(r.costs),
    models: r.models.map(({ pnl: _pnl, ...rest }) => withoutZeroBorrow(rest)),
    assets: r.assets.map(withoutZeroBorrow),
    finalMode: r.finalMode,
  });
  w.end();
  const digest = h.digest('hex');
  remembered.set(r, digest);
  return digest;
}
