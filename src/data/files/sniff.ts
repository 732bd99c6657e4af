/**
 * A first look at a text file before DuckDB reads it: is it text at all, which delimiter, is there a
 * header, how many fields per row, what the columns are called, and a sample of values per column for
 * type and timestamp detection. Reads only the first 64 KiB.
 */
import { openSync, readSync, closeSync, statSync, fstatSync, readdirSync } from 'node:fs';
import { UserError } from '../../core/errors.js';

export interface CsvSniff {
  readonly delimiter: string;
  readonly header: boolean;
  /** Column names: the header's, or `column1…columnN` without one; extra fields beyond a short header are named `columnK`. */
  readonly names: readonly string[];
  /** Fields per data row (the most common count in the sample). */
  readonly fields: number;
  /** The header named fewer (or more) columns than the rows have. */
  readonly headerMismatch: { readonly names: number; readonly fields: number } | null;
  readonly crlf: boolean;
  /**
   * Numbers are written with a decimal comma ('1,25'): the delimiter is not ',', some sample field is
   * digits-comma-digits and none is digits-dot-digits. Sample values are given with a dot.
   */
  readonly decimalComma: boolean;
  /** Up to 200 sample rows (fields as text), after the header. */
  readonly sample: readonly (readonly string[])[];
  readonly bytes: number;
}

const HEAD_BYTES = 64 * 1024;
const DELIMITERS = [',', ';', '\t', '|'] as const;

function specialKind(path: string): string | undefined {
  let st;
  try {
    st = statSync(path);
  } catch {
    return undefined; // missing: openSync below says so
  }
  if (st.isFIFO()) return 'named pipe (FIFO)';
  if (st.isSocket()) return 'socket';
  if (st.isCharacterDevice()) return 'character device';
  if (st.isBlockDevice()) return 'block device';
  return undefined;
}

