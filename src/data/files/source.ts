/**
 * Source relations: each file format becomes one SQL relation DuckDB can select from, with its
 * column names, DuckDB types and sample values (for mapping and timestamp detection).
 *
 * - CSV: sniffed in JS (sniff.ts), then `read_csv` with explicit names and types, no auto-detection,
 *   and `store_rejects` so malformed rows are set aside with their physical line number and reason.
 * - Parquet: `read_parquet`. JSON (also .json.gz): `read_json`; freqtrade's array-of-arrays rows are
 *   split into columns `json[1]`, `json[2]`, … named by the preset.
 * - Feather / Arrow IPC: read by apache-arrow (feather.ts) and loaded into a temporary table.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { UserError } from '../../core/errors.js';
import { assertJsonComplete } from './json-complete.js';
import { sqlIdent, sqlString, duckMessage } from '../lake/duck.js';
import { describeQuery, loadTable } from '../lake/columns.js';
import { sniffCsv, looksNumeric, type CsvSniff } from './sniff.js';
import { readFeather } from './feather.js';
import type { FileFormat } from './format.js';

export interface SourceRelation {
  readonly format: FileFormat;
  /** Column names as the file has them (or as a preset names them). */
  readonly names: readonly string[];
  /** DuckDB type per column once `relation(types)` is read (CSV types are chosen by the caller). */
  readonly types: ReadonlyMap<string, string>;
  /** Text samples per column from the first rows. */
  readonly samples: ReadonlyMap<string, readonly string[]>;
  readonly csv?: CsvSniff;
  /** Facts about the file's shape (header mismatch, CRLF, JSON layout). */
  readonly facts: readonly string[];
  /** Build the FROM clause; for CSV `csvTypes` gives each column's read type. */
  relation(csvTypes?: ReadonlyMap<string, string>): string;
}

export const REJECTS_TABLE = 'edgelab_rejects';
const SAMPLE_ROWS = 200;

async function samplesOf(conn: DuckDBConnection, rel: string, names: readonly string[]): Promise<Map<string, string[]>> {
  const cols = names.map((n) => `CAST(${sqlIdent(n)} AS VARCHAR) AS ${sqlIdent(n)}`).join(', ');
  const reader = await conn.runAndReadAll(`SELECT ${cols} FROM ${rel} LIMIT ${SAMPLE_ROWS}`);
  const rows = reader.getRowsJS();
  const out = new Map<string, string[]>();
  names.forEach((n, j) => out.set(n, rows.map((r) => (r[j] == null ? '' : String(r[j])))));
  return out;
}

function isTimeOfDay(s: string): boolean {
  return /^\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(s.trim());
}

const NESTED_TYPE = /(\[\d*\]$|^STRUCT|^MAP|^UNION)/;
const CANONICAL_NAME = /^(ts|time|timestamp|date|datetime|open|high|low|close|adj ?close|volume|price|qty|amount|rate|funding_?rate|open_?interest)$/i;

/**
 * Open `path` as a relation. `presetNames` replaces the file's column names (headerless layouts);
 * `jsonNames` names the positions of JSON array rows.
 */
