/**
 * Timestamp formats: detection from sample values, and the DuckDB SQL that turns a column into
 * epoch milliseconds UTC. Unparseable values become NULL (→ NaN) so clean can quarantine the row
 * with its line instead of the whole file failing.
 *
 * Formats: 'iso' (2024-01-31, 2024-01-31 08:00[:00[.123]], with T, with Z or ±hh:mm), epoch
 * 's' / 'ms' / 'us' / 'ns' (auto picks by magnitude: < 1e11 seconds, < 1e14 ms, < 1e17 µs, else ns),
 * 'yyyymmdd', 'dmy' / 'mdy' (31/01/2024 or 01/31/2024, 2- or 4-digit year, optional time, separators
 * / - .), or any DuckDB strptime pattern containing '%'.
 */
import { UserError } from '../../core/errors.js';
import { sqlString } from '../lake/duck.js';

export type TsFormat = 'iso' | 's' | 'ms' | 'us' | 'ns' | 'yyyymmdd' | 'dmy' | 'mdy' | `%${string}`;

export interface TsDetection {
  readonly format: TsFormat;
  /** strptime patterns for dmy/mdy (depend on year digits, separator, time part). */
  readonly patterns?: readonly string[];
  /** The values carry their own UTC offset ('Z', '+03:00'). */
  readonly hasOffset: boolean;
  /** A human fact, e.g. "timestamps: epoch milliseconds (detected)". */
  readonly note: string;
}

