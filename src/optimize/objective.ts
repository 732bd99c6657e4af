/**
 * The objective a search maximises (docs/optimize.md, "Objective"): the Balanced Performance Score
 * by default (src/backtest/metrics/bps.ts, seed formula 0.40·Sharpe + 0.30·CAGR + 0.20·WinRate −
 * 0.10·MaxDrawdown), or any stored metric. Metrics where less is better (max drawdown, volatility,
 * turnover) are negated, so the score is always "higher is better"; a trial without a value (no
 * closed trades for a win rate, an infeasible point) has no score and ranks last.
 */
import { UserError } from '../core/errors.js';
import { suggest } from '../core/suggest.js';
import { PERFORMANCE_METRICS } from '../backtest/metrics/index.js';

export const DEFAULT_OBJECTIVE = 'bps';

/** Metrics a search minimises. */
const LOWER_IS_BETTER: ReadonlySet<string> = new Set(['max_drawdown', 'volatility', 'turnover']);

export const objectiveNames = (): string[] => PERFORMANCE_METRICS.map((m) => m.key);

export function checkObjective(name: string, where = '--objective'): string {
  if (objectiveNames().includes(name)) return name;
  const hint = suggest(name, objectiveNames());
  throw new UserError(`unknown metric '${name}'${hint ? `; did you mean '${hint}'?` : ''} (metrics: ${objectiveNames().join(', ')})`, where);
}

/** The score of a trial's metrics under an objective: higher is better; null when there is no value. */
export function scoreOf(metrics: Readonly<Record<string, number | null>>, objective: string): number | null {
  const v = metrics[objective];
  if (v === null || v === undefined || !Number.isFinite(v)) return null;
  return LOWER_IS_BETTER.has(objective) ? -v : v;
}

/** Order for ranking: best first, unscored last, ties by the order they were proposed. */
export function compareScores(a: number | null, b: number | null): number {
  if (a === null) return b === null ? 0 : 1;
  if (b === null) return -1;
  return b - a;
}
