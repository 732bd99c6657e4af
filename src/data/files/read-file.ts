/**
 * Read a market-data file into a typed, canonically named ColumnTable, with DuckDB doing the
 * parsing: `ingest file` calls this, then stores the table in the raw lake and the session.
 *
 * The output has `ts` (epoch ms UTC; NaN where a timestamp could not be parsed, for clean to
 * quarantine with its line) and the canonical columns the file feeds (open…volume, rate, price,
 * amount, side, open_interest, …), then other numeric columns under snake_case names.
 */
import { basename } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { CancelledError, UserError, throwIfAborted } from '../../core/errors.js';
import type { AssetClass, Column, ColumnTable } from '../../core/table.js';
import { INTERVALS, type Interval } from '../../core/time.js';
import { withDuck, sqlIdent, duckMessage } from '../lake/duck.js';
import { queryTable } from '../lake/columns.js';
import { detectFormat, type FileFormat } from './format.js';
import { openSource, type SourceRelation } from './source.js';
import { collectRejects, type RejectedRow } from './rejects.js';
import { CANONICAL, TEXT_COLUMNS, completeMap, parseMapSpec, snakeName, type ColumnMap } from './mapping.js';
import { detectTsFormat, tsSql, parseTzOffset, formatTzOffset, type TsDetection } from './timestamps.js';
import { PRESETS, FREQTRADE_TRADES_NAMES, type DataKind, type Preset } from './presets.js';
import { hintsFromName } from './filename.js';
import { looksNumeric } from './sniff.js';
import { finishTable, detectInterval } from './shape.js';

export interface ReadFileOptions {
  readonly preset?: string;
  readonly symbol?: string;
  readonly interval?: string;
  readonly map?: string;
  /** 'auto' (default), 'iso', 's', 'ms', 'us', 'ns', 'yyyymmdd', 'dmy', 'mdy' or a strptime pattern. */
  readonly tsFormat?: string;
  /** '+03:00': the file's naive times are this far ahead of UTC. */
  readonly tzOffset?: string;
  readonly kind?: DataKind;
  readonly assetClass?: AssetClass;
  /** Refuse the file when more than this fraction of rows cannot be parsed. @default 0.05 */
  readonly maxRejectedFraction?: number;
  readonly signal?: AbortSignal;
  /** How messages name the file (the path as the user typed it); default its base name. */
  readonly displayPath?: string;
}

/** How to find the file line of a row (clean names lines in its quarantine). */
export type LineInfo =
  | { readonly kind: 'csv'; readonly path: string; readonly skip: number; readonly rejected: readonly number[] }
  | { readonly kind: 'row' };

export interface FileRead {
  readonly path: string;
  readonly format: FileFormat;
  readonly preset: string | undefined;
  readonly kind: DataKind;
  readonly symbol: string;
  readonly interval: Interval | undefined;
  /** Median step between consecutive timestamps, ms (NaN with fewer than two rows). */
  readonly medianStepMs: number;
  readonly assetClass: AssetClass;
  readonly table: ColumnTable;
  readonly tzOffsetMs: number;
  readonly facts: readonly string[];
  readonly rejects: readonly RejectedRow[];
  readonly lines: LineInfo;
}

function choosePreset(name: string | undefined, hinted: string | undefined, src: SourceRelation | undefined): Preset | undefined {
  if (name) {
    const p = PRESETS[name];
    if (!p) throw new UserError(`unknown preset '${name}' (one of ${Object.keys(PRESETS).join(', ')})`, 'preset');
    return p;
  }
  if (hinted) return PRESETS[hinted];
  if (!src) return undefined;
  const lower = src.names.map((n) => n.toLowerCase());
  if (lower.includes('adj close')) return PRESETS['yahoo'];
  if (lower.includes('funding rate') && lower.includes('symbol')) return PRESETS['funding-csv'];
  if (lower.includes('openinterest')) return PRESETS['backtrader'];
  return undefined;
}

const isNumericType = (t: string | undefined): boolean =>
  t !== undefined && /^(DOUBLE|FLOAT|REAL|DECIMAL.*|TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|EPOCH_MS)$/.test(t);
const isTimestampType = (t: string | undefined): boolean => t !== undefined && /^(TIMESTAMP.*|DATE)$/.test(t);

