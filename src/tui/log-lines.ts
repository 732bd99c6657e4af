/**
 * The output log as display lines: each executed command is echoed (`> line`) and its result is
 * rendered as compact text, indented two columns; text is hard-wrapped to the log width and table
 * rows are cut with …, with one hint line after the result saying that Ctrl+T shows its tables
 * full width (table-view.ts). Blocks that
 * have a pane stay short here: a gates block is one summary line (the table is in the gates pane)
 * and a series block is one line (the chart is in the equity pane).
 */
import type { Block, CommandResult, GatesBlock, Tone } from '../core/result.js';
import { renderBlock } from '../shell/render-text.js';
import { truncate, wrapText } from './text-fit.js';
import { displayWidth } from '../shell/format.js';
import { messageOf } from '../core/errors.js';

export type LogEntry =
  | { readonly kind: 'command'; readonly line: string }
  | { readonly kind: 'result'; readonly result: CommandResult; readonly durationMs: number }
  | { readonly kind: 'message'; readonly text: string; readonly tone?: Tone };

export type LineColor = 'cyan' | 'green' | 'yellow' | 'red' | 'gray';

export interface LogLine {
  readonly text: string;
  readonly color?: LineColor;
  readonly bold?: boolean;
}

export const toneColor = (tone: Tone | undefined): LineColor | undefined =>
  tone === 'good' ? 'green' : tone === 'warn' ? 'yellow' : tone === 'bad' ? 'red' : tone === 'info' ? 'cyan' : undefined;

/** One line for a gates block: how many pass, and which fail. */
export function gatesSummary(b: GatesBlock): string {
  const failing = b.gates.filter((g) => !g.pass).map((g) => g.name);
  const head = `${b.title}: ${b.gates.length - failing.length}/${b.gates.length} gates pass`;
  return failing.length ? `${head} (failing: ${failing.join(', ')})` : head;
}

function blockText(b: Block, width: number): string {
  // A malformed block must not take the log (and the prompt under it) down with it.
  try {
    if (b.kind === 'gates') return gatesSummary(b);
    return renderBlock(b, { width, charts: false });
  } catch (err) {
    return `(a ${String((b as { kind?: unknown }).kind)} block could not be drawn: ${messageOf(err)})`;
  }
}

function blockColor(b: Block, result: CommandResult): LineColor | undefined {
  if (result.status === 'error') return 'red';
  if (result.status === 'cancelled') return 'yellow';
  if (b.kind === 'text') return toneColor(b.tone);
  if (b.kind === 'gates') return b.gates.every((g) => g.pass) ? 'green' : 'yellow';
  return undefined;
}

const seconds = (ms: number): string => (ms >= 60_000 ? `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s` : `${(ms / 1000).toFixed(1)} s`);

/** The line after a result whose tables the log cut. */
export const cutHint = (tables: number): string => `▸ ${tables === 1 ? '1 table' : `${tables} tables`} cut to fit · Ctrl+T views full width`;

/** Display lines of one entry at a given log width (inner width, borders excluded). */
export function entryLines(entry: LogEntry, width: number): LogLine[] {
  switch (entry.kind) {
    case 'command':
      return wrapText(`> ${entry.line}`, width).map((text) => ({ text, color: 'cyan', bold: true }));
    case 'message': {
      const color = toneColor(entry.tone) ?? 'gray';
      return wrapText(entry.text, width - 2).map((text) => ({ text: `  ${text}`, color }));
    }
    case 'result': {
      const out: LogLine[] = [];
      let cut = 0;
      for (const b of entry.result.blocks) {
        const color = blockColor(b, entry.result);
        // Table rows are cut (a wrapped row breaks every column under it); other text wraps.
        const text = blockText(b, width - 2);
        const raw = text.split('\n');
        if (b.kind === 'table' && raw.some((l) => displayWidth(l) > width - 2)) cut++;
        const lines = b.kind === 'table' ? raw.map((l) => truncate(l, width - 2)) : wrapText(text, width - 2);
        for (const line of lines) out.push(color ? { text: `  ${line}`, color } : { text: `  ${line}` });
      }
      if (cut > 0) out.push({ text: `  ${truncate(cutHint(cut), width - 2)}`, color: 'cyan' });
      if (entry.durationMs >= 1000) out.push({ text: `  (took ${seconds(entry.durationMs)})`, color: 'gray' });
      return out;
    }
  }
}

/** All display lines of the log, oldest first. */
export const logLines = (entries: readonly LogEntry[], width: number): LogLine[] => entries.flatMap((e) => entryLines(e, width));

/**
 * The window of `height` lines to show, `scroll` lines up from the bottom (0 = follow the end).
 * Returns the lines and the clamped scroll.
 */
export function logWindow(lines: readonly LogLine[], height: number, scroll: number): { lines: LogLine[]; scroll: number } {
  const maxScroll = Math.max(0, lines.length - height);
  const s = Math.max(0, Math.min(scroll, maxScroll));
  const end = lines.length - s;
  return { lines: lines.slice(Math.max(0, end - height), end), scroll: s };
}
