/**
 * Record tables as typed columns, the form the result digest hashes them in (engine-digest.ts,
 * docs/backtest-engine.md "Result digest"): per field a kind byte, a float64 and a dictionary index
 * per row, and the field's dictionary, written in the most compact of four forms the content allows
 * (a column of one repeated value as that value once, a column of numbers as its float64s alone). Built from record objects (`columnsOfRows`), or filled
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
  private lastString: string | null = null;
  private lastIndex = 0;

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
    // a column mostly repeats its last string (one symbol, one liquidity in every fill)
    if (s === this.lastString) return this.lastIndex;
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.dictionary.length;
      this.dictionary.push(s);
      this.index.set(s, i);
    }
    this.lastString = s;
    this.lastIndex = i;
    return i;
  }
}

/** Anything `hashColumns` can write as a field: columns per row, or a field whose rows are all alike. */
export interface HashableField {
  writeTo(h: Hash): void;
}

/**
 * How a field's column is written (scheme 4): the form byte after `<field>;`, chosen from the
 * column's content alone, so every producer of the same cells writes the same bytes.
 */
export const enum Form {
  /** Every row holds the same cell (at least one row): kind byte, float64, dictionary of that cell. */
  One = 1,
  /** Every row holds a number (or there are no rows): the float64s. */
  Numbers = 2,
  /** Every row holds a string: the uint32 dictionary indices and the dictionary. */
  Strings = 3,
  /** Anything else: kind bytes, float64s, uint32 indices and the dictionary. */
  Mixed = 4,
}

const FORM_BYTES: Readonly<Record<Form, Uint8Array>> = {
  [Form.One]: Uint8Array.of(Form.One),
  [Form.Numbers]: Uint8Array.of(Form.Numbers),
  [Form.Strings]: Uint8Array.of(Form.Strings),
  [Form.Mixed]: Uint8Array.of(Form.Mixed),
};

const sameNumber = (a: number, b: number): boolean => a === b || (a !== a && b !== b);

/** The form of a column (after −0 and NaN were canonicalised). */
function formOf(col: FieldColumns): Form {
  const { kinds, numbers } = col;
  const n = kinds.length;
  const k0 = kinds[0]!;
  let sameKind = true;
  for (let i = 1; i < n; i++) {
    if (kinds[i] !== k0) {
      sameKind = false;
      break;
    }
  }
  if (!sameKind) return Form.Mixed;
  if (n === 0) return Form.Numbers;
  if (k0 === Kind.Number) return allEqual(numbers) ? Form.One : Form.Numbers;
  if (k0 === Kind.String || k0 === Kind.Other) {
    // the dictionary holds exactly the values present: one entry means one value
    if (col.dictionary.length === 1) return Form.One;
    return k0 === Kind.String ? Form.Strings : Form.Mixed;
  }
  return Form.One; // every row absent, null, false or true alike
}

function allEqual(values: Float64Array): boolean {
  const n = values.length;
  if (n === 0) return false;
  const first = values[0]!;
  for (let i = 1; i < n; i++) if (!sameNumber(values[i]!, first)) return false;
  return true;
}

/** Form One: the cell's kind byte, float64 (0 unless a number) and dictionary. */
function writeOne(h: Hash, kind: Kind, number: number, dictionary: readonly string[]): void {
  h.update(FORM_BYTES[Form.One]);
  h.update(Uint8Array.of(kind));
  h.update(bytesOf(Float64Array.of(number)));
  h.update(`${JSON.stringify(dictionary)};`);
}

/** A FieldColumns into the hash in its form (see hashTable). */
function writeColumns(h: Hash, col: FieldColumns): void {
  normaliseNaNs(col.numbers, col.kinds);
  const form = formOf(col);
  switch (form) {
    case Form.One:
      writeOne(h, col.kinds[0]!, col.numbers[0]!, col.dictionary);
      return;
    case Form.Numbers:
      h.update(FORM_BYTES[form]);
      h.update(bytesOf(col.numbers));
      return;
    case Form.Strings:
      h.update(FORM_BYTES[form]);
      h.update(bytesOf(col.strings));
      h.update(`${JSON.stringify(col.dictionary)};`);
      return;
    case Form.Mixed:
      h.update(FORM_BYTES[form]);
      h.update(bytesOf(col.kinds));
      h.update(bytesOf(col.numbers));
      h.update(bytesOf(col.strings));
      h.update(`${JSON.stringify(col.dictionary)};`);
  }
}

/**
 * A field holding the same value in each of `rows` rows: the bytes `FieldColumns` would give for
 * it (form One, or for no rows an empty Numbers column), without building a column.
 */
export class RepeatedField implements HashableField {
  constructor(
    private readonly rows: number,
    private readonly value: unknown,
  ) {}

  writeTo(h: Hash): void {
    const one = new FieldColumns(Math.min(this.rows, 1));
    if (this.rows > 0) one.set(0, this.value);
    writeColumns(h, one);
  }
}

/**
 * A field of numbers in every row: the bytes `FieldColumns` would give (form One when every value
 * is the same, else Numbers). `values` is left as it is: one pass finds whether every value is the
 * same and whether any is −0 or NaN; only then are they copied into a scratch buffer reused by every
 * field and written there as 0 and the canonical NaN (fresh memory costs page faults; the columns
 * may be a result's own, read again later). Equal is `sameNumber` either way (−0 === 0, NaNs alike).
 */
export class NumberField implements HashableField {
  constructor(private readonly source: Float64Array) {}

  writeTo(h: Hash): void {
    const source = this.source;
    const n = source.length;
    const first = n > 0 ? source[0]! : NaN;
    let same = n > 0;
    let canonical = true;
    for (let i = 0; i < n; i++) {
      const v = source[i]!;
      if (v === 0 ? 1 / v < 0 : v !== v) canonical = false;
      if (same && !sameNumber(v, first)) same = false;
    }
    if (same) {
      writeOne(h, Kind.Number, first === 0 ? 0 : first !== first ? NaN : first, []);
      return;
    }
    let values = source;
    if (!canonical) {
      if (numberScratch.length < n) numberScratch = new Float64Array(Math.max(n, 2 * numberScratch.length));
      values = numberScratch.subarray(0, n);
      values.set(source);
      for (let i = 0; i < n; i++) if (values[i] === 0) values[i] = 0;
      normaliseAllNaNs(values);
    }
    h.update(FORM_BYTES[Form.Numbers]);
    h.update(bytesOf(values));
  }
}

let numberScratch = new Float64Array(0);

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
 * Hash one record table (scheme 4): `<name>:<rows>;`, then per field in sorted name order (fields
 * whose value is undefined in every row are left out): `<field>;`, a form byte (see Form), and the
 * form's parts: One — the cell's kind byte, its float64 and its dictionary; Numbers — the float64
 * column; Strings — the uint32 dictionary indices and the dictionary; Mixed — the kind bytes, the
 * float64 column, the uint32 indices and the dictionary. Dictionaries are written as
 * `JSON.stringify(strings);` (distinct values in first-seen order).
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
