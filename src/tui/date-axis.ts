/**
 * An x axis for the pane charts: a tick row (`└──┬─────┬──`) and a label row with UTC dates
 * (or plain numbers for index series) under the plotted columns.
 *
 * Ticks fall on calendar boundaries in UTC (hour, day, week, month, year multiples), the finest
 * step whose labels fit side by side without touching; the label format follows the step
 * ('2018' for years, '2018-03' for months, '2018-03-15' for days, '03-15 08:00' for hours).
 * asciichart draws no x axis, so this is hand-written; it works on the columns the chart
 * actually drew (one per value, or one per resampling bucket — see chart.ts).
 */
import { DAY, HOUR } from '../core/time.js';

export interface Tick {
  /** Column of the tick among the plotted points (0 = the first point). */
  readonly column: number;
  readonly label: string;
}

type Unit = 'hour' | 'day' | 'month' | 'year';

interface Step {
  readonly unit: Unit;
  readonly count: number;
}

/** Steps from fine to coarse; weeks are 7-day steps counted from the epoch (Thursdays). */
const TIME_STEPS: readonly Step[] = [
  ...[1, 2, 3, 6, 12].map((count) => ({ unit: 'hour' as const, count })),
  ...[1, 2, 7, 14].map((count) => ({ unit: 'day' as const, count })),
  ...[1, 2, 3, 6].map((count) => ({ unit: 'month' as const, count })),
  ...[1, 2, 5, 10, 20, 50, 100].map((count) => ({ unit: 'year' as const, count })),
];

const APPROX_MS: Readonly<Record<Unit, number>> = { hour: HOUR, day: DAY, month: 30.44 * DAY, year: 365.25 * DAY };

/**
 * A tick's label. Day and hour ticks name the full date only on the first tick (and hour ticks on
 * a new day), so labels stay short: '2021-03-01', '03-08', '03-15'; '03-01 08:00', '16:00', '03-02'.
 */
