/**
 * The text of the live leaderboard pane (pure, so tests check it without a terminal): a summary
 * line (trials done / total, read back, trials/s, ETA, phase), for a walk-forward the finished
 * folds (test window, chosen parameters, IS and OOS score), and the top trials (parameters,
 * objective, Sharpe, max drawdown, trades). Everything fits `width` columns and `height` rows:
 * columns are dropped from the right (trades, then max DD, then Sharpe) before anything is cut,
 * and a walk-forward shows its latest folds when not all of them fit.
 */
import type { BoardFold, BoardTrial, BoardValue, LiveBoard } from '../shell/live-board.js';
import { displayWidth, padEnd, padStart } from '../shell/format.js';
import { truncate } from './text-fit.js';

export interface BoardClock {
  /** Wall-clock seconds since the job started (or that it took, once it ended). */
  readonly elapsedSeconds: number;
  /** The job's progress fraction 0..1, when known (the ETA is read from it). */
  readonly fraction?: number;
  /** Set once the job has ended: 'ok', 'cancelled', 'error'. */
  readonly ended?: string;
}

export interface BoardLine {
  readonly text: string;
  /** Header rows are drawn dim, the best trial bold. */
  readonly style?: 'header' | 'best' | 'note';
}

const value = (v: BoardValue): string => (v === null ? '–' : typeof v === 'number' ? String(Number(v.toFixed(6))) : String(v));
const num = (v: number | null, digits: number): string => (v === null ? '–' : v.toFixed(digits));

