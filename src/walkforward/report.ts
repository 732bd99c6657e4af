/**
 * What `walkforward` shows: the stitched out-of-sample curve first (the headline), its metrics, the
 * per-fold table (in-sample vs out-of-sample score, chosen parameters), the stability of each
 * parameter across folds, and the overfitting controls.
 */
import { metrics, table, type Block, type Cell } from '../core/result.js';
import { shortUtc } from '../core/time.js';
import { overfitBlocks } from '../overfit/index.js';
import type { FoldResult, ParamPoint, WalkForwardResult } from './run.js';

const round = (v: number, digits = 4): number | null => (Number.isFinite(v) ? Number(v.toFixed(digits)) : null);
const day = (t: number): string => shortUtc(t, true).slice(0, 10);

export const paramsText = (p: ParamPoint): string => Object.entries(p).map(([k, v]) => `${k}=${v}`).join(' ');

/** One line per finished fold (the live pane: logged as each fold finishes). */
export function foldLine(f: FoldResult, total: number): string {
  const t = f.fold;
  return `fold ${t.index + 1}/${total}  train ${day(t.train.start)}..${day(t.train.end)}  test ${day(t.test.start)}..${day(t.test.end)}  ${paramsText(f.chosen)}  IS ${round(f.inSampleScore, 3)}  OOS ${round(f.outOfSampleScore, 3)}`;
}

export function foldTable(folds: readonly FoldResult[]): Block {
  const hasValidation = folds.some((f) => f.validationScore !== undefined);
  const columns = ['fold', 'train', 'test', 'chosen', 'IS score', ...(hasValidation ? ['val score'] : []), 'OOS score', 'OOS trades', 'IS PBO', 'IS DSR'];
  const rows: Cell[][] = folds.map((f) => [
    f.fold.index + 1,
    `${day(f.fold.train.start)}..${day(f.fold.train.end)}`,
    `${day(f.fold.test.start)}..${day(f.fold.test.end)}`,
    paramsText(f.chosen),
    round(f.inSampleScore),
    ...(hasValidation ? [f.validationScore === undefined ? null : round(f.validationScore)] : []),
    round(f.outOfSampleScore),
    f.outOfSampleTrades,
    f.inSample.pbo ? round(f.inSample.pbo.pbo, 3) : null,
    round(f.inSample.deflated.dsr, 3),
  ]);
  return table(columns, rows, 'folds: chosen in sample, judged out of sample');
}

export interface ParamStability {
  readonly name: string;
  readonly values: readonly (number | string | boolean)[];
  readonly mean: number;
  readonly sd: number;
  /** Share of folds that chose the most common value. */
  readonly modalShare: number;
}

/** How much each parameter's choice moved across folds. */
export function paramStability(folds: readonly FoldResult[]): ParamStability[] {
  const names = [...new Set(folds.flatMap((f) => Object.keys(f.chosen)))].sort();
  return names.map((name) => {
    const values = folds.map((f) => f.chosen[name]!);
    const nums = values.filter((v): v is number => typeof v === 'number');
    const mean = nums.length ? nums.reduce((a, b) => a + b, 0) / nums.length : NaN;
    const sd = nums.length > 1 ? Math.sqrt(nums.reduce((a, b) => a + (b - mean) ** 2, 0) / (nums.length - 1)) : NaN;
    const counts = new Map<string, number>();
    for (const v of values) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
    const modalShare = values.length ? Math.max(...counts.values()) / values.length : NaN;
    return { name, values, mean, sd, modalShare };
  });
}

export function stabilityTable(folds: readonly FoldResult[]): Block {
  const rows = paramStability(folds).map((s) => [s.name, s.values.join(' '), round(s.mean, 3), round(s.sd, 3), round(s.mean !== 0 ? s.sd / Math.abs(s.mean) : NaN, 3), round(s.modalShare, 3)]);
  return table(['parameter', 'chosen per fold', 'mean', 'sd', 'sd / |mean|', 'modal share'], rows, 'parameter stability across folds');
}

export function walkForwardBlocks(wf: WalkForwardResult, label: string): Block[] {
  const headline: Block = {
    kind: 'series',
    title: `walk-forward ${label}: stitched out-of-sample equity`,
    x: Array.from(wf.ts),
    series: [{ name: 'OOS equity', values: Array.from(wf.equity, (v) => round(v, 2)) }],
    pane: 'equity',
  };
  const summary = metrics(
    [
      { name: 'folds', value: wf.folds.length, unit: 'count' },
      { name: 'OOS Sharpe', value: round(wf.sharpe, 3), digits: 3 },
      { name: 'OOS total return', value: round(wf.totalReturn, 6), unit: '%', digits: 2 },
      { name: 'OOS max drawdown', value: round(wf.maxDrawdown, 6), unit: '%', digits: 2 },
      { name: 'OOS trades', value: wf.trades, unit: 'count' },
      { name: 'mean IS score', value: round(mean(wf.folds.map((f) => f.inSampleScore))), digits: 4 },
      { name: 'mean OOS score', value: round(mean(wf.folds.map((f) => f.outOfSampleScore))), digits: 4 },
    ],
    'stitched out-of-sample',
  );
  return [headline, summary, foldTable(wf.folds), stabilityTable(wf.folds), ...overfitBlocks(wf.overfit, 'overfitting controls (stitched OOS; DSR over every fold × point trial)')];
}

function mean(xs: readonly number[]): number {
  const f = xs.filter(Number.isFinite);
  return f.length ? f.reduce((a, b) => a + b, 0) / f.length : NaN;
}
