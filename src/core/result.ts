/**
 * CommandResult: the plain-data answer of every command.
 *
 * A result is a title plus typed blocks discriminated by `kind`. The TUI maps each kind to a
 * pane; the headless renderer maps it to text or JSON; the transcript stores its digest.
 * Blocks hold only JSON-serialisable values (numbers, strings, booleans, null, arrays, objects):
 * never typed arrays, Dates or class instances, so canonical JSON and digests are stable.
 */

/** A table cell. `null` renders as an empty cell; non-finite numbers render as `NaN`/`∞`. */
export type Cell = string | number | boolean | null;

export type Tone = 'good' | 'warn' | 'bad' | 'info';

export interface TextBlock {
  readonly kind: 'text';
  readonly text: string;
  readonly tone?: Tone;
}

export interface TableBlock {
  readonly kind: 'table';
  readonly title?: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
  /** Total rows before truncation for display, when `rows` is a head of a longer table. */
  readonly totalRows?: number;
}

export interface Metric {
  readonly name: string;
  readonly value: number | string | null;
  /** How to print a number: '%' multiplies by 100; 'x' adds ×; 'bps'; otherwise plain. */
  readonly unit?: '%' | 'x' | 'bps' | 'ms' | 'count' | string;
  readonly digits?: number;
}

export interface MetricsBlock {
  readonly kind: 'metrics';
  readonly title?: string;
  readonly items: readonly Metric[];
}

export interface Gate {
  readonly name: string;
  readonly value: number | string | null;
  /** Human-readable threshold, e.g. '≥ 0.95' or '≤ 3 gaps'. */
  readonly threshold: string;
  readonly pass: boolean;
  readonly reason?: string;
}

export interface GatesBlock {
  readonly kind: 'gates';
  readonly title: string;
  readonly gates: readonly Gate[];
}

export interface SeriesLine {
  readonly name: string;
  readonly values: readonly (number | null)[];
}

export interface SeriesBlock {
  readonly kind: 'series';
  readonly title: string;
  /** x axis, epoch milliseconds UTC (or plain indices when `xKind` is 'index'). */
  readonly x: readonly number[];
  readonly xKind?: 'time' | 'index';
  readonly series: readonly SeriesLine[];
  /** Which pane shows it: 'equity' (default) or 'drawdown', 'regime', etc. */
  readonly pane?: string;
}

export interface StatusField {
  readonly name: string;
  readonly value: string;
  readonly tone?: Tone;
}

export interface StatusBlock {
  readonly kind: 'status';
  readonly title: string;
  readonly fields: readonly StatusField[];
}

export type Block = TextBlock | TableBlock | MetricsBlock | GatesBlock | SeriesBlock | StatusBlock;

export type ResultStatus = 'ok' | 'error' | 'cancelled';

export interface CommandResult {
  readonly title: string;
  readonly status: ResultStatus;
  readonly blocks: readonly Block[];
  /** One line for logs and transcripts; defaults to the first text block or the title. */
  readonly summary?: string;
}

export const text = (value: string, tone?: Tone): TextBlock =>
  tone ? { kind: 'text', text: value, tone } : { kind: 'text', text: value };

export const table = (
  columns: readonly string[],
  rows: readonly (readonly Cell[])[],
  title?: string,
  totalRows?: number,
): TableBlock => ({
  kind: 'table',
  columns,
  rows,
  ...(title !== undefined ? { title } : {}),
  ...(totalRows !== undefined ? { totalRows } : {}),
});

export const metrics = (items: readonly Metric[], title?: string): MetricsBlock => ({
  kind: 'metrics',
  items,
  ...(title !== undefined ? { title } : {}),
});

export const gates = (title: string, list: readonly Gate[]): GatesBlock => ({ kind: 'gates', title, gates: list });

export const status = (title: string, fields: readonly StatusField[]): StatusBlock => ({ kind: 'status', title, fields });

export function ok(title: string, blocks: readonly Block[], summary?: string): CommandResult {
  return summary === undefined ? { title, status: 'ok', blocks } : { title, status: 'ok', blocks, summary };
}

export function failed(title: string, message: string): CommandResult {
  return { title, status: 'error', blocks: [text(message, 'bad')], summary: message };
}

export function summaryOf(result: CommandResult): string {
  if (result.summary !== undefined) return result.summary;
  const first = result.blocks.find((b): b is TextBlock => b.kind === 'text');
  return first ? first.text.split('\n')[0]! : result.title;
}