const ISO = /^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?\s*(Z|z|UTC|[+-]\d{2}(:?\d{2})?)?$/;
const ISO_OFFSET = /(Z|z|UTC|[+-]\d{2}:?\d{2}|[+-]\d{2})$/;
const DMY = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{2}|\d{4})(?:[ T](\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?$/;
const INT = /^[-+]?\d+(\.\d*)?([eE][-+]?\d+)?$/;
const YYYYMMDD = /^(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/;

const NAMES: Record<string, string> = {
  iso: 'ISO 8601',
  s: 'epoch seconds',
  ms: 'epoch milliseconds',
  us: 'epoch microseconds',
  ns: 'epoch nanoseconds',
  yyyymmdd: 'YYYYMMDD dates',
  dmy: 'day-first dates',
  mdy: 'month-first dates',
};

export const epochUnitOf = (magnitude: number): 's' | 'ms' | 'us' | 'ns' =>
  magnitude < 1e11 ? 's' : magnitude < 1e14 ? 'ms' : magnitude < 1e17 ? 'us' : 'ns';

function dayMonthPatterns(samples: readonly string[], dayFirst: boolean): string[] {
  const m = DMY.exec(samples[0]!)!;
  const sep = m[2]!;
  const year = m[4]!.length === 4 ? '%Y' : '%y';
  const date = dayFirst ? `%d${sep}%m${sep}${year}` : `%m${sep}%d${sep}${year}`;
  const hasTime = samples.some((s) => DMY.exec(s)?.[5] !== undefined);
  if (!hasTime) return [date];
  return [`${date} %H:%M:%S.%f`, `${date} %H:%M:%S`, `${date} %H:%M`, `${date}T%H:%M:%S`];
}

/**
 * Decide the format of a timestamp column from its sample values (text as written in the file, or
 * numbers). `requested` is the user's --ts-format ('auto' to detect).
 */
export function detectTsFormat(samples: readonly string[], requested: string, where: string): TsDetection {
  const vals = samples.map((s) => s.trim()).filter((s) => s !== '');
  if (requested !== 'auto') {
    if (requested.includes('%')) return { format: requested as TsFormat, hasOffset: false, note: `timestamps: strptime '${requested}' (given)` };
    if (!(requested in NAMES)) throw new UserError(`unknown --ts-format '${requested}' (use auto, iso, s, ms, us, ns, yyyymmdd, dmy, mdy or a strptime pattern like %d.%m.%Y)`, 'ts-format');
    const format = requested as TsFormat;
    const patterns = (format === 'dmy' || format === 'mdy') && vals.length && DMY.test(vals[0]!) ? dayMonthPatterns(vals, format === 'dmy') : undefined;
    return { format, ...(patterns ? { patterns } : {}), hasOffset: format === 'iso' && vals.some((v) => ISO_OFFSET.test(v)), note: `timestamps: ${NAMES[format]} (given)` };
  }
  if (vals.length === 0) throw new UserError('the timestamp column is empty in the first rows; pass --ts-format', where);
  if (vals.every((v) => YYYYMMDD.test(v))) return { format: 'yyyymmdd', hasOffset: false, note: 'timestamps: YYYYMMDD dates (detected)' };
  if (vals.every((v) => INT.test(v))) {
    const mags = vals.map((v) => Math.abs(Number(v))).sort((a, b) => a - b);
    const unit = epochUnitOf(mags[Math.floor(mags.length / 2)]!);
    return { format: unit, hasOffset: false, note: `timestamps: ${NAMES[unit]} (detected from magnitude)` };
  }
  if (vals.every((v) => ISO.test(v))) {
    const withOffset = vals.filter((v) => ISO_OFFSET.test(v) && !/^\d{4}-\d{2}-\d{2}$/.test(v)).length;
    return { format: 'iso', hasOffset: withOffset > 0, note: `timestamps: ISO 8601${withOffset ? ' with UTC offsets' : ', naive'} (detected)` };
  }
  if (vals.every((v) => DMY.test(v))) {
    const parts = vals.map((v) => DMY.exec(v)!);
    const firstBig = parts.some((p) => Number(p[1]) > 12);
    const secondBig = parts.some((p) => Number(p[3]) > 12);
    if (firstBig && secondBig) throw new UserError(`dates like '${vals[0]}' are neither day-first nor month-first throughout; pass --ts-format`, where);
    const dayFirst = firstBig;
    const ambiguous = !firstBig && !secondBig;
    const format: TsFormat = dayFirst ? 'dmy' : 'mdy';
    return {
      format,
      patterns: dayMonthPatterns(vals, dayFirst),
      hasOffset: false,
      note: ambiguous
        ? `timestamps: ${NAMES[format]} assumed (values like '${vals[0]}' are ambiguous; pass --ts-format dmy if day comes first)`
        : `timestamps: ${NAMES[format]} (detected)`,
    };
  }
  const bad = vals.find((v) => !ISO.test(v) && !INT.test(v) && !DMY.test(v)) ?? vals[0]!;
  throw new UserError(`cannot tell the timestamp format from values like '${bad}'; pass --ts-format (iso, s, ms, us, dmy, mdy or a strptime pattern)`, where);
}

/**
 * SQL turning `expr` into epoch ms (DOUBLE) under `det`. `numeric` says the source column is a
 * number (DOUBLE/BIGINT) rather than text. `offsetMs` (local − UTC) is subtracted from naive times.
 */
export function tsSql(expr: string, det: TsDetection, numeric: boolean, offsetMs: number): string {
  const num = numeric ? `CAST(${expr} AS DOUBLE)` : `TRY_CAST(${expr} AS DOUBLE)`;
  const txt = numeric ? `CAST(${expr} AS VARCHAR)` : expr;
  let ms: string;
  switch (det.format) {
    case 's': ms = `(${num} * 1000)`; break;
    case 'ms': ms = num; break;
    case 'us': ms = numeric ? `(CAST(${expr} AS BIGINT) / 1000)` : `(TRY_CAST(${expr} AS BIGINT) / 1000)`; break;
    case 'ns': ms = numeric ? `(CAST(${expr} AS HUGEINT) // 1000000)` : `(TRY_CAST(${expr} AS HUGEINT) // 1000000)`; break;
    case 'iso': ms = `epoch_ms(TRY_CAST(replace(${txt}, 'UTC', '+00:00') AS TIMESTAMPTZ))`; break;
    case 'yyyymmdd': ms = `epoch_ms(try_strptime(${txt}, '%Y%m%d'))`; break;
    case 'dmy':
    case 'mdy': {
      const pats = det.patterns ?? dayMonthPatterns([`01/01/2000`], det.format === 'dmy');
      ms = `epoch_ms(try_strptime(${txt}, [${pats.map(sqlString).join(', ')}]))`;
      break;
    }
    default:
      ms = `epoch_ms(try_strptime(${txt}, ${sqlString(det.format)}))`;
  }
  const shifted = offsetMs !== 0 && !det.hasOffset ? `(${ms} - ${offsetMs})` : ms;
  return `CAST(${shifted} AS DOUBLE)`;
}

/** Parse '+03:00', '-0530', '+3', 'UTC', 'Z' into ms east of UTC. */
export function parseTzOffset(s: string): number {
  const t = s.trim();
  if (t === '' || /^(utc|z|gmt)$/i.test(t)) return 0;
  const m = /^([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(t);
  if (!m || Number(m[2]) > 14 || Number(m[3] ?? 0) > 59)
    throw new UserError(`cannot read '${s}' as a UTC offset (use +03:00, -05:00, +0530 or UTC)`, 'tz-offset');
  const ms = (Number(m[2]) * 60 + Number(m[3] ?? 0)) * 60_000;
  return m[1] === '-' ? -ms : ms;
}

export function formatTzOffset(ms: number): string {
  const sign = ms < 0 ? '-' : '+';
  const m = Math.abs(ms) / 60_000;
  return `${sign}${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}
