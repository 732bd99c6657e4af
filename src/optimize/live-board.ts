/**
 * Builds the live leaderboard (src/shell/live-board.ts) a search reports with its progress, from the
 * trials the runner says have finished (`TrialProgress.finished`) and, for walk-forward, the folds
 * as they end. It keeps only the best BOARD_TOP trials (ranked as the final leaderboard ranks them:
 * compareScores, ties in arrival order), so a sweep of any size costs a bounded board per report.
 * No clock: rates and ETA are the shell's business.
 */
import { BOARD_TOP, type BoardFold, type BoardTrial, type BoardValue, type LiveBoard } from '../shell/live-board.js';
import type { Point } from './dimensions.js';
import { shortName } from './leaderboard.js';
import { compareScores } from './objective.js';

/** The part of a trial result the board reads (runner.ts's TrialResult satisfies it). */
export interface BoardInput {
  readonly key: string;
  readonly point: Point;
  readonly score: number | null;
  readonly metrics: Readonly<Record<string, number | null>>;
  readonly trades: number;
  readonly cached: boolean;
  readonly infeasible?: string;
}

export interface LiveBoardOptions {
  readonly kind: LiveBoard['kind'];
  readonly title: string;
  readonly objective: string;
  /** Parameter paths or names, in column order (shown by their short names). */
  readonly params: readonly string[];
  /** Trials kept. @default BOARD_TOP */
  readonly limit?: number;
}

const valueOf = (v: unknown): BoardValue => (v === undefined ? null : typeof v === 'object' && v !== null ? JSON.stringify(v) : (v as BoardValue));
const finiteOrNull = (v: number | null | undefined): number | null => (v === null || v === undefined || !Number.isFinite(v) ? null : v);

/** A point's values by short name ('backtest.models.sma_cross.parameters.fast' → 'fast'). */
export function shortParams(point: Readonly<Record<string, unknown>>): Record<string, BoardValue> {
  return Object.fromEntries(Object.entries(point).map(([k, v]) => [shortName(k), valueOf(v)]));
}

export class LiveBoardTracker {
  private top: { input: BoardInput; arrival: number }[] = [];
  private readonly seen = new Set<string>();
  private arrivals = 0;
  private evaluated = 0;
  private readonly folds: BoardFold[] = [];
  private readonly limit: number;

  constructor(private readonly options: LiveBoardOptions) {
    this.limit = options.limit ?? BOARD_TOP;
  }

  /**
   * Take in finished trials: each counts once (by trial key); infeasible points are left out of the
   * ranking. `rank: false` only counts them (a walk-forward's out-of-sample runs).
   */
  add(finished: readonly BoardInput[], { rank = true }: { readonly rank?: boolean } = {}): void {
    for (const t of finished) {
      const id = t.key || JSON.stringify(t.point);
      if (this.seen.has(id)) continue;
      this.seen.add(id);
      this.evaluated++;
      if (t.infeasible || !rank) continue;
      this.top.push({ input: t, arrival: this.arrivals++ });
    }
    this.top.sort((a, b) => compareScores(a.input.score, b.input.score) || a.arrival - b.arrival);
    if (this.top.length > this.limit) this.top.length = this.limit;
  }

  /** Start a new top list (a walk-forward fold's own sweep); the evaluated count goes on. */
  clearTop(): void {
    this.top = [];
    this.seen.clear();
  }

  addFold(fold: BoardFold): void {
    this.folds.push(fold);
  }

  board(now: { readonly done: number; readonly total: number; readonly cached: number; readonly infeasible?: number; readonly phase?: string; readonly foldsTotal?: number }): LiveBoard {
    const top: BoardTrial[] = this.top.map(({ input }, i) => ({
      rank: i + 1,
      params: shortParams(input.point),
      objective: finiteOrNull(input.metrics[this.options.objective]),
      sharpe: finiteOrNull(input.metrics['sharpe']),
      maxDrawdown: finiteOrNull(input.metrics['max_drawdown']),
      trades: input.trades,
      cached: input.cached,
    }));
    return {
      kind: this.options.kind,
      title: this.options.title,
      objective: this.options.objective,
      done: now.done,
      total: now.total,
      cached: now.cached,
      evaluated: this.evaluated,
      params: this.options.params.map(shortName),
      top,
      ...(this.options.kind === 'walkforward' ? { folds: [...this.folds] } : {}),
      ...(now.infeasible ? { infeasible: now.infeasible } : {}),
      ...(now.foldsTotal !== undefined ? { foldsTotal: now.foldsTotal } : {}),
      ...(now.phase !== undefined ? { phase: now.phase } : {}),
    };
  }
}
