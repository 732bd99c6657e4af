/**
 * The learning-curve chart of a boosted-tree fit (docs/ml.md, "Panes"): train and validation loss
 * per round for one model, drawn with asciichart (the equity pane's chart library) into exactly
 * `rows` lines of at most `width` columns.
 *
 * The two curves must be told apart without colour, and asciichart draws every line of one plot
 * with the same glyphs, so each curve is plotted on its own — train with light lines (─ │ ╭ ╮ ╰ ╯),
 * validation with double lines (═ ║ ╔ ╗ ╚ ╝) — over the same value range (both shifted by the
 * common minimum, `min` 0 and `max` the range passed to asciichart, which makes the row count
 * exact), and the two grids are laid over each other, validation on top where they cross. The
 * round the model keeps (early stopping's best validation round) is a dotted column `┊` through
 * the empty cells and `▲` on the x axis. Fewer rounds than columns are spread over the width, a
 * whole number of columns per round joined by straight lines; more are resampled the way chart.ts
 * does (the last value of each bucket) and the marker goes to the bucket holding the kept round.
 */
import asciichart, { type PlotConfig } from 'asciichart';
import { downsampleLast } from '../shell/render-text.js';
import { displayWidth } from '../shell/format.js';
import { axisRows, ticksFor } from './date-axis.js';
import { truncate } from './text-fit.js';

export const TRAIN_GLYPHS = ['┤', '┤', '╶', '╴', '─', '╰', '╭', '╮', '╯', '│'] as const;
export const VALID_GLYPHS = ['┤', '┤', '╶', '╴', '═', '╚', '╔', '╗', '╝', '║'] as const;
export const KEPT_GLYPH = '┊';
export const KEPT_AXIS_GLYPH = '▲';

/** One model's curve as the pane draws it. */
export interface LearningCurve {
  /** Horizon or model label ('1d'). */
  readonly label: string;
  /** Round of each point (0 = the constant model). */
  readonly rounds: readonly number[];
  readonly train: readonly number[];
  /** NaN / null where there is no validation loss. */
  readonly valid: readonly (number | null)[];
  /** The round the model keeps (best validation round), when known. */
  readonly kept?: number;
  /** True when training stopped before the round budget (early stopping). */
  readonly stoppedEarly?: boolean;
}

/** Loss values as the pane and the selected-rounds table print them: 5 significant digits. */
export const formatLoss = (v: number | null | undefined): string => (v === null || v === undefined || !Number.isFinite(v) ? '–' : String(Number(v.toPrecision(5))));

const finiteValues = (values: readonly (number | null)[]): number[] => values.filter((v): v is number => v !== null && Number.isFinite(v));

const lastFinite = (values: readonly (number | null)[]): number | undefined => {
  for (let i = values.length - 1; i >= 0; i--) {
    const v = values[i];
    if (v !== null && v !== undefined && Number.isFinite(v)) return v;
  }
  return undefined;
};

/** Digits for the y labels: enough that one row's step shows (at least 2, at most 6). */
function labelDigits(range: number, rows: number, span: number): number {
  if (span >= 1000) return 0;
  if (!(range > 0)) return 4;
  return Math.max(2, Math.min(6, Math.ceil(-Math.log10(range / Math.max(1, rows))) + 1));
}

/**
 * Columns per round when `n` points fit in `points` columns: a whole number, so every round falls
 * on a column of its own (the columns between two rounds are drawn on the straight line joining them).
 */
export const stretchOf = (n: number, points: number): number => (n <= 1 || n > points ? 1 : Math.max(1, Math.floor((points - 1) / (n - 1))));

/**
 * The column of point `index` of `n` drawn in `points` columns: index × stretch when they fit,
 * else the bucket holding it when they are resampled (the last value of each bucket, as chart.ts).
 */
export function columnOfPoint(index: number, n: number, points: number): number {
  if (n <= points) return index * stretchOf(n, points);
  for (let c = 0; c < points; c++) if (Math.floor(((c + 1) * n) / points) - 1 >= index) return c;
  return points - 1;
}

/** Values (or x) on `points` columns: stretched by straight lines between rounds, or resampled. */
function onColumns(values: readonly number[], points: number): number[] {
  const k = stretchOf(values.length, points);
  if (values.length > points) return downsampleLast(values, points);
  if (k === 1) return [...values];
  const out: number[] = [];
  for (let i = 0; i < values.length - 1; i++) for (let j = 0; j < k; j++) out.push(values[i]! + ((values[i + 1]! - values[i]!) * j) / k);
  out.push(values[values.length - 1]!);
  return out;
}

/** The header line of one curve: label, each curve's glyph and last value, and the kept round; cut to `width`. */
export function curveHeader(curve: LearningCurve, width: number): string {
  const train = formatLoss(lastFinite(curve.train));
  const valid = lastFinite(curve.valid);
  const last = curve.rounds[curve.rounds.length - 1] ?? 0;
  const kept = curve.kept;
  const candidates = [
    `${curve.label} · ─ train ${train} · ═ validation ${formatLoss(valid)}${kept !== undefined ? ` · ${KEPT_GLYPH} kept round ${kept} of ${last}${curve.stoppedEarly ? ' (early stop)' : ''}` : ''}`,
    `${curve.label} ─ train ${train} ═ valid ${formatLoss(valid)}${kept !== undefined ? ` ${KEPT_GLYPH} kept r${kept}/${last}` : ''}`,
    `${curve.label} ─ train ${train} ═ valid ${formatLoss(valid)}${kept !== undefined ? ` ${KEPT_GLYPH} r${kept}/${last}` : ''}`,
    `${curve.label} ─${train} ═${formatLoss(valid)}${kept !== undefined ? ` ${KEPT_GLYPH}r${kept}/${last}` : ''}`,
  ];
  return candidates.find((c) => displayWidth(c) <= width) ?? truncate(candidates[candidates.length - 1]!, width);
}

