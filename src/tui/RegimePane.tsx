/**
 * The regime pane: the regime timeline as one strip per dimension (or HMM state), with a date
 * axis under it, and a backtest's performance-by-regime split when there is room.
 *
 * A strip is one glyph per column, its height the level: for rule regimes the level code
 * (worst ▁ … best █, as the codes are ordered; vol runs calm ▁ to stressed █), for probabilities
 * 0 ▁ … 1 █. The current value (a level name when the result's inputs table names the codes)
 * closes each strip.
 */
import React from 'react';
import { Box, Text } from 'ink';
import type { Cell, SeriesBlock, TableBlock } from '../core/result.js';
import { downsampleLast } from '../shell/render-text.js';
import { formatCell } from '../shell/format.js';
import type { RegimePaneState, RegimeTimelineState } from './pane-state.js';
import { Pane } from './Pane.js';
import { Table, type ScalarRecord } from './Table.js';
import { axisRows, ticksFor } from './date-axis.js';
import { AXIS_ROWS, fillGaps } from './chart.js';
import { truncate } from './text-fit.js';
import { REGIME_SPLIT_TITLE } from './pane-state.js';

export interface RegimePaneProps {
  readonly state: RegimePaneState | undefined;
  /** Outer size, borders included. */
  readonly width: number;
  readonly height: number;
  /** The tab strip, when this pane takes turns with the others (it becomes the title). */
  readonly tabs?: string;
}

const GLYPHS = '▁▂▃▄▅▆▇█';

interface Strip {
  readonly name: string;
  readonly values: readonly (number | null)[];
  /** Value range the glyphs span. */
  readonly lo: number;
  readonly hi: number;
  readonly levels?: readonly string[];
}

function stripsOf(block: SeriesBlock, levels: RegimeTimelineState['levels']): Strip[] {
  const finite = block.series.flatMap((s) => s.values.filter((v): v is number => v !== null && Number.isFinite(v)));
  const probabilities = finite.length > 0 && finite.every((v) => v >= 0 && v <= 1) && block.series.every((s) => s.name.startsWith('P('));
  const lo = probabilities ? 0 : Math.min(0, ...finite);
  const hi = probabilities ? 1 : Math.max(1, ...finite);
  return block.series.map((s) => {
    const named = levels[s.name];
    return named ? { name: s.name, values: s.values, lo: 0, hi: Math.max(1, named.length - 1), levels: named } : { name: s.name, values: s.values, lo, hi };
  });
}

const glyph = (v: number, lo: number, hi: number): string => GLYPHS[Math.round(((Math.min(hi, Math.max(lo, v)) - lo) / (hi - lo)) * (GLYPHS.length - 1))]!;

function current(strip: Strip): string {
  const filled = fillGaps(strip.values);
  const last = filled[filled.length - 1];
  if (last === undefined) return 'n/a';
  if (strip.levels) return strip.levels[Math.round(last)] ?? String(last);
  return strip.lo === 0 && strip.hi === 1 ? `${Math.round(last * 100)}%` : formatCell(last);
}

/**
 * Strip lines for the latest timeline (pure; tests compare them exactly): as many strips as fit
 * in `rows` with the two axis rows under them; [] when there is no room for one strip.
 */
export function timelineLines(timeline: RegimeTimelineState, width: number, rows: number): string[] {
  const all = timeline.blocks.flatMap((b) => stripsOf(b, timeline.levels).map((s) => ({ strip: s, block: b })));
  const withAxis = rows - AXIS_ROWS >= 1;
  const shown = all.filter((s) => s.strip.values.some((v) => v !== null)).slice(0, Math.max(0, withAxis ? rows - AXIS_ROWS : rows));
  if (shown.length === 0) return [];
  const nameWidth = Math.max(...shown.map((s) => s.strip.name.length));
  const nows = shown.map((s) => current(s.strip));
  const nowWidth = Math.max(...nows.map((n) => n.length));
  const columns = width - nameWidth - nowWidth - 2;
  if (columns < 4) return [];
  const out = shown.map(({ strip }, i) => {
    const sampled = downsampleLast(strip.values, columns);
    const cells = sampled.map((v) => (Number.isFinite(v) ? glyph(v, strip.lo, strip.hi) : ' ')).join('');
    return `${strip.name.padEnd(nameWidth)} ${cells.padEnd(columns)} ${nows[i]}`;
  });
  const first = shown[0]!.block;
  if (withAxis && first.x.length > 0) {
    const { ticks, columns: drawn } = ticksFor(first.x, first.xKind ?? 'time', columns);
    out.push(...axisRows(ticks, nameWidth + 1, drawn).map((r) => truncate(r, width)));
  }
  return out;
}

type SplitRow = ScalarRecord & Record<string, Cell>;

const SPLIT_COLUMNS = ['dimension', 'regime', 'time %', 'ann. return %', 'Sharpe'];

/** The split table's rows with the columns that fit a pane. */
export function splitRows(table: TableBlock): { columns: string[]; rows: SplitRow[] } {
  const columns = SPLIT_COLUMNS.filter((c) => table.columns.includes(c));
  const rows = table.rows.map((r) => Object.fromEntries(columns.map((c) => [c, r[table.columns.indexOf(c)] ?? null])) as SplitRow);
  return { columns, rows };
}

export function RegimePane({ state, width, height, tabs }: RegimePaneProps): React.JSX.Element | null {
  const inner = { width: width - 2, height: height - 2 };
  const title = 'regime';
  if (!state || (!state.timeline && !state.split)) {
    return (
      <Pane title={tabs ?? title} {...(tabs ? { note: title } : {})} width={width} height={height}>
        <Text color="gray" wrap="truncate">
          no regime timeline yet (`regime` fills this; a backtest adds its split)
        </Text>
      </Pane>
    );
  }
  const lines = state.timeline ? timelineLines(state.timeline, inner.width, inner.height) : [];
  const left = inner.height - lines.length;
  const split = state.split && left >= 3 ? splitRows(state.split.table) : undefined;
  const note = state.timeline ? '▁ low … █ high' : `${REGIME_SPLIT_TITLE} (${state.split!.source})`;
  return (
    <Pane title={tabs ?? title} note={tabs ? `${title} · ${note}` : note} width={width} height={height}>
      <Box flexDirection="column">
        {lines.map((l, i) => (
          <Text key={i} wrap="truncate">
            {l}
          </Text>
        ))}
        {split ? (
          <>
            {lines.length > 0 ? (
              <Text color="gray" wrap="truncate">
                {truncate(`${REGIME_SPLIT_TITLE} (${state.split!.source})`, inner.width)}
              </Text>
            ) : null}
            <Table data={split.rows.slice(0, left - (lines.length > 0 ? 2 : 1))} columns={split.columns} maxWidth={inner.width} />
          </>
        ) : null}
      </Box>
    </Pane>
  );
}