function label(t: number, unit: Unit, first: boolean): string {
  const iso = new Date(t).toISOString();
  if (unit === 'year') return iso.slice(0, 4);
  if (unit === 'month') return iso.slice(0, 7);
  if (unit === 'day') return first ? iso.slice(0, 10) : iso.slice(5, 10);
  if (first) return `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
  return t % DAY === 0 ? iso.slice(5, 10) : iso.slice(11, 16);
}

/** The first tick at or after `t` for a step, in UTC. */
function firstTick(t: number, step: Step): number {
  const d = new Date(t);
  if (step.unit === 'hour' || step.unit === 'day') {
    const ms = step.unit === 'hour' ? step.count * HOUR : step.count * DAY;
    return Math.ceil(t / ms) * ms;
  }
  if (step.unit === 'month') {
    let m = d.getUTCFullYear() * 12 + d.getUTCMonth();
    if (Date.UTC(Math.floor(m / 12), m % 12, 1) < t) m++;
    m = Math.ceil(m / step.count) * step.count;
    return Date.UTC(Math.floor(m / 12), m % 12, 1);
  }
  let y = d.getUTCFullYear();
  if (Date.UTC(y, 0, 1) < t) y++;
  return Date.UTC(Math.ceil(y / step.count) * step.count, 0, 1);
}

function nextTick(t: number, step: Step): number {
  const d = new Date(t);
  if (step.unit === 'hour') return t + step.count * HOUR;
  if (step.unit === 'day') return t + step.count * DAY;
  if (step.unit === 'month') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + step.count, 1);
  return Date.UTC(d.getUTCFullYear() + step.count, 0, 1);
}

/** Column of time `t`: the first column whose time (its last value's x) is at or after t. */
function columnOf(columnTimes: readonly number[], t: number): number {
  let lo = 0;
  let hi = columnTimes.length - 1;
  if (columnTimes[hi]! < t) return -1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (columnTimes[mid]! >= t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Do the labels sit side by side with at least one blank column between them? */
const fits = (ticks: readonly Tick[]): boolean => ticks.every((tk, i) => i === 0 || tk.column - ticks[i - 1]!.column > ticks[i - 1]!.label.length);

/** Drop the last tick when its label would run past the plotted columns. */
const withinColumns = (ticks: Tick[], columns: number): Tick[] =>
  ticks.length > 0 && ticks[ticks.length - 1]!.column + ticks[ticks.length - 1]!.label.length > columns ? ticks.slice(0, -1) : ticks;

/** Label widths the step estimate assumes (short labels after the first, see `label`). */
const MIN_LABEL: Readonly<Record<Unit, number>> = { hour: 5, day: 5, month: 7, year: 4 };

/**
 * Ticks for a time axis. `start` is the time the first column begins at (the first x value) and
 * `columnTimes[i]` the time of column i's last value. Returns [] when no tick fits.
 */
export function timeTicks(start: number, columnTimes: readonly number[]): Tick[] {
  const n = columnTimes.length;
  const end = columnTimes[n - 1];
  if (n === 0 || end === undefined || !Number.isFinite(start) || !Number.isFinite(end)) return [];
  for (const step of TIME_STEPS) {
    // A step that would put more labels than there is room for cannot fit: skip before enumerating.
    if ((end - start) / (step.count * APPROX_MS[step.unit]) > n / (MIN_LABEL[step.unit] + 1) + 1) continue;
    const raw: Tick[] = [];
    for (let t = firstTick(start, step); t <= end; t = nextTick(t, step)) {
      const column = columnOf(columnTimes, t);
      if (column >= 0 && (raw.length === 0 || column > raw[raw.length - 1]!.column)) raw.push({ column, label: label(t, step.unit, raw.length === 0) });
    }
    const ticks = withinColumns(raw, n);
    if (ticks.length > 0 && fits(ticks)) return ticks;
  }
  return [];
}

/** Ticks for an index axis: multiples of 1, 2 or 5 × 10^k. */
export function indexTicks(columnValues: readonly number[]): Tick[] {
  const n = columnValues.length;
  if (n === 0) return [];
  const first = columnValues[0]!;
  const last = columnValues[n - 1]!;
  for (let magnitude = 1; magnitude <= 1e12; magnitude *= 10) {
    for (const m of [1, 2, 5]) {
      const step = m * magnitude;
      if ((last - first) / step > n / 2 + 1) continue;
      const ticks: Tick[] = [];
      for (let v = Math.ceil(first / step) * step; v <= last; v += step) {
        const column = columnOf(columnValues, v);
        if (column >= 0 && (ticks.length === 0 || column > ticks[ticks.length - 1]!.column)) ticks.push({ column, label: String(v) });
      }
      const kept = withinColumns(ticks, n);
      if (kept.length > 0 && fits(kept)) return kept;
    }
  }
  return [];
}

/**
 * The two axis rows under a chart whose points start at column `offset` (the y axis sits at
 * `offset - 1`): `└─┬──` ticks and the labels, each starting under its tick.
 */
export function axisRows(ticks: readonly Tick[], offset: number, points: number): [string, string] {
  const rule = Array.from({ length: points }, () => '─');
  let labels = '';
  for (const t of ticks) {
    rule[t.column] = '┬';
    labels = labels.padEnd(offset + t.column) + t.label;
  }
  return [`${' '.repeat(Math.max(0, offset - 1))}└${rule.join('')}`, labels];
}

/**
 * Resample x the way chart.ts resamples values (the last x of each of `points` buckets) and pick
 * ticks for it: calendar ticks for time, round numbers for indices.
 */
export function ticksFor(x: readonly number[], kind: 'time' | 'index', points: number): { ticks: Tick[]; columns: number } {
  const columns = Math.min(points, x.length);
  const columnX = x.length <= points ? [...x] : Array.from({ length: points }, (_, i) => x[Math.floor(((i + 1) * x.length) / points) - 1]!);
  const ticks = kind === 'time' ? timeTicks(x[0]!, columnX) : indexTicks(columnX);
  return { ticks, columns };
}