/**
 * The curve's plot and x axis in `rows` lines (the last two are the round axis when at least 3
 * rows are left for the plot). Returns [] when there is nothing finite or no room.
 */
export function curvePlot(curve: LearningCurve, width: number, rows: number): string[] {
  const train = finiteValues(curve.train);
  const valid = finiteValues(curve.valid);
  if (train.length === 0 || rows < 1) return [];
  let min = Infinity;
  let max = -Infinity;
  for (const v of [...train, ...valid]) (min = Math.min(min, v)), (max = Math.max(max, v));
  const withAxis = rows - 2 >= 3;
  const plotRows = withAxis ? rows - 2 : rows;
  const height = Math.max(1, plotRows - 1);
  // A flat curve (e.g. the constant model only) still gets a range to scale by.
  const range = max > min ? max - min : Math.abs(min) > 0 ? Math.abs(min) * 1e-3 : 1;
  const digits = labelDigits(range, height, Math.max(Math.abs(min), Math.abs(max)));
  const labelWidth = Math.max(displayWidth(min.toFixed(digits)), displayWidth((min + range).toFixed(digits)));
  const points = width - labelWidth - 2;
  if (points < 2) return [];
  const n = curve.rounds.length;
  const fill = (values: readonly (number | null)[]): number[] => {
    let last = NaN;
    const filled = values.map((v) => (v !== null && Number.isFinite(v) ? (last = v) : last));
    const first = filled.find((v) => Number.isFinite(v));
    return first === undefined ? [] : filled.map((v) => (Number.isFinite(v) ? v : first));
  };
  const plotOf = (values: readonly (number | null)[], symbols: readonly string[]): string[] | undefined => {
    const filled = fill(values);
    if (filled.length === 0) return undefined;
    const shifted = onColumns(filled, points).map((v) => v - min);
    const config: PlotConfig = { height, min: 0, max: range, symbols: [...symbols], offset: 2, padding: ' '.repeat(labelWidth + 1), format: (x: number) => `${(x + min).toFixed(digits).padStart(labelWidth)} ` };
    return asciichart.plot(shifted, config).split('\n');
  };
  const trainRows = plotOf(curve.train, TRAIN_GLYPHS)!;
  const validRows = plotOf(curve.valid, VALID_GLYPHS);
  const axis = labelWidth + 1;
  const columns = n > points ? points : (n - 1) * stretchOf(n, points) + 1;
  const keptColumn = curve.kept !== undefined && curve.kept >= 0 && curve.kept < n ? columnOfPoint(curve.kept, n, points) : -1;
  const plot = trainRows.map((row, r) => {
    const cells = [...row.padEnd(axis + 1 + columns)];
    const over = validRows ? [...(validRows[r] ?? '')] : [];
    cells[axis] = '┤';
    for (let c = axis + 1; c < axis + 1 + columns; c++) {
      const v = over[c];
      if (v !== undefined && v !== ' ') cells[c] = v;
      else if (c === axis + 1 + keptColumn && cells[c] === ' ') cells[c] = KEPT_GLYPH;
    }
    return cells.join('').trimEnd();
  });
  if (!withAxis) return plot.slice(0, rows);
  const { ticks } = ticksFor(onColumns(curve.rounds, points), 'index', points);
  const [rule, labels] = axisRows(ticks, axis + 1, columns);
  const ruleCells = [...rule];
  if (keptColumn >= 0) ruleCells[axis + 1 + keptColumn] = KEPT_AXIS_GLYPH;
  // The x axis's name: in the margin under the loss labels when it fits there, else after the labels.
  const margin = axis + 1;
  const named = margin >= 6 ? `${'round'.padStart(margin - 1)}${labels.slice(margin - 1)}` : displayWidth(labels) + 7 <= width ? `${labels}  round` : labels;
  // A tick label the width cuts through is dropped whole, not left as a shorter number.
  const labelRow = [...named.trimEnd()];
  const cut = labelRow.length <= width ? labelRow.join('') : labelRow.slice(0, width).join('').replace(labelRow[width] === ' ' ? /$/ : /\s*\S*$/, '');
  return [...plot, truncate(ruleCells.join(''), width), cut.trimEnd()];
}

/** Rows one chart needs at the least: header, 3 plotted rows, the round axis (2). */
export const MIN_CURVE_ROWS = 6;

/**
 * The learning pane's body (pure; tests read it): each curve as a header and a chart when the
 * height allows (they share it evenly), else the first curves as charts and the others as their
 * header line alone. Exactly `height` lines or fewer, none wider than `width`.
 */
export function learningLines(curves: readonly LearningCurve[], width: number, height: number): string[] {
  if (curves.length === 0 || height < 1) return [];
  const chartCount = fitCharts(curves.length, height);
  const headerOnly = curves.length - chartCount;
  const chartRows = chartCount > 0 ? Math.floor((height - headerOnly) / chartCount) : 0;
  const out: string[] = [];
  curves.forEach((c, i) => {
    out.push(curveHeader(c, width));
    if (i < chartCount) out.push(...curvePlot(c, width, chartRows - 1));
  });
  return out.slice(0, height);
}

/** How many curves get a chart: as many as leave every other curve its header line. */
function fitCharts(count: number, height: number): number {
  for (let k = count; k > 0; k--) if ((height - (count - k)) / k >= MIN_CURVE_ROWS) return k;
  return 0;
}