/** Read `path` (see the file comment). Throws UserError naming the file (and line) when it cannot. */
export async function readMarketFile(path: string, opts: ReadFileOptions = {}): Promise<FileRead> {
  const name = opts.displayPath ?? basename(path);
  const format = detectFormat(path, name);
  const hints = hintsFromName(path);
  const offsetMs = parseTzOffset(opts.tzOffset ?? '');
  return withDuck(async (conn) => {
    // Ctrl+C interrupts a long read inside DuckDB, not only between steps.
    const onAbort = (): void => conn.interrupt();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await readWith(conn);
    } catch (err) {
      if (opts.signal?.aborted) throw new CancelledError();
      throw err;
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
    }
  });

  async function readWith(conn: DuckDBConnection): Promise<FileRead> {
    await conn.run(`SET TimeZone='UTC'`);
    const preHint = opts.preset ? PRESETS[opts.preset] : hints.preset ? PRESETS[hints.preset] : undefined;
    if (opts.preset && !preHint) choosePreset(opts.preset, undefined, undefined);
    const isTrades = /-trades\./.test(basename(path));
    const jsonNames = isTrades ? FREQTRADE_TRADES_NAMES : preHint?.jsonNames;
    const src = await openSource(conn, path, format, {
      ...(preHint?.names ? { presetNames: preHint.names } : {}),
      ...(preHint?.forceNames ? { forceNames: true } : {}),
      ...(jsonNames ? { jsonNames } : {}),
      shown: name,
    });
    throwIfAborted(opts.signal);
    const preset = choosePreset(opts.preset, hints.preset, src);
    const facts: string[] = [...hints.facts, ...src.facts, ...(preset?.facts ?? [])];

    // Column mapping: preset, then --map, then aliases.
    const explicit: ColumnMap = { ...(preset?.map ?? {}), ...(opts.map ? parseMapSpec(opts.map) : {}) };
    const completed = completeMap(src.names, explicit, name);
    const map: ColumnMap = completed.map;
    let unmapped = completed.unmapped;
    // A date-only timestamp column next to a time-of-day column ('01/03/16' + '23:43:11') is one timestamp.
    if (map.ts?.length === 1 && !explicit.ts) {
      const dateOnly = (src.samples.get(map.ts[0]!) ?? []).every((v) => /^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}$/.test(v.trim()));
      const timeCol = unmapped.find((n) => {
        const s = src.samples.get(n) ?? [];
        return s.length > 0 && s.every((v) => /^\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(v.trim()));
      });
      if (dateOnly && timeCol) {
        (map as Record<string, readonly string[]>)['ts'] = [map.ts[0]!, timeCol];
        unmapped = unmapped.filter((n) => n !== timeCol);
      }
    }
    const drop = new Set(preset?.drop ?? []);
    if (!map.ts) throw new UserError(`found no timestamp column among ${src.names.join(', ')}; map one with --map ts=COLUMN (or ts=Date+Time)`, name);

    // Timestamp format.
    const tsCols = map.ts;
    const tsType = tsCols.length === 1 ? src.types.get(tsCols[0]!) : undefined;
    const tsSamples = tsCols.length === 1 ? src.samples.get(tsCols[0]!) ?? [] : (src.samples.get(tsCols[0]!) ?? []).map((d, i) => `${d} ${src.samples.get(tsCols[1]!)?.[i] ?? ''}`);
    let det: TsDetection | undefined;
    const requested = opts.tsFormat ?? preset?.tsFormat ?? 'auto';
    if (tsType === 'EPOCH_MS' && (opts.tsFormat ?? 'auto') === 'auto') det = { format: 'ms', hasOffset: true, note: 'timestamps: Arrow timestamps (UTC)' };
    else if (isTimestampType(tsType) && (opts.tsFormat ?? 'auto') === 'auto') det = undefined;
    else det = detectTsFormat(tsSamples, requested, `${name}: column ${tsCols.join('+')}`);
    if (det?.hasOffset && offsetMs !== 0 && tsType !== 'EPOCH_MS')
      throw new UserError('the timestamps carry their own UTC offset; --tz-offset applies only to naive local times', 'tz-offset');
    facts.push(det ? det.note : `timestamps: ${tsType} column`);
    if (offsetMs !== 0) facts.push(`naive times shifted from UTC${formatTzOffset(offsetMs)} to UTC`);

    // CSV read types: numbers typed at the reader (bad values are rejected with their line), the rest as text.
    const csvTypes = new Map<string, string>();
    const mappedNumeric = new Set<string>();
    for (const [target, refs] of Object.entries(map)) {
      if (target === 'ts' || TEXT_COLUMNS.has(target)) continue;
      refs!.forEach((r) => mappedNumeric.add(r));
    }
    for (const n of src.names) {
      if (tsCols.includes(n)) {
        const epoch = tsCols.length === 1 && det && ['s', 'ms'].includes(det.format);
        const bigEpoch = tsCols.length === 1 && det && ['us', 'ns'].includes(det.format);
        csvTypes.set(n, epoch ? 'DOUBLE' : bigEpoch ? 'BIGINT' : 'VARCHAR');
      } else csvTypes.set(n, mappedNumeric.has(n) ? 'DOUBLE' : 'VARCHAR');
    }
    const typeOf = (n: string): string | undefined => (format === 'csv' ? csvTypes.get(n) : src.types.get(n));

    // Projection.
    const cols: string[] = [];
    const tsExpr =
      tsCols.length === 2
        ? `(CAST(${sqlIdent(tsCols[0]!)} AS VARCHAR) || ' ' || CAST(${sqlIdent(tsCols[1]!)} AS VARCHAR))`
        : sqlIdent(tsCols[0]!);
    if (!det) {
      const naive = tsType !== undefined && !/WITH TIME ZONE|TIMESTAMPTZ/.test(tsType);
      cols.push(`CAST(epoch_ms(${tsExpr}) AS DOUBLE)${naive && offsetMs ? ` - ${offsetMs}` : ''} AS ts`);
    } else cols.push(`${tsSql(tsExpr, det, tsCols.length === 1 && isNumericType(typeOf(tsCols[0]!)), tsType === 'EPOCH_MS' ? 0 : offsetMs)} AS ts`);
    const outNames = new Set(['ts']);
    for (const c of CANONICAL) {
      if (c === 'ts' || !map[c]) continue;
      const ref = sqlIdent(map[c]![0]!);
      if (TEXT_COLUMNS.has(c)) cols.push(`CAST(${ref} AS VARCHAR) AS ${c}`);
      else cols.push(typeOf(map[c]![0]!) === 'DOUBLE' ? `${ref} AS ${c}` : `TRY_CAST(${ref} AS DOUBLE) AS ${c}`);
      outNames.add(c);
    }
    const droppedText: string[] = [];
    for (const n of unmapped) {
      if (drop.has(n) || drop.has(snakeName(n))) continue;
      const samples = src.samples.get(n) ?? [];
      const numeric = isNumericType(src.types.get(n)) || isTimestampType(src.types.get(n)) || (samples.some((v) => v !== '') && samples.every((v) => v === '' || looksNumeric(v)));
      if (!numeric) {
        droppedText.push(n);
        continue;
      }
      let out = snakeName(n);
      while (outNames.has(out)) out = `${out}_x`;
      outNames.add(out);
      // Unmapped numeric CSV columns are read as text and cast here (a bad value becomes NaN, not a rejected row).
      const text = src.csv?.decimalComma ? `replace(${sqlIdent(n)}, ',', '.')` : sqlIdent(n);
      cols.push(isTimestampType(src.types.get(n)) ? `CAST(epoch_ms(${sqlIdent(n)}) AS DOUBLE) AS ${sqlIdent(out)}` : `TRY_CAST(${text} AS DOUBLE) AS ${sqlIdent(out)}`);
    }
    if (droppedText.length) facts.push(`text columns not kept: ${droppedText.join(', ')}`);

    let table: ColumnTable;
    try {
      table = await queryTable(conn, `SELECT ${cols.join(', ')} FROM ${src.relation(csvTypes)}`);
    } catch (err) {
      throw new UserError(`cannot read the file: ${duckMessage(err)}`, name);
    }
    throwIfAborted(opts.signal);
    const rejects = format === 'csv' ? await collectRejects(conn, src.csv?.fields ?? 0) : [];
    const total = table.length + rejects.length;
    const maxFrac = opts.maxRejectedFraction ?? 0.05;
    if (rejects.length > 0 && (table.length === 0 || rejects.length / total > maxFrac)) {
      const r = rejects[0]!;
      throw new UserError(
        `${rejects.length} of ${total} rows cannot be read (more than ${(maxFrac * 100).toFixed(1)}%), so the file is refused; first: ${r.reason}: ${r.text}`,
        `${name}:${r.line}`,
      );
    }
    if (table.length === 0) throw new UserError('the file has no data rows', name);

    // Symbol: from a symbol column (filtered by --symbol), else --symbol, else the file name.
    let symbol = opts.symbol ?? hints.symbol;
    const symCol = table.columns['symbol'];
    if (Array.isArray(symCol)) {
      const present = [...new Set(symCol)].sort();
      if (opts.symbol !== undefined) {
        if (!present.includes(opts.symbol))
          throw new UserError(`symbol '${opts.symbol}' is not in the file (it has ${present.slice(0, 10).join(', ')}${present.length > 10 ? ', …' : ''})`, `${name}: --symbol`);
        if (present.length > 1) table = filterRows(table, symCol.map((s) => s === opts.symbol));
      } else if (present.length > 1) {
        throw new UserError(`the file holds ${present.length} symbols (${present.slice(0, 10).join(', ')}); choose one with --symbol`, name);
      }
      symbol = (opts.symbol ?? present[0]!).replace(/[-/]/g, '').toUpperCase();
      const { symbol: _drop, ...rest } = table.columns;
      table = { length: table.length, columns: rest };
      facts.push(`symbol column: ${present.join(', ')}`);
    }

    const kindHint: DataKind | undefined = opts.kind ?? (isTrades ? 'trades' : preset?.kind);
    const shaped = finishTable(table, kindHint, facts, name);
    const step = detectInterval(shaped.table.columns['ts'] as Float64Array);
    let interval: Interval | undefined;
    const given = opts.interval ?? hints.interval ?? preset?.interval;
    if (given !== undefined) {
      if (!(INTERVALS as readonly string[]).includes(given)) throw new UserError(`unknown interval '${given}' (one of ${INTERVALS.join(', ')})`, 'interval');
      interval = given as Interval;
      if (step.interval && step.interval !== interval) facts.push(`interval ${interval} given, but the median step is ${step.text}`);
    } else if (shaped.kind === 'bars') {
      interval = step.interval;
      facts.push(step.interval ? `interval ${step.interval} (detected from the median step)` : `irregular bars: median step ${step.text}`);
    }
    if (hints.intervalText) facts.push(`interval '${hints.intervalText}' from the file name is not one edgelab uses`);
    if (shaped.kind === 'bars' && !interval && step.medianMs < 60_000 && shaped.ohlcEqual) {
      const asTrades = finishTable(shaped.table, 'trades', facts, name);
      return result(asTrades.table, 'trades');
    }
    return result(shaped.table, shaped.kind);

    function result(t: ColumnTable, kind: DataKind): FileRead {
      return {
        path,
        format,
        preset: preset?.name,
        kind,
        symbol,
        interval: kind === 'bars' ? interval : undefined,
        medianStepMs: step.medianMs,
        assetClass: opts.assetClass ?? hints.assetClass ?? preset?.assetClass ?? (kind === 'funding' ? 'crypto_perp' : 'other'),
        table: t,
        tzOffsetMs: offsetMs,
        facts,
        rejects,
        lines: format === 'csv' ? { kind: 'csv', path, skip: src.csv?.header ? 1 : 0, rejected: rejects.map((r) => r.line) } : { kind: 'row' },
      };
    }
  }
}

export function filterRows(t: ColumnTable, keep: readonly boolean[]): ColumnTable {
  const idx: number[] = [];
  for (let i = 0; i < t.length; i++) if (keep[i]) idx.push(i);
  const columns: Record<string, Column> = {};
  for (const [k, c] of Object.entries(t.columns)) {
    if (c instanceof Float64Array) {
      const out = new Float64Array(idx.length);
      for (let j = 0; j < idx.length; j++) out[j] = c[idx[j]!]!;
      columns[k] = out;
    } else columns[k] = idx.map((i) => c[i]!);
  }
  return { length: idx.length, columns };
}

