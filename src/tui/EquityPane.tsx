/**
 * The equity pane: an asciichart of the latest equity series block with a date axis, and the
 * drawdown of the same result under it (one summary line, and a small chart of its own when the
 * pane is tall enough); for a portfolio backtest, the P&L by model under that (a chart when the
 * pane is tall, else one line with each model's last P&L).
 */
import React from 'react';
import { Box, Text } from 'ink';
import type { SeriesBlock } from '../core/result.js';
import { formatNumber } from '../shell/format.js';
import type { EquityPaneState } from './pane-state.js';
import { Pane } from './Pane.js';
import { plotLines, drawdownSummary, CHART_COLORS, type XAxis } from './chart.js';
import { truncate } from './text-fit.js';

export interface EquityPaneProps {
  readonly state: EquityPaneState | undefined;
  /** Outer size, borders included. */
  readonly width: number;
  readonly height: number;
  /** asciichart colour codes per line; [] draws without colour (tests). */
  readonly colors?: readonly string[];
  /** The tab strip, when this pane takes turns with the others (it becomes the title). */
  readonly tabs?: string;
}

/** Inner height from which the drawdown gets a chart of its own (a third of the pane). */
export const DRAWDOWN_CHART_FROM = 18;

const axisOf = (b: SeriesBlock): XAxis => ({ x: b.x, kind: b.xKind ?? 'time' });

const lastFinite = (b: SeriesBlock): number | undefined => {
  const vals = b.series[0]?.values ?? [];
  for (let i = vals.length - 1; i >= 0; i--) {
    const v = vals[i];
    if (v !== null && v !== undefined && Number.isFinite(v)) return v;
  }
  return undefined;
};

/** Inner height from which the per-model P&L gets a chart of its own (a third of the pane). */
export const MODELS_CHART_FROM = 24;

/**
 * Inner height from which the per-model P&L gets its one summary line. Below it the equity chart
 * keeps every row (at 80×24 the chart needs its ≥ 8 rows: docs/shell-screens.md).
 */
export const MODELS_LINE_FROM = 14;

/** One line: each model's last P&L (`P&L by model: a +1,234 · b −56`). */
export function modelsSummary(models: SeriesBlock): string {
  const last = (values: readonly (number | null)[]): string => {
    for (let i = values.length - 1; i >= 0; i--) {
      const v = values[i];
      if (v !== null && v !== undefined && Number.isFinite(v)) return `${v >= 0 ? '+' : ''}${formatNumber(v)}`;
    }
    return '–';
  };
  return `${models.title}: ${models.series.map((s) => `${s.name} ${last(s.values)}`).join(' · ')}`;
}

/**
 * The text lines of the pane body (pure; tests compare them exactly). With a per-model P&L block:
 * its own chart (a third of the pane, legend above it) from MODELS_CHART_FROM rows, else one line
 * with each model's last P&L.
 */
export function equityLines(state: EquityPaneState, width: number, height: number, colors: readonly string[] = CHART_COLORS): string[] {
  const { models } = state;
  if (!models || models.series.length === 0 || height < MODELS_LINE_FROM) return equityAndDrawdown(state, width, height, colors);
  if (height < MODELS_CHART_FROM) return [...equityAndDrawdown(state, width, height - 1, colors), truncate(modelsSummary(models), width)].slice(0, height);
  const rows = Math.floor(height / 3);
  const legend = truncate(`${models.title}: ${models.series.map((s) => `─ ${s.name}`).join('  ')}`, width);
  const chart = plotLines(models.series.map((s) => s.values), width, rows - 1, colors, axisOf(models));
  const part = chart.length ? [legend, ...chart] : [truncate(modelsSummary(models), width)];
  return [...equityAndDrawdown(state, width, height - part.length, colors), ...part].slice(0, height);
}

function equityAndDrawdown(state: EquityPaneState, width: number, height: number, colors: readonly string[]): string[] {
  const { equity, drawdown } = state;
  const legend = equity.series.length > 1 && height >= 6 ? [truncate(equity.series.slice(0, 3).map((s) => `─ ${s.name}`).join('  '), width)] : [];
  const ddValues = drawdown?.series[0]?.values;
  const ddChartRows = ddValues && height >= DRAWDOWN_CHART_FROM ? Math.floor(height / 3) : 0;
  const ddLine = ddValues ? drawdownSummary(ddValues) : undefined;
  const reserved = legend.length + (ddLine ? 1 : 0) + ddChartRows;
  const chart = plotLines(equity.series.map((s) => s.values), width, height - reserved, colors, axisOf(equity));
  const ddChart = ddChartRows > 0 && drawdown && ddValues ? plotLines([ddValues], width, ddChartRows, [colors[2] ?? ''].filter((c) => c !== ''), axisOf(drawdown)) : [];
  const body = chart.length ? chart : [truncate(`${equity.title}: nothing finite to plot`, width)];
  return [...legend, ...body, ...(ddLine ? [truncate(ddLine, width)] : []), ...ddChart].slice(0, height);
}

export function EquityPane({ state, width, height, colors = CHART_COLORS, tabs }: EquityPaneProps): React.JSX.Element | null {
  const inner = { width: width - 2, height: height - 2 };
  if (!state) {
    return (
      <Pane title={tabs ?? 'equity'} {...(tabs ? { note: 'equity' } : {})} width={width} height={height}>
        <Text color="gray" wrap="truncate">
          no equity curve yet (a backtest fills this)
        </Text>
      </Pane>
    );
  }
  const last = lastFinite(state.equity);
  const lines = equityLines(state, inner.width, inner.height, colors);
  const title = state.equity.title === 'equity' ? 'equity' : `equity · ${state.equity.title}`;
  const note = [...(tabs ? [title] : []), ...(last !== undefined ? [`last ${formatNumber(last)}`] : [])].join(' · ');
  return (
    <Pane title={tabs ?? title} {...(note ? { note } : {})} width={width} height={height}>
      <Box flexDirection="column">
        {lines.map((l, i) => (
          <Text key={i} wrap="truncate">
            {l}
          </Text>
        ))}
      </Box>
    </Pane>
  );
}
