/**
 * A small table for Ink with ink-table's props (`data`, `columns`, `padding`).
 *
 * Why not ink-table: its last release (3.1.0) is CommonJS and `require()`s ink, and ink ≥ 4 is
 * ESM with top-level await, so it fails to load next to ink 6 (STACK.md). This one draws no
 * borders (panes already have them): a bold header, then rows; numbers are right-aligned; when
 * `maxWidth` is given the widest columns are cut with … until the table fits.
 */
import React from 'react';
import { Box, Text } from 'ink';
import type { Cell } from '../core/result.js';
import { formatCell, displayWidth, padEnd, padStart } from '../shell/format.js';
import { truncate } from './text-fit.js';

export type ScalarRecord = Readonly<Record<string, Cell>>;

export interface TableProps<T extends ScalarRecord> {
  /** Rows, one object per row (ink-table's `data`). */
  readonly data: readonly T[];
  /** Which keys to show, in order (ink-table's `columns`); default: the keys of the first row. */
  readonly columns?: readonly (keyof T & string)[];
  /** Spaces between columns. @default 2 (ink-table pads each side by 1) */
  readonly padding?: number;
  /** Cut columns so a row fits this many columns. */
  readonly maxWidth?: number;
  /** Colour for a cell (e.g. ✓ green); undefined keeps the default colour. */
  readonly cellColor?: (column: keyof T & string, value: Cell, row: T) => string | undefined;
  /** Hide the header row. @default false */
  readonly noHeader?: boolean;
}

/** Column widths that fit `maxWidth`: shrink the widest column one step at a time (not below 3). */
export function fitWidths(widths: readonly number[], maxWidth: number, gap: number): number[] {
  const w = [...widths];
  const total = (): number => w.reduce((a, b) => a + b, 0) + gap * Math.max(0, w.length - 1);
  while (total() > maxWidth) {
    let widest = 0;
    for (let i = 1; i < w.length; i++) if (w[i]! > w[widest]!) widest = i;
    if (w[widest]! <= 3) break;
    w[widest] = w[widest]! - 1;
  }
  return w;
}

export function Table<T extends ScalarRecord>({ data, columns, padding = 2, maxWidth, cellColor, noHeader = false }: TableProps<T>): React.JSX.Element {
  const cols = columns ?? ((data[0] ? Object.keys(data[0]) : []) as (keyof T & string)[]);
  const text = data.map((row) => cols.map((c) => formatCell(row[c] ?? null)));
  const natural = cols.map((c, i) => Math.max(noHeader ? 0 : displayWidth(c), ...text.map((r) => displayWidth(r[i]!))));
  const widths = maxWidth === undefined ? natural : fitWidths(natural, maxWidth, padding);
  const numeric = cols.map((c) => data.length > 0 && data.every((r) => r[c] === null || r[c] === undefined || typeof r[c] === 'number'));
  const cell = (s: string, i: number): string => {
    const t = truncate(s, widths[i]!);
    return numeric[i] ? padStart(t, widths[i]!) : padEnd(t, widths[i]!);
  };
  const gap = ' '.repeat(padding);
  return (
    <Box flexDirection="column">
      {noHeader ? null : (
        <Text bold wrap="truncate">
          {cols.map((c, i) => cell(c, i)).join(gap).trimEnd()}
        </Text>
      )}
      {data.map((row, r) => (
        <Text key={r} wrap="truncate">
          {cols.map((c, i) => {
            const color = cellColor?.(c, row[c] ?? null, row);
            const s = cell(text[r]![i]!, i) + (i < cols.length - 1 ? gap : '');
            return color ? (
              <Text key={c} color={color}>
                {s}
              </Text>
            ) : (
              s
            );
          })}
        </Text>
      ))}
    </Box>
  );
}