export function readHead(path: string, bytes = HEAD_BYTES, shown = path): Buffer {
  // Opening a FIFO for reading blocks until a writer appears: refuse anything but a regular file
  // or a folder (which gets its own message below) before opening.
  const kind = specialKind(path);
  if (kind) throw new UserError(`is a ${kind}, not a regular file; save the data to a file and ingest that`, shown);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(code === 'ENOENT' ? 'no such file' : `cannot open (${code ?? 'error'})`, shown);
  }
  try {
    if (fstatSync(fd).isDirectory()) {
      const inside = readdirSync(path).filter((f) => !f.startsWith('.')).sort();
      const shownInside = inside.slice(0, 5).join(', ') + (inside.length > 5 ? `, … (${inside.length} entries)` : '');
      throw new UserError(`is a directory, not a file; name a file in it${inside.length ? ` (it holds ${shownInside})` : ' (it is empty)'}`, shown);
    }
    const buf = Buffer.alloc(bytes);
    const n = readSync(fd, buf, 0, bytes, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** Split one CSV line on `delim`, honouring double quotes. */
export function splitLine(line: string, delim: string): string[] {
  if (!line.includes('"')) return line.split(delim);
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delim) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

const NUMBER = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$|^\s*(NaN|nan|inf|-inf)\s*$/;
export const looksNumeric = (s: string): boolean => NUMBER.test(s);

const DATE_OR_TIME = /^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}([ T].*)?$|^\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$/;
const COMMA_DECIMAL = /^[-+]?\d+,\d+$/;
const DOT_DECIMAL = /^[-+]?\d+\.\d+$/;
/** 'num', 'date' (a date or time of day) or 'text' ('' counts as text). */
const kindOf = (s: string, decimalComma = false): 'num' | 'date' | 'text' =>
  looksNumeric(s) || (decimalComma && COMMA_DECIMAL.test(s.trim())) ? 'num' : DATE_OR_TIME.test(s.trim()) ? 'date' : 'text';

function mode(values: number[]): number {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best = values[0] ?? 0;
  let bestN = 0;
  for (const [v, n] of [...counts.entries()].sort((a, b) => a[0] - b[0])) if (n > bestN) [best, bestN] = [v, n];
  return best;
}

/**
 * Sniff a delimited text file. Refuses, naming the file, anything that is not delimited text:
 * binary content (NUL bytes, invalid UTF-8), an empty file, or lines with no common delimiter.
 */
export function sniffCsv(path: string, shown = path): CsvSniff {
  const head = readHead(path, HEAD_BYTES, shown);
  const bytes = statSync(path).size;
  if (head.length === 0) throw new UserError('the file is empty', shown);
  if (head.includes(0)) throw new UserError('not a CSV file: it contains binary data (NUL bytes)', shown);
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head);
  if ((text.match(/\uFFFD/g) ?? []).length > 8) throw new UserError('not a CSV file: it is not UTF-8 text', shown);
  const crlf = text.includes('\r\n');
  let lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (head.length === HEAD_BYTES) lines = lines.slice(0, -1); // the last line may be cut
  lines = lines.filter((l) => l.trim().length > 0).slice(0, 201);
  if (lines.length === 0) throw new UserError('the file has no lines of text', shown);

  // The delimiter that splits most lines into the same (>1) number of fields.
  let best: { delim: string; fields: number; score: number } | undefined;
  for (const d of DELIMITERS) {
    const counts = lines.map((l) => splitLine(l, d).length);
    const fields = mode(counts.slice(1).length ? counts.slice(1) : counts);
    const score = counts.filter((c) => c === fields).length;
    if (fields > 1 && (!best || score > best.score)) best = { delim: d, fields, score };
  }
  if (!best || best.score < Math.ceil(lines.length / 2))
    throw new UserError(`not a CSV file: found no delimiter (${DELIMITERS.map((d) => JSON.stringify(d)).join(' ')}) shared by its lines`, shown);

  let rows = lines.map((l) => splitLine(l, best!.delim).map((f) => f.trim()));
  const decimalComma =
    best.delim !== ',' && rows.some((r) => r.some((f) => COMMA_DECIMAL.test(f))) && !rows.some((r) => r.some((f) => DOT_DECIMAL.test(f)));
  const first = rows[0]!;
  const second = rows[1];
  // A header has a text field where the row below has a number, date or time, or is all text while data is not.
  const header =
    second !== undefined
      ? first.some((f, j) => kindOf(f, decimalComma) === 'text' && second[j] !== undefined && kindOf(second[j]!, decimalComma) !== 'text') ||
        (first.every((f) => kindOf(f, decimalComma) === 'text') && second.some((f) => kindOf(f, decimalComma) !== 'text'))
      : first.every((f) => kindOf(f, decimalComma) === 'text');
  const fields = best.fields;
  let names: string[];
  let headerMismatch: CsvSniff['headerMismatch'] = null;
  if (header) {
    names = first.map((n, j) => n || `column${j + 1}`);
    if (names.length !== fields) headerMismatch = { names: names.length, fields };
    if (names.length < fields) for (let j = names.length; j < fields; j++) names.push(`column${j + 1}`);
    if (names.length > fields) names = names.slice(0, fields);
  } else {
    names = Array.from({ length: fields }, (_, j) => `column${j + 1}`);
  }
  // Duplicate header names get a suffix so every column is addressable.
  const seen = new Map<string, number>();
  names = names.map((n) => {
    const k = seen.get(n) ?? 0;
    seen.set(n, k + 1);
    return k === 0 ? n : `${n}_${k + 1}`;
  });
  if (decimalComma) rows = rows.map((r) => r.map((f) => (COMMA_DECIMAL.test(f) ? f.replace(',', '.') : f)));
  return { delimiter: best.delim, header, names, fields, headerMismatch, crlf, decimalComma, sample: header ? rows.slice(1) : rows, bytes };
}
