/**
 * asciichart plots sized to a pane: exactly `rows` lines, no line wider than `width`.
 *
 * asciichart draws one column per value, computes its row count by rounding `min * ratio` and
 * `max * ratio` separately (so it can come out one row off), and breaks on NaN. So values are
 * resampled to the width (last value per bucket: what was known at the end of it), gaps are
 * filled forward, and each line is shifted by the minimum before plotting (labels add it back),
 * which makes the row count exact.
 */
import asciichart, { type PlotConfig } from 'asciichart';
import { downsampleLast } from '../shell/render-text.js';
import { displayWidth } from '../shell/format.js';
import { axisRows, ticksFor } from './date-axis.js';
import { truncate } from './text-fit.js';

/** Forward-fill NaN / null; leading gaps take the first finite value. Empty when nothing is finite. */
export function fillGaps(values: readonly (number | null)[]): number[] {
  const first = values.find((v): v is number => v !== null && Number.isFinite(v));
  if (first === undefined) return [];
  const out = new Array<number>(values.length);
  let last = first;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== null && v !== undefined && Number.isFinite(v)) last = v;
    out[i] = last;
  }
  return out;
}

export const CHART_COLORS = [asciichart.cyan, asciichart.yellow, asciichart.magenta] as const;

/** Digits for axis labels from the value range. */
function labelDigits(min: number, max: number): number {
  const span = Math.max(Math.abs(max), Math.abs(min));
  const range = max - min;
  if (span >= 1000) return 0;
  if (span >= 10 || range >= 10) return 1;
  return range > 0 && range < 0.05 ? 3 : 2;
}

/** The x values of a chart's lines, for the axis under it. */
export interface XAxis {
  readonly x: readonly number[];
  readonly kind: 'time' | 'index';
}

/** Rows the x axis takes (tick row and label row). */
export const AXIS_ROWS = 2;

/**
 * Plot up to three lines into `rows` lines of at most `width` columns. With `axis` (and at least
 * 3 rows left for the plot) the last two rows are the x axis (date-axis.ts). Returns [] when
 * there is nothing finite to draw or no room.
 */
export function plotLines(lines: readonly (readonly (number | null)[])[], width: number, rows: number, colors: readonly string[] = CHART_COLORS, axis?: XAxis): string[] {
  const withAxis = axis !== undefined && rows - AXIS_ROWS >= 3 && axis.x.length > 0 && lines.every((l) => l.length === axis.x.length);
  const plot = plotValues(lines, width, withAxis ? rows - AXIS_ROWS : rows, colors);
  if (!withAxis || plot.rows.length === 0) return plot.rows;
  const { ticks } = ticksFor(axis.x, axis.kind, plot.points);
  return [...plot.rows, ...axisRows(ticks, plot.offset, Math.min(plot.points, axis.x.length)).map((r) => truncate(r, width))];
}

/** The plot rows, the column the points start at and how many point columns there are. */
function plotValues(lines: readonly (readonly (number | null)[])[], width: number, rows: number, colors: readonly string[]): { rows: string[]; offset: number; points: number } {
  const none = { rows: [], offset: 0, points: 0 };
  const filled = lines.slice(0, 3).map((l) => fillGaps(l)).filter((l) => l.length > 0);
  if (filled.length === 0 || rows < 1) return none;
  let min = Infinity;
  let max = -Infinity;
  for (const l of filled) for (const v of l) (min = Math.min(min, v)), (max = Math.max(max, v));
  const digits = labelDigits(min, max);
  const labelWidth = Math.max(displayWidth(min.toFixed(digits)), displayWidth(max.toFixed(digits)));
  // A plotted row is: label, one space, the axis, then one column per point.
  const points = width - labelWidth - 2;
  if (points < 2) return none;
  const sampled = filled.map((l) => downsampleLast(l, points));
  const shifted = sampled.map((l) => l.map((v) => v - min));
  const height = Math.max(0, rows - 1);
  const config: PlotConfig = {
    height,
    symbols: ['┼', '┤', '╶', '╴', '─', '╰', '╭', '╮', '╯', '│'],
    offset: 2,
    padding: ' '.repeat(labelWidth + 1),
    format: (x: number) => `${(x + min).toFixed(digits).padStart(labelWidth)} `,
    colors: colors.slice(0, shifted.length) as string[],
  };
  const plot = asciichart.plot(shifted.length === 1 ? shifted[0]! : shifted, config);
  const out = plot.split('\n').map((l) => l.replace(/\s+$/, ''));
  const range = max - min;
  const firstRow = range !== 0 ? height - Math.round((shifted[0]![0]! * height) / range) : 0;
  const axis = labelWidth + 1;
  // asciichart also marks its row 0 (with the shift: the top row) with '┼'; only the first
  // value's row should carry it.
  const top = out[0];
  if (firstRow !== 0 && top !== undefined && top[axis] === '┼') out[0] = `${top.slice(0, axis)}┤${top.slice(axis + 1)}`;
  return { rows: out, offset: axis + 1, points };
}

/** Drawdown as one line: deepest and current, in % when the values are fractions. */
export function drawdownSummary(values: readonly (number | null)[]): string | undefined {
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (finite.length === 0) return undefined;
  const asFraction = finite.every((v) => Math.abs(v) <= 1);
  const fmt = (v: number): string => (asFraction ? `${(Math.abs(v) * 100).toFixed(1)}%` : Math.abs(v).toFixed(2));
  const deepest = finite.reduce((a, v) => (Math.abs(v) > Math.abs(a) ? v : a), 0);
  return `drawdown max ${fmt(deepest)} · now ${fmt(finite[finite.length - 1]!)}`;
}
