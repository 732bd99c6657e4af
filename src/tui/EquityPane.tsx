/**
 * The equity pane: an asciichart of the latest equity series block, with the drawdown of the same
 * result under it (a small chart when the pane is tall enough, else one summary line).
 */
import React from 'react';
import { Box, Text } from 'ink';
import type { SeriesBlock } from '../core/result.js';
import { formatNumber } from '../shell/format.js';
import type { EquityPaneState } from './pane-state.js';
import { Pane } from './Pane.js';
import { plotLines, drawdownSummary, CHART_COLORS } from './chart.js';
import { truncate } from './text-fit.js';

export interface EquityPaneProps {
  readonly state: EquityPaneState | undefined;
  /** Outer size, borders included. */
  readonly width: number;
  readonly height: number;
  /** asciichart colour codes per line; [] draws without colour (tests). */
  readonly colors?: readonly string[];
}

const lastFinite = (b: SeriesBlock): number | undefined => {
  const vals = b.series[0]?.values ?? [];
  for (let i = vals.length - 1; i >= 0; i--) {
    const v = vals[i];
    if (v !== null && v !== undefined && Number.isFinite(v)) return v;
  }
  return undefined;
};

/** The text lines of the pane body (pure; tests compare them exactly). */
export function equityLines(state: EquityPaneState, width: number, height: number, colors: readonly string[] = CHART_COLORS): string[] {
  const { equity, drawdown } = state;
  const legend = equity.series.length > 1 && height >= 6 ? [truncate(equity.series.slice(0, 3).map((s) => `─ ${s.name}`).join('  '), width)] : [];
  const ddValues = drawdown?.series[0]?.values;
  const ddChartRows = ddValues && height >= 12 ? Math.floor(height / 3) : 0;
  const ddLine = ddValues ? drawdownSummary(ddValues) : undefined;
  const reserved = legend.length + (ddLine ? 1 : 0) + ddChartRows;
  const chart = plotLines(equity.series.map((s) => s.values), width, height - reserved, colors);
  const ddChart = ddChartRows > 0 && ddValues ? plotLines([ddValues], width, ddChartRows, [colors[2] ?? ''].filter((c) => c !== '')) : [];
  const body = chart.length ? chart : [truncate(`${equity.title}: nothing finite to plot`, width)];
  return [...legend, ...body, ...(ddLine ? [truncate(ddLine, width)] : []), ...ddChart].slice(0, height);
}

export function EquityPane({ state, width, height, colors = CHART_COLORS }: EquityPaneProps): React.JSX.Element | null {
  const inner = { width: width - 2, height: height - 2 };
  if (!state) {
    return (
      <Pane title="equity" width={width} height={height}>
        <Text color="gray" wrap="truncate">
          no equity curve yet (a backtest fills this)
        </Text>
      </Pane>
    );
  }
  const last = lastFinite(state.equity);
  const lines = equityLines(state, inner.width, inner.height, colors);
  return (
    <Pane title={state.equity.title === 'equity' ? 'equity' : `equity · ${state.equity.title}`} {...(last !== undefined ? { note: `last ${formatNumber(last)}` } : {})} width={width} height={height}>
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
