/**
 * The risk pane: the latest status blocks (risk mode, regime, loop state), one flowing line per
 * block. A risk-mode value is a coloured badge: NORMAL green, REDUCED yellow, HALT red (TUI.md).
 */
import React from 'react';
import { Box, Text } from 'ink';
import { Badge } from '@inkjs/ui';
import type { StatusBlock, StatusField } from '../core/result.js';
import { Pane } from './Pane.js';
import { toneColor } from './log-lines.js';
import { displayWidth } from '../shell/format.js';

export interface RiskPaneProps {
  readonly status: readonly StatusBlock[];
  /** Outer size, borders included. */
  readonly width: number;
  readonly height: number;
  /** The tab strip, when this pane takes turns with the others (it becomes the title). */
  readonly tabs?: string;
}

export const RISK_MODE_COLORS: Readonly<Record<string, string>> = { NORMAL: 'green', REDUCED: 'yellow', HALT: 'red' };

/** A risk-mode field: named `mode` (a regime's `vol NORMAL` is not a risk mode). */
export const isRiskMode = (f: StatusField): boolean => f.name === 'mode' && f.value in RISK_MODE_COLORS;

/** A unit of a status line: `name value`, measured for flowing into lines. */
interface Piece {
  readonly field: StatusField;
  readonly width: number;
}

/** Flow a block's fields into lines of `width` columns (title first), at most `maxLines`. */
export function flowFields(block: StatusBlock, width: number, maxLines: number): StatusField[][] {
  const pieces: Piece[] = block.fields.map((field) => ({ field, width: displayWidth(`${field.name} `) + displayWidth(field.value) + (isRiskMode(field) ? 2 : 0) }));
  const lines: StatusField[][] = [];
  let cur: StatusField[] = [];
  let used = displayWidth(`${block.title} `);
  for (const p of pieces) {
    const need = (cur.length ? 3 : 0) + p.width;
    if (cur.length && used + need > width) {
      lines.push(cur);
      cur = [];
      used = 2;
    }
    cur.push(p.field);
    used += (cur.length > 1 ? 3 : 0) + p.width;
  }
  if (cur.length) lines.push(cur);
  return lines.slice(0, Math.max(1, maxLines));
}

function FieldView({ field }: { readonly field: StatusField }): React.JSX.Element {
  const mode = isRiskMode(field) ? RISK_MODE_COLORS[field.value] : undefined;
  return (
    <Text>
      <Text color="gray">{field.name} </Text>
      {mode ? <Badge color={mode}>{field.value}</Badge> : <Text color={toneColor(field.tone)}>{field.value}</Text>}
    </Text>
  );
}

export function RiskPane({ status, width, height, tabs }: RiskPaneProps): React.JSX.Element | null {
  const inner = { width: width - 2, height: height - 2 };
  const modeField = status.flatMap((b) => b.fields).find(isRiskMode);
  const border = modeField ? RISK_MODE_COLORS[modeField.value] : 'gray';
  if (status.length === 0) {
    return (
      <Pane title={tabs ?? 'risk'} {...(tabs ? { note: 'risk' } : {})} width={width} height={height}>
        <Text color="gray" wrap="truncate">
          no risk or regime status yet
        </Text>
      </Pane>
    );
  }
  // Newest blocks win when there is not room for all of them; each gets at least one line.
  const shown = status.slice(-Math.max(1, inner.height));
  const perBlock = Math.max(1, Math.floor(inner.height / shown.length));
  return (
    <Pane title={tabs ?? 'risk'} {...(tabs ? { note: 'risk' } : {})} width={width} height={height} borderColor={border}>
      <Box flexDirection="column">
        {shown.flatMap((b) =>
          flowFields(b, inner.width, perBlock).map((line, i) => (
            <Text key={`${b.title}-${i}`} wrap="truncate">
              {i === 0 ? <Text bold>{b.title} </Text> : '  '}
              {line.map((f, j) => (
                <Text key={`${f.name}-${j}`}>
                  {j > 0 ? <Text color="gray"> · </Text> : null}
                  <FieldView field={f} />
                </Text>
              ))}
            </Text>
          )),
        )}
      </Box>
    </Pane>
  );
}
