/**
 * The live leaderboard a long search reports with its progress (docs/shell.md, "Live leaderboard"):
 * `optimize` and `walkforward` put one on `Progress.board`, the TUI draws it in the leaderboard pane
 * while the job runs, and every other adapter (headless runs, background jobs) ignores it.
 *
 * Each report carries the whole board, not a change to it: the job worker forwards only the latest
 * progress every 50 ms (src/shell/jobs/worker.ts), so a step may be dropped without losing anything.
 * Plain data only (it crosses threads by structured clone); the top list is bounded (BOARD_TOP).
 */

/** Parameter values as the board shows them. */
export type BoardValue = string | number | boolean | null;

/** One trial of the top list, best first. */
export interface BoardTrial {
  readonly rank: number;
  /** Short parameter name → value ('fast' → 10). */
  readonly params: Readonly<Record<string, BoardValue>>;
  /** The objective metric as reported (not sign-flipped for minimised metrics); null when undefined. */
  readonly objective: number | null;
  readonly sharpe: number | null;
  /** Largest drawdown as a fraction (0.142 = 14.2 %). */
  readonly maxDrawdown: number | null;
  readonly trades: number;
  /** Read back from the results database rather than computed. */
  readonly cached: boolean;
}

/** One walk-forward fold, as it finishes. */
export interface BoardFold {
  /** 1-based. */
  readonly fold: number;
  /** Test window, 'YYYY-MM-DD..YYYY-MM-DD'. */
  readonly test: string;
  /** Training window, 'YYYY-MM-DD..YYYY-MM-DD'. */
  readonly train: string;
  /** The parameters chosen in sample. */
  readonly chosen: Readonly<Record<string, BoardValue>>;
  /** In-sample and out-of-sample objective; null when undefined. */
  readonly inSample: number | null;
  readonly outOfSample: number | null;
}

export interface LiveBoard {
  readonly kind: 'optimize' | 'walkforward';
  /** What runs, e.g. 'optimize demo' or 'walkforward sma_cross SPY 1d'. */
  readonly title: string;
  readonly objective: string;
  /** Trials done of the total expected (for walk-forward: of the fold in hand). */
  readonly done: number;
  readonly total: number;
  /** Of the done trials, read back from the results database. */
  readonly cached: number;
  /** Of the done points, those whose configuration does not validate (no trial ran), when known. */
  readonly infeasible?: number;
  /**
   * Trials finished in the whole job so far (every fold of a walk-forward). The pane divides it by
   * the job's wall-clock time for trials/s, and takes the ETA from `Progress.fraction`: the clock is
   * read by the shell, never by the command.
   */
  readonly evaluated: number;
  /** Parameter names, the columns of the top list, in order. */
  readonly params: readonly string[];
  /** The best trials so far, best first (at most BOARD_TOP). */
  readonly top: readonly BoardTrial[];
  /** Walk-forward: the folds finished so far, and how many there are. */
  readonly folds?: readonly BoardFold[];
  readonly foldsTotal?: number;
  /** What is being done now, e.g. 'grid', 'ea gen 3', 'fold 4/12'. */
  readonly phase?: string;
}

/** Trials a board carries at most. */
export const BOARD_TOP = 10;
