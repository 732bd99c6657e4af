/**
 * Clean a raw observation series (FRED macro data, or any `ts, value` table) into a point-in-time
 * series whose `ts` is the time each value became known, the form the regime engine and every
 * as-of join read (`MACRO:pmi`: ts = release time).
 *
 * When a value was known:
 *   - with a `realtime_start` column (FRED's first-release date of the observation, a calendar day
 *     at 00:00 UTC): at the end of that day, `max(realtime_start, ts) + 1 day`. FRED gives the day,
 *     not the hour, of a release; counting it known only once the day is over never reads a value
 *     before it was published (a US release at 08:30 ET is ≤ 16 h early-proof);
 *   - otherwise `ts + lag`, with the lag given (`--lag 35d`) or, by default, one median step of the
 *     series: an observation describing a period is not known before the period is over. An
 *     `open_interest` column is a snapshot taken at its stamp: lag 0 by default.
 * Rows: a missing timestamp is quarantined (`bad_timestamp`), a repeated observation date too
 * (`duplicate_timestamp`, the first is kept). A NaN value (FRED's '.': no observation that day) is
 * dropped and counted, not quarantined. Several observations first known at the same time (a
 * series published with its history) keep the latest observation: that is the value a reader saw.
 * Output columns: ts (known time, strictly increasing), value, period (the observation date).
 */
import { UserError } from '../../core/errors.js';
import type { ColumnTable } from '../../core/table.js';
import type { QuarantinedRow } from './quarantine.js';

const DAY = 86_400_000;

export interface CleanSeriesOptions {
  /** Delay from the observation date to when it is known, ms, for rows without a release date. */
  readonly lagMs?: number;
}

export interface CleanSeries {
  readonly table: ColumnTable;
  readonly quarantined: QuarantinedRow[];
  /** The value column read ('value', 'open_interest' or the only other numeric column). */
  readonly valueColumn: string;
  /** How known times were set: 'release date + 1 day', or the lag used. */
  readonly rule: string;
  readonly missingValues: number;
  /** Observations hidden by a later observation first known at the same time. */
  readonly superseded: number;
}

function valueColumnOf(t: ColumnTable, where: string): string {
  for (const k of ['value', 'open_interest']) if (t.columns[k] instanceof Float64Array) return k;
  const numeric = Object.keys(t.columns).filter((k) => k !== 'ts' && k !== 'realtime_start' && t.columns[k] instanceof Float64Array);
  if (numeric.length === 1) return numeric[0]!;
  throw new UserError(
    `cannot tell which column is the series' value (${numeric.length ? `numeric columns: ${numeric.join(', ')}` : 'no numeric column besides ts'}); a series needs ts and value`,
    where,
  );
}

function medianStep(ts: Float64Array): number {
  const steps: number[] = [];
  for (let i = 1; i < ts.length; i++) {
    const d = ts[i]! - ts[i - 1]!;
    if (d > 0) steps.push(d);
  }
  if (steps.length === 0) return DAY;
  steps.sort((a, b) => a - b);
  return steps[Math.floor((steps.length - 1) / 2)]!;
}

export function cleanSeries(t: ColumnTable, where: string, opts: CleanSeriesOptions = {}): CleanSeries {
  const ts = t.columns['ts'];
  if (!(ts instanceof Float64Array)) throw new UserError('a series needs a numeric ts column', where);
  const valueColumn = valueColumnOf(t, where);
  const value = t.columns[valueColumn] as Float64Array;
  const rs = t.columns['realtime_start'] instanceof Float64Array ? (t.columns['realtime_start'] as Float64Array) : null;
  const n = t.length;
  const quarantined: QuarantinedRow[] = [];
  // Observation dates in order, for the duplicate check and the default lag.
  const seen = new Set<number>();
  const rows: number[] = [];
  let missingValues = 0;
  for (let i = 0; i < n; i++) {
    const x = ts[i]!;
    if (!Number.isFinite(x)) {
      quarantined.push({ row: i, line: null, ts: x, reason: 'bad_timestamp', detail: 'no observation date' });
      continue;
    }
    if (seen.has(x)) {
      quarantined.push({ row: i, line: null, ts: x, reason: 'duplicate_timestamp', detail: 'observation date repeated (the first is kept)' });
      continue;
    }
    seen.add(x);
    if (value[i] !== value[i]) {
      missingValues++;
      continue;
    }
    rows.push(i);
  }
  const sortedObs = Float64Array.from(rows.map((i) => ts[i]!)).sort();
  // Open interest is a snapshot taken at its stamp (as clean's bar join reads it); other series describe a period.
  const snapshot = valueColumn === 'open_interest';
  const lag = opts.lagMs ?? (snapshot ? 0 : medianStep(sortedObs));
  if (!(lag >= 0) || !Number.isFinite(lag)) throw new UserError(`the release lag must be a duration ≥ 0, got ${lag} ms`, 'lag');
  let released = 0;
  const known = rows.map((i) => {
    const r = rs ? rs[i]! : NaN;
    if (Number.isFinite(r)) {
      released++;
      return Math.max(r, ts[i]!) + DAY;
    }
    return ts[i]! + lag;
  });
  // Known time, then observation date: the last row of each known time is the latest observation.
  const order = rows.map((_, j) => j).sort((a, b) => known[a]! - known[b]! || ts[rows[a]!]! - ts[rows[b]!]!);
  const outTs: number[] = [];
  const outValue: number[] = [];
  const outPeriod: number[] = [];
  let superseded = 0;
  for (const j of order) {
    const k = known[j]!;
    const i = rows[j]!;
    if (outTs.length > 0 && outTs[outTs.length - 1] === k) {
      superseded++;
      outValue[outValue.length - 1] = value[i]!;
      outPeriod[outPeriod.length - 1] = ts[i]!;
      continue;
    }
    outTs.push(k);
    outValue.push(value[i]!);
    outPeriod.push(ts[i]!);
  }
  const rule =
    released === rows.length && rows.length > 0
      ? 'known at the end of the first-release day (realtime_start + 1 day)'
      : released > 0
        ? `known at the end of the release day where given (${released} rows), else observation + ${lag / DAY} days`
        : snapshot && opts.lagMs === undefined
          ? 'open-interest snapshots, known at their stamp'
          : `known ${lag / DAY} days after the observation date${opts.lagMs === undefined ? ' (one median step; no release dates: set --lag)' : ''}`;
  return {
    table: { length: outTs.length, columns: { ts: Float64Array.from(outTs), value: Float64Array.from(outValue), period: Float64Array.from(outPeriod) } },
    quarantined,
    valueColumn,
    rule,
    missingValues,
    superseded,
  };
}
