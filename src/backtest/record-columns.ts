/**
 * Record tables as typed columns, the form the result digest hashes them in (engine-digest.ts,
 * docs/backtest-engine.md "Result digest"): per field a kind byte, a float64 and a dictionary index
 * per row, and the field's dictionary. Built from record objects (`columnsOfRows`), or filled
 * directly by a producer that keeps its records as columns (the fast path's logs), and written to
 * the hash by one function (`hashColumns`), so both give the same bytes.
 */
import type { Hash } from 'node:crypto';
import { endianness } from 'node:os';
import { canonicalJson } from '../core/canonical.js';
import { InvariantError } from '../core/errors.js';

/** What a cell of a record column holds (one byte per row). */
export const enum Kind {
  Absent = 0,
  Null = 1,
  Number = 2,
  String = 3,
  False = 4,
  True = 5,
  /** Anything else (a nested object or array): its canonical JSON, through the dictionary. */
  Other = 6,
}

if (endianness() !== 'LE') throw new InvariantError('the result digest hashes float64 bytes in little-endian order; this platform is big-endian');

/** One field of a record table, as columns of the table's length. */
export class FieldColumns {
  readonly kinds: Uint8Array;
  readonly numbers: Float64Array;
  readonly strings: Uint32Array;
  readonly dictionary: string[] = [];
  private readonly index = new Map<string, number>();

  constructor(rows: number) {
    this.kinds = new Uint8Array(rows);
    this.numbers = new Float64Array(rows);
    this.strings = new Uint32Array(rows);
  }

  set(row: number, v: unknown): void {
    switch (typeof v) {
      case 'number':
        this.kinds[row] = Kind.Number;
        // −0 as 0 and every NaN as the one canonical quiet NaN, so equal numbers hash equal.
        this.numbers[row] = v === 0 ? 0 : v !== v ? NaN : v;
        return;
      case 'string':
        this.kinds[row] = Kind.String;
        this.strings[row] = this.intern(v);
        return;
      case 'boolean':
        this.kinds[row] = v ? Kind.True : Kind.False;
        return;
      case 'undefined':
        return; // Absent
      default:
        if (v === null) {
          this.kinds[row] = Kind.Null;
          return;
        }
        this.kinds[row] = Kind.Other;
        this.strings[row] = this.intern(canonicalJson(v));
    }
  }

  /** True when no row holds a value (every kind Absent). */
  isEmpty(): boolean {
    const kinds = this.kinds;
    for (let i = 0; i < kinds.length; i++) if (kinds[i] !== Kind.Absent) return false;
    return true;
  }

  private intern(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.dictionary.length;
      this.dictionary.push(s);
      this.index.set(s, i);
    }
    return i;
  }
}

/** Anything `hashColumns` can write as a field: columns per row, or a field whose rows are all alike. */
export interface HashableField {
  writeTo(h: Hash): void;
}

/** FieldColumns' four parts into the hash (see hashTable). */
function writeColumns(h: Hash, col: FieldColumns): void {
  normaliseNaNs(col.numbers, col.kinds);
  h.update(bytesOf(col.kinds));
  h.update(bytesOf(col.numbers));
  h.update(bytesOf(col.strings));
  h.update(`${JSON.stringify(col.dictionary)};`);
}

/** `pattern` repeated `count` times into the hash, through one small buffer (no column is built). */
function writeRepeated(h: Hash, pattern: Uint8Array, count: number): void {
  if (count === 0) return;
  const per = Math.min(count, 8192);
  const chunk = Buffer.alloc(per * pattern.length, pattern);
  for (let left = count; left > 0; left -= per) h.update(left >= per ? chunk : chunk.subarray(0, left * pattern.length));
}

/** The hash parts of one cell (kind byte, float64, dictionary index, dictionary) as FieldColumns writes them. */
function cellParts(v: unknown): FieldColumns {
  const one = new FieldColumns(1);
  one.set(0, v);
  normaliseNaNs(one.numbers, one.kinds);
  return one;
}

/**
 * A field holding the same value in each of `rows` rows: the bytes `FieldColumns` would give,
 * written from one cell repeated.
 */
export class RepeatedField implements HashableField {
  constructor(
    private readonly rows: number,
    private readonly value: unknown,
  ) {}

