/**
 * The leaderboard (best trials first) as a result table, shared by `optimize`, `trials` and the
 * live progress line. Columns: rank, each dimension's short name, the score, the headline metrics,
 * closed trades and the phase that proposed the point.
 */
import type { Block, Cell } from '../core/result.js';
import { table } from '../core/result.js';
import type { Point } from './dimensions.js';
import { compareScores } from './objective.js';

export interface BoardRow {
  readonly point: Point;
  readonly score: number | null;
  readonly metrics: Readonly<Record<string, number | null>>;
  readonly trades: number;
  readonly phase: string;
  readonly infeasible?: string;
}

/** 'backtest.models.sma_cross.parameters.fast' → 'fast'. */
export const shortName = (path: string): string => path.split('.').pop()!;

const round = (v: number | null | undefined, digits: number): Cell => (v === null || v === undefined ? null : Number(v.toFixed(digits)));

/** One line naming a point: 'fast=10 slow=50'. */
export function pointText(point: Point): string {
  return Object.entries(point)
    .map(([k, v]) => `${shortName(k)}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' ');
}

/** Best first (stable: ties keep evaluation order); infeasible points left out. */
export function rankRows<T extends BoardRow>(rows: readonly T[]): T[] {
  return rows.filter((r) => !r.infeasible).map((r, i) => ({ r, i })).sort((a, b) => compareScores(a.r.score, b.r.score) || a.i - b.i).map((x) => x.r);
}

export function leaderboardBlock(rows: readonly BoardRow[], paths: readonly string[], objective: string, limit: number, title = 'leaderboard'): Block {
  const ranked = rankRows(rows);
  const shown = ranked.slice(0, limit);
  const columns = ['rank', ...paths.map(shortName), objective, 'sharpe', 'cagr %', 'max dd %', 'trades', 'phase'];
  const body = shown.map((r, i) => [
    i + 1,
    ...paths.map((p) => {
      const v = r.point[p];
      return v === undefined ? null : typeof v === 'object' && v !== null ? JSON.stringify(v) : (v as Cell);
    }),
    round(r.metrics[objective], 4),
    round(r.metrics['sharpe'], 3),
    round(r.metrics['cagr'] === null || r.metrics['cagr'] === undefined ? null : r.metrics['cagr']! * 100, 2),
    round(r.metrics['max_drawdown'] === null || r.metrics['max_drawdown'] === undefined ? null : r.metrics['max_drawdown']! * 100, 2),
    r.trades,
    r.phase,
  ]);
  return table(columns, body, title, ranked.length > shown.length ? ranked.length : undefined);
}