/** '7 s', '3 m 05 s', '1 h 02 m'. */
export function durationText(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} m ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} m`;
}

/** The summary's parts, most telling first: the end or the ETA, trials, folds, read back, rate, phase. */
export function summaryParts(board: LiveBoard, clock: BoardClock): string[] {
  const parts: string[] = [];
  const f = clock.fraction;
  if (clock.ended !== undefined) parts.push(`${clock.ended === 'ok' ? 'finished' : clock.ended} after ${durationText(clock.elapsedSeconds)}`);
  else if (f !== undefined && f > 0 && f < 1 && clock.elapsedSeconds >= 1) parts.push(`ETA ${durationText((clock.elapsedSeconds * (1 - f)) / f)}`);
  if (board.kind === 'walkforward' && board.foldsTotal !== undefined) parts.push(`${board.folds?.length ?? 0}/${board.foldsTotal} folds`);
  parts.push(`${board.done}/${board.total} trials`);
  if (board.cached > 0) parts.push(`${board.cached} read back`);
  if (board.infeasible) parts.push(`${board.infeasible} infeasible`);
  if (clock.elapsedSeconds >= 0.5 && board.evaluated > 0) parts.push(`${(board.evaluated / clock.elapsedSeconds).toFixed(1)} trials/s`);
  if (clock.ended === undefined && board.phase) parts.push(board.phase);
  return parts;
}

/** The summary line: 'ETA 7 s · 312/400 trials · 37 read back · 12.4 trials/s · grid'. */
export const summaryText = (board: LiveBoard, clock: BoardClock): string => summaryParts(board, clock).join(' · ');

/** Pack parts into at most `max` lines of `width` (joined by ' · '); the last line is cut if need be. */
function packParts(parts: readonly string[], width: number, max: number): string[] {
  const lines: string[] = [];
  for (const p of parts) {
    const last = lines[lines.length - 1];
    if (last !== undefined && displayWidth(`${last} · ${p}`) <= width) lines[lines.length - 1] = `${last} · ${p}`;
    else if (lines.length < max) lines.push(p);
    else {
      lines[lines.length - 1] = `${last} · ${p}`;
      break;
    }
  }
  return lines.map((l) => truncate(l, width));
}

interface Column {
  readonly name: string;
  readonly cells: readonly string[];
  readonly align: 'left' | 'right';
  /** Dropped (highest first) when the table is too wide. */
  readonly drop: number;
}

/** Lay out columns two spaces apart, dropping droppable columns until the table fits `width`. */
function tableLines(columns: readonly Column[], width: number): { header: string; rows: string[] } {
  let shown = [...columns];
  const widthOf = (cols: readonly Column[]): number => cols.reduce((w, c) => w + Math.max(displayWidth(c.name), ...c.cells.map(displayWidth)), 0) + 2 * Math.max(0, cols.length - 1);
  while (widthOf(shown) > width && shown.some((c) => c.drop > 0)) {
    const worst = shown.reduce((a, c) => (c.drop > a.drop ? c : a));
    shown = shown.filter((c) => c !== worst);
  }
  const widths = shown.map((c) => Math.max(displayWidth(c.name), ...c.cells.map(displayWidth)));
  const line = (cell: (c: Column) => string): string =>
    truncate(shown.map((c, i) => (c.align === 'right' ? padStart(cell(c), widths[i]!) : padEnd(cell(c), widths[i]!))).join('  ').trimEnd(), width);
  const rowCount = columns[0]?.cells.length ?? 0;
  return { header: line((c) => c.name), rows: Array.from({ length: rowCount }, (_, r) => line((c) => c.cells[r]!)) };
}

function trialTable(board: LiveBoard, trials: readonly BoardTrial[], width: number): { header: string; rows: string[] } {
  return tableLines(
    [
      { name: '#', cells: trials.map((t) => String(t.rank)), align: 'right', drop: 0 },
      ...board.params.map((p): Column => ({ name: p, cells: trials.map((t) => value(t.params[p] ?? null)), align: 'right', drop: 0 })),
      { name: board.objective, cells: trials.map((t) => num(t.objective, 4)), align: 'right', drop: 0 },
      { name: 'Sharpe', cells: trials.map((t) => num(t.sharpe, 2)), align: 'right', drop: 1 },
      { name: 'max DD', cells: trials.map((t) => (t.maxDrawdown === null ? '–' : `${(t.maxDrawdown * 100).toFixed(1)}%`)), align: 'right', drop: 2 },
      { name: 'trades', cells: trials.map((t) => String(t.trades)), align: 'right', drop: 3 },
    ],
    width,
  );
}

function foldTable(board: LiveBoard, folds: readonly BoardFold[], width: number): { header: string; rows: string[] } {
  // The test window in full when it fits, else by month ('2021-01..2021-06').
  const full = folds.map((f) => f.test);
  const short = folds.map((f) => f.test.replace(/(\d{4}-\d{2})-\d{2}/g, '$1'));
  const chosenName = board.params.join('/');
  const chosen = folds.map((f) => board.params.map((p) => value(f.chosen[p] ?? null)).join('/'));
  const make = (windows: readonly string[]): Column[] => [
    { name: '#', cells: folds.map((f) => String(f.fold)), align: 'right', drop: 0 },
    { name: 'test window', cells: windows, align: 'left', drop: 0 },
    { name: chosenName, cells: chosen, align: 'right', drop: 0 },
    { name: 'IS', cells: folds.map((f) => num(f.inSample, 3)), align: 'right', drop: 0 },
    { name: 'OOS', cells: folds.map((f) => num(f.outOfSample, 3)), align: 'right', drop: 0 },
  ];
  const wide = tableLines(make(full), width);
  return displayWidth(wide.header) + 2 <= width || folds.length === 0 ? wide : tableLines(make(short), width);
}

/** Every line of the pane's inside, at most `height` of them, none wider than `width`. */
export function leaderboardLines(board: LiveBoard, clock: BoardClock, width: number, height: number): BoardLine[] {
  if (height <= 0 || width <= 0) return [];
  // The summary takes a second line in a narrow pane that has rows to spare.
  const out: BoardLine[] = packParts(summaryParts(board, clock), width, height >= 8 ? 2 : 1).map((text) => ({ text }));
  let room = height - out.length;
  const folds = board.folds ?? [];
  if (board.kind === 'walkforward' && room >= 2) {
    // Folds (the latest that fit; the summary counts them all) take up to half the room left, trials the rest.
    const foldRows = Math.min(folds.length, Math.max(1, Math.floor(room / 2) - 1));
    const shown = folds.slice(folds.length - foldRows);
    const t = foldTable(board, shown, width);
    if (folds.length === 0) out.push({ text: truncate('folds: none finished yet', width), style: 'note' });
    else {
      out.push({ text: t.header, style: 'header' });
      for (const r of t.rows) out.push({ text: r });
    }
    room = height - out.length;
    if (room >= 2) out.push({ text: truncate(`in-sample top of the fold in hand (${board.objective})`, width), style: 'note' });
    room = height - out.length;
  }
  if (room >= 2) {
    if (board.top.length === 0) out.push({ text: truncate('no scored trial yet', width), style: 'note' });
    else {
      const t = trialTable(board, board.top.slice(0, room - 1), width);
      out.push({ text: t.header, style: 'header' });
      t.rows.forEach((r, i) => out.push({ text: r, ...(i === 0 ? { style: 'best' as const } : {}) }));
    }
  }
  return out.slice(0, height);
}
