/**
 * The learning pane: a boosted-tree fit's learning curves (train vs validation loss per round,
 * one chart per model the fit trained, the kept round marked), drawn by learning-chart.ts. The
 * curves differ by glyph (─ train, ═ validation, ┊ / ▲ the kept round); colour only adds to that.
 */
import React from 'react';
import { Box, Text } from 'ink';
import type { LearningPaneState } from './learning-state.js';
import { KEPT_AXIS_GLYPH, KEPT_GLYPH, TRAIN_GLYPHS, VALID_GLYPHS, learningLines } from './learning-chart.js';
import { Pane } from './Pane.js';
import { displayWidth } from '../shell/format.js';

export interface LearningPaneProps {
  readonly state: LearningPaneState | undefined;
  /** Outer size, borders included. */
  readonly width: number;
  readonly height: number;
  /** The tab strip, when this pane takes turns with the others (it becomes the title). */
  readonly tabs?: string;
  /** A hint in the title's note (e.g. the key that brings the other panes back). */
  readonly hint?: string;
  /** Draw the curves in colour. @default true */
  readonly color?: boolean;
}

const TRAIN = new Set<string>(TRAIN_GLYPHS.slice(4));
const VALID = new Set<string>(VALID_GLYPHS.slice(4));
const KEPT = new Set<string>([KEPT_GLYPH, KEPT_AXIS_GLYPH]);

/** Runs of one colour in a plotted line: only the cells right of the y axis are coloured. */
function colouredRuns(line: string): { text: string; color?: string }[] {
  const chars = [...line];
  const axis = chars.findIndex((c) => c === '┤');
  if (axis < 0 && !line.includes(KEPT_AXIS_GLYPH)) return [{ text: line }];
  const colourOf = (c: string, i: number): string | undefined => (i <= axis && axis >= 0 ? undefined : TRAIN.has(c) && axis >= 0 ? 'cyan' : VALID.has(c) ? 'yellow' : KEPT.has(c) ? 'magenta' : undefined);
  const runs: { text: string; color?: string }[] = [];
  chars.forEach((c, i) => {
    const color = colourOf(c, i);
    const last = runs[runs.length - 1];
    if (last && last.color === color) last.text += c;
    else runs.push({ text: c, ...(color ? { color } : {}) });
  });
  return runs;
}

export function LearningPane({ state, width, height, tabs, hint, color = true }: LearningPaneProps): React.JSX.Element | null {
  const title = 'learning';
  const inner = { width: width - 2, height: height - 2 };
  if (!state || state.curves.length === 0) {
    return (
      <Pane title={tabs ?? title} {...(tabs ? { note: title } : {})} width={width} height={height}>
        <Text color="gray" wrap="truncate">
          no learning curve yet (fit --model gbdt fills this)
        </Text>
      </Pane>
    );
  }
  const lines = learningLines(state.curves, inner.width, inner.height);
  // The hint goes when the top border has no room for it (Pane drops a note that does not fit).
  const full = [...(tabs ? [title] : []), 'loss per round', ...(hint ? [hint] : [])].join(' · ');
  const note = displayWidth(` ${tabs ?? title} · ${full} `) + 2 <= width ? full : [...(tabs ? [title] : []), 'loss per round'].join(' · ');
  return (
    <Pane title={tabs ?? title} note={note} width={width} height={height}>
      <Box flexDirection="column">
        {lines.map((l, i) => (
          <Text key={i} wrap="truncate">
            {color ? colouredRuns(l).map((r, j) => (r.color ? <Text key={j} color={r.color}>{r.text}</Text> : r.text)) : l}
          </Text>
        ))}
      </Box>
    </Pane>
  );
}
