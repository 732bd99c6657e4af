/**
 * Plain-text rendering of a CommandResult for headless runs, CI logs and the TUI's log pane.
 * Series become a small asciichart; everything else is aligned text.
 */
import asciichart from 'asciichart';
import type { Block, CommandResult, SeriesBlock } from '../core/result.js';
import { formatMetric, layoutTable, formatNumber } from './format.js';
import { shortUtc } from '../core/time.js';
import { axisRows, ticksFor } from '../tui/date-axis.js';
import { learningBlockText } from '../tui/learning-state.js';

export interface RenderOptions {
  /** Target width in columns (charts and wrapping). @default 100 */
  readonly width?: number;
  /** Draw series as charts (true) or as one summary line (false). @default true */
  readonly charts?: boolean;
}

export function renderText(result: CommandResult, opts: RenderOptions = {}): string {
  return result.blocks.map((b) => renderBlock(b, opts)).filter((s) => s !== '').join('\n');
}

export function renderBlock(b: Block, opts: RenderOptions = {}): string {
  const width = opts.width ?? 100;
  switch (b.kind) {
    case 'text':
      return b.text;
    case 'table': {
      const head = b.title ? [`${b.title}`] : [];
      const more = b.totalRows !== undefined && b.totalRows > b.rows.length ? [`… ${b.totalRows - b.rows.length} more rows (${b.totalRows} in all)`] : [];
      return [...head, ...layoutTable(b.columns, b.rows), ...more].join('\n');
    }
    case 'metrics': {
      const parts = b.items.map((m) => `${m.name} ${formatMetric(m)}`);
      const lines: string[] = [];
      let cur = '';
      for (const p of parts) {
        if (cur && cur.length + p.length + 3 > width) {
          lines.push(cur);
          cur = p;
        } else cur = cur ? `${cur} · ${p}` : p;
      }
      if (cur) lines.push(cur);
      return [...(b.title ? [b.title] : []), ...lines].join('\n');
    }
    case 'gates': {
      const rows = b.gates.map((g) => [g.pass ? '✓' : '✗', g.name, g.value, g.threshold, g.reason ?? '']);
      const passed = b.gates.filter((g) => g.pass).length;
      return [`${b.title}: ${passed}/${b.gates.length} gates pass`, ...layoutTable(['', 'gate', 'value', 'threshold', 'reason'], rows, 60)].join('\n');
    }
    case 'status':
      return `${b.title}: ${b.fields.map((f) => `${f.name} ${f.value}`).join(' · ')}`;
    case 'series':
      // A boosted-tree fit's learning curve: train and validation in different glyphs (src/tui/learning-state.ts).
      return opts.charts === false ? seriesSummary(b) : b.pane === 'learning' ? learningBlockText(b, width) : seriesChart(b, width);
  }
}

function seriesSummary(b: SeriesBlock): string {
  const parts = b.series.map((s) => {
    const vals = s.values.filter((v): v is number => v !== null && Number.isFinite(v));
    const last = vals.length ? formatNumber(vals[vals.length - 1]!) : '–';
    return `${s.name} last ${last} (${s.values.length} points)`;
  });
  return `${b.title}: ${parts.join(' · ')}`;
}

/** Resample a line to at most n points by taking the last value in each bucket (what was known then). */
export function downsampleLast(values: readonly (number | null)[], n: number): number[] {
  if (values.length <= n) return values.map((v) => (v === null ? NaN : v));
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const end = Math.floor(((i + 1) * values.length) / n) - 1;
    const v = values[end];
    out.push(v === null || v === undefined ? NaN : v);
  }
  return out;
}

/**
 * For drawing only: carry the last finite value over gaps (and the first one back over a warm-up),
 * because asciichart cannot draw NaN. The data itself is untouched.
 */
export function fillForChart(values: readonly number[]): number[] | undefined {
  const first = values.find((v) => Number.isFinite(v));
  if (first === undefined) return undefined;
  let last = first;
  return values.map((v) => (Number.isFinite(v) ? (last = v) : last));
}

/**
 * The chart with its x axis under it (src/tui/date-axis.ts: UTC calendar ticks, or round numbers
 * for an index axis). The points start one column right of the y axis glyph of the first row.
 */
function withDateAxis(chart: string, b: SeriesBlock, points: number): string {
  const first = chart.split('\n')[0] ?? '';
  const axis = [...first].findIndex((c) => c === '┤' || c === '┼');
  if (axis < 0 || b.x.length === 0) return chart;
  const { ticks, columns } = ticksFor(b.x, b.xKind ?? 'time', points);
  return [chart, ...axisRows(ticks, axis + 1, columns)].join('\n');
}

function seriesChart(b: SeriesBlock, width: number): string {
  const points = Math.max(10, Math.min(width - 14, 90));
  const lines = b.series
    .slice(0, 3)
    .map((s) => fillForChart(downsampleLast(s.values, points)))
    .filter((l): l is number[] => l !== undefined);
  const finite = lines.flat();
  if (lines.length === 0 || finite.length < 2) return seriesSummary(b);
  let min = Infinity;
  let max = -Infinity;
  for (const v of finite) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min === max) return seriesSummary(b);
  const fmt = (x: number): string => formatNumber(x, Math.abs(x) >= 100 ? 0 : 2).padStart(10);
  const chart = withDateAxis(asciichart.plot(lines, { height: 6, format: fmt, min, max }), b, lines[0]!.length);
  const x0 = b.x[0];
  const x1 = b.x[b.x.length - 1];
  const span = b.xKind === 'index' || x0 === undefined || x1 === undefined ? '' : ` (${shortUtc(x0, true)} .. ${shortUtc(x1, true)})`;
  return `${b.title}${span}: ${b.series.map((s) => s.name).join(', ')}\n${chart}`;
}