export async function openSource(
  conn: DuckDBConnection,
  path: string,
  format: FileFormat,
  opts: { presetNames?: readonly string[]; forceNames?: boolean; jsonNames?: readonly string[]; shown?: string },
): Promise<SourceRelation> {
  const shown = opts.shown ?? path;
  const p = sqlString(path);
  const facts: string[] = [];
  if (format === 'csv') {
    const sniff = sniffCsv(path, shown);
    let names = [...sniff.names];
    if (sniff.headerMismatch) {
      const { names: nn, fields } = sniff.headerMismatch;
      // backtrader's 1-minute file: 'Date,Open,…' over rows 'date,time,open,…'.
      const s0 = sniff.sample[0];
      if (nn + 1 === fields && s0 && isTimeOfDay(s0[1] ?? '') && !/time/i.test(sniff.names[1] ?? '')) {
        names = [sniff.names[0]!, 'Time', ...sniff.names.slice(1, nn)];
        facts.push(`malformed header: it names ${nn} columns but rows have ${fields} fields; the second field is a time of day, read as '${names.join(',')}'`);
      } else {
        facts.push(`malformed header: it names ${nn} columns but rows have ${fields} fields; extra fields are column${nn + 1}…`);
      }
    }
    if (opts.presetNames && (opts.forceNames || !sniff.header) && opts.presetNames.length === sniff.fields) names = [...opts.presetNames];
    else if (opts.presetNames && !sniff.header && opts.presetNames.length !== sniff.fields)
      throw new UserError(`expected ${opts.presetNames.length} fields per row for this preset, found ${sniff.fields}`, shown);
    if (sniff.crlf) facts.push('CRLF line endings');
    if (sniff.decimalComma) facts.push(`decimal comma: numbers like '1,25' read as 1.25 (delimiter ${JSON.stringify(sniff.delimiter)})`);
    if (!sniff.header) facts.push('no header row');
    const samples = new Map<string, string[]>();
    names.forEach((n, j) => samples.set(n, sniff.sample.map((r) => r[j] ?? '')));
    const skip = sniff.header ? 1 : 0;
    return {
      format,
      names,
      types: new Map(),
      samples,
      csv: { ...sniff, names },
      facts,
      relation(csvTypes) {
        const cols = names.map((n) => `${sqlString(n)}: ${sqlString(csvTypes?.get(n) ?? 'VARCHAR')}`).join(', ');
        return (
          `read_csv(${p}, header=false, skip=${skip}, auto_detect=false, delim=${sqlString(sniff.delimiter)}, quote='"', escape='"', ` +
          `columns={${cols}},${sniff.decimalComma ? ` decimal_separator=',',` : ''} store_rejects=true, rejects_table=${sqlString(REJECTS_TABLE)}, rejects_scan='edgelab_rejects_scan', ` +
          `max_line_size=1048576)`
        );
      },
    };
  }
  if (format === 'feather') {
    const { table, timestampColumns } = readFeather(path, shown);
    await loadTable(conn, 'edgelab_src', table);
    const rel = sqlIdent('edgelab_src');
    const names = Object.keys(table.columns);
    const types = new Map(names.map((n) => [n, timestampColumns.includes(n) ? 'EPOCH_MS' : table.columns[n] instanceof Float64Array ? 'DOUBLE' : 'VARCHAR']));
    facts.push(`Arrow IPC (Feather) file${timestampColumns.length ? `; ${timestampColumns.join(', ')} read as epoch ms from Arrow timestamps` : ''}`);
    return { format, names, types, samples: await samplesOf(conn, rel, names), facts, relation: () => rel };
  }
  if (format === 'json') await assertJsonComplete(path, shown);
  const base = format === 'parquet' ? `read_parquet(${p})` : `read_json(${p})`;
  let described;
  try {
    described = await describeQuery(conn, `SELECT * FROM ${base}`);
  } catch (err) {
    throw new UserError(`cannot read as ${format === 'parquet' ? 'Parquet' : 'JSON'}: ${duckMessage(err)}`, shown);
  }
  if (format === 'json' && described.length === 1 && /\[\]$/.test(described[0]!.type)) {
    // An array of arrays: split positions into columns.
    const col = sqlIdent(described[0]!.name);
    const widthReader = await conn.runAndReadAll(`SELECT max(len(${col})) FROM (SELECT ${col} FROM ${base} LIMIT 1000)`);
    const width = Number(widthReader.getRowsJS()[0]?.[0] ?? 0);
    if (!width) throw new UserError('JSON rows are empty arrays', shown);
    const names = Array.from({ length: width }, (_, j) => opts.jsonNames?.[j] ?? `column${j + 1}`);
    const isJson = described[0]!.type.startsWith('JSON');
    // Text samples first, to choose each position's type.
    const textCols = names.map((n, j) => `${isJson ? `(${col}[${j + 1}] ->> '$')` : `CAST(${col}[${j + 1}] AS VARCHAR)`} AS ${sqlIdent(n)}`).join(', ');
    const textRel = `(SELECT ${textCols} FROM ${base})`;
    const samples = await samplesOf(conn, textRel, names);
    const numeric = names.map((n) => (samples.get(n) ?? []).every((v) => v === '' || looksNumeric(v)));
    const typedCols = names
      .map((n, j) => {
        const el = isJson ? `(${col}[${j + 1}] ->> '$')` : `${col}[${j + 1}]`;
        return numeric[j] ? `TRY_CAST(${el} AS DOUBLE) AS ${sqlIdent(n)}` : `CAST(${el} AS VARCHAR) AS ${sqlIdent(n)}`;
      })
      .join(', ');
    const rel = `(SELECT ${typedCols} FROM ${base})`;
    facts.push(`JSON array of ${width}-element rows, read as ${names.join(',')}`);
    return { format, names, types: new Map(names.map((n, j) => [n, numeric[j] ? 'DOUBLE' : 'VARCHAR'])), samples, facts, relation: () => rel };
  }
  // A nested value (list, struct, map) where a price, volume or time belongs would be read as text
  // and end up 0 or NaN without a word: refuse it, naming the column and its type.
  const nested = described.find((d) => NESTED_TYPE.test(d.type) && CANONICAL_NAME.test(d.name));
  if (nested) throw new UserError(`column '${nested.name}' holds ${nested.type} values (lists or records), not numbers; flatten it or --map another column`, shown);
  const names = described.map((d) => d.name);
  const rel = `(SELECT * FROM ${base})`;
  return { format, names, types: new Map(described.map((d) => [d.name, d.type])), samples: await samplesOf(conn, rel, names), facts, relation: () => rel };
}