  writeTo(h: Hash): void {
    const one = cellParts(this.value);
    writeRepeated(h, bytesOf(one.kinds), this.rows);
    writeRepeated(h, bytesOf(one.numbers), this.rows);
    writeRepeated(h, bytesOf(one.strings), this.rows);
    h.update(`${JSON.stringify(this.rows > 0 ? one.dictionary : [])};`);
  }
}

/**
 * A field of numbers in every row: the bytes `FieldColumns` would give. Takes `values` over (−0
 * is rewritten as 0, every NaN as the canonical NaN, in place).
 */
export class NumberField implements HashableField {
  constructor(private readonly values: Float64Array) {}

  writeTo(h: Hash): void {
    const values = this.values;
    for (let i = 0; i < values.length; i++) if (values[i] === 0) values[i] = 0;
    normaliseAllNaNs(values);
    writeRepeated(h, Uint8Array.of(Kind.Number), values.length);
    h.update(bytesOf(values));
    writeRepeated(h, bytesOf(new Uint32Array(1)), values.length);
    h.update('[];');
  }
}

function normaliseAllNaNs(numbers: Float64Array): void {
  const bits = new Uint32Array(numbers.buffer, numbers.byteOffset, numbers.length * 2);
  for (let i = 0; i < numbers.length; i++) {
    if (numbers[i] !== numbers[i]) {
      bits[2 * i] = 0;
      bits[2 * i + 1] = 0x7ff80000;
    }
  }
}

export const bytesOf = (a: Uint8Array | Uint32Array | Float64Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** The canonical quiet NaN written for every NaN (Float64Array stores may keep a NaN's payload). */
function normaliseNaNs(numbers: Float64Array, kinds: Uint8Array): void {
  const bits = new Uint32Array(numbers.buffer, numbers.byteOffset, numbers.length * 2);
  for (let i = 0; i < numbers.length; i++) {
    if (kinds[i] === Kind.Number && numbers[i] !== numbers[i]) {
      bits[2 * i] = 0;
      bits[2 * i + 1] = 0x7ff80000;
    }
  }
}

/**
 * A record table's fields as columns (fields undefined in every row are absent). Rows of one shape
 * (the same keys in the same order, as records made by one literal have) reuse the previous row's
 * column lookups: one comparison of key lists instead of a map lookup per cell.
 */
export function columnsOfRows(rows: readonly object[]): Map<string, FieldColumns> {
  const n = rows.length;
  const fields = new Map<string, FieldColumns>();
  let shape: string[] = [];
  let shapeColumns: FieldColumns[] = [];
  for (let r = 0; r < n; r++) {
    const row = rows[r] as Record<string, unknown>;
    const keys = Object.keys(row);
    if (!sameKeys(keys, shape)) {
      shape = keys;
      shapeColumns = keys.map((key) => {
        let col = fields.get(key);
        if (col === undefined) fields.set(key, (col = new FieldColumns(n)));
        return col;
      });
    }
    for (let j = 0; j < keys.length; j++) {
      const v = row[keys[j]!];
      if (v !== undefined) shapeColumns[j]!.set(r, v);
    }
  }
  // a field undefined in every row has no column
  for (const [key, col] of fields) if (col.isEmpty()) fields.delete(key);
  return fields;
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Hash one record table: `<name>:<rows>;`, then per field in sorted name order (fields whose value
 * is undefined in every row are left out): `<field>;`, the kind bytes, the float64 column, the
 * uint32 dictionary indices, and the dictionary as `JSON.stringify(strings);`.
 */
export function hashTable(h: Hash, name: string, rows: readonly object[]): void {
  hashColumns(h, name, rows.length, columnsOfRows(rows));
}

/** `hashTable` for a table already held as columns (the fast path's logs, fast-path-result.ts). */
export function hashColumns(h: Hash, name: string, rows: number, fields: ReadonlyMap<string, FieldColumns | HashableField>): void {
  h.update(`${name}:${rows};`);
  for (const key of [...fields.keys()].sort()) {
    const col = fields.get(key)!;
    h.update(`${key};`);
    if (col instanceof FieldColumns) writeColumns(h, col);
    else col.writeTo(h);
  }
}
