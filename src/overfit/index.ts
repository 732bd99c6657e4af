/**
 * Overfitting controls reported with every optimisation and walk-forward: the deflated Sharpe
 * ratio (deflated-sharpe.ts) and the probability of backtest overfitting by CSCV (pbo.ts).
 * docs/walkforward.md, "Overfitting controls".
 */
import { metrics, text, type Block, type Metric } from '../core/result.js';
import { deflatedSharpe, perBarSharpe, type DeflatedSharpe } from './deflated-sharpe.js';
import { pboCscv, type PboResult } from './pbo.js';

export * from './deflated-sharpe.js';
export * from './pbo.js';

export interface OverfitInput {
  /** Per-bar returns of the selected trial (the one reported). */
  readonly selected: Float64Array;
  /** Per-bar returns of every trial of the search, over the same bars (the selected one included). */
  readonly trials: readonly Float64Array[];
  /** CSCV blocks. @default 16, fewer when there are too few bars */
  readonly slices?: number;
  readonly signal?: AbortSignal;
}

export interface OverfitReport {
  readonly deflated: DeflatedSharpe;
  /** Undefined when there are fewer than 2 trials or too few bars (`pboReason` says which). */
  readonly pbo?: PboResult;
  readonly pboReason?: string;
}

/** The largest even slice count ≤ `wanted` that leaves at least 2 bars per block (≥ 2), or 0. */
export function slicesFor(bars: number, wanted = 16): number {
  let s = wanted - (wanted % 2);
  while (s >= 2 && Math.floor(bars / s) < 2) s -= 2;
  return s >= 2 ? s : 0;
}

/** DSR of the selected trial over all trials, and PBO by CSCV over the trials' return matrix. */
export function overfitReport(input: OverfitInput): OverfitReport {
  const deflated = deflatedSharpe(input.selected, input.trials.map(perBarSharpe));
  if (input.trials.length < 2) return { deflated, pboReason: 'one trial: nothing was selected' };
  const length = input.trials[0]!.length;
  const slices = slicesFor(length, input.slices ?? 16);
  if (slices === 0) return { deflated, pboReason: `too few bars (${length}) for CSCV` };
  const signal = input.signal;
  return { deflated, pbo: pboCscv(input.trials, { slices, ...(signal ? { signal } : {}) }) };
}

/** The metrics block every optimisation and walk-forward shows. */
export function overfitBlocks(r: OverfitReport, title = 'overfitting controls'): Block[] {
  const d = r.deflated;
  const items: Metric[] = [
    { name: 'deflated Sharpe (DSR)', value: finite(d.dsr), digits: 3 },
    { name: 'Sharpe per bar', value: finite(d.sharpe), digits: 4 },
    { name: 'expected max Sharpe SR0 per bar', value: finite(d.expectedMax), digits: 4 },
    { name: 'trials N', value: d.trials, unit: 'count' },
    { name: 'variance of trial Sharpes', value: finite(d.sharpeVariance), digits: 6 },
  ];
  if (r.pbo) {
    items.push({ name: 'PBO (CSCV)', value: finite(r.pbo.pbo), digits: 3 });
    items.push({ name: 'P(OOS loss) of the IS best', value: finite(r.pbo.probOosLoss), digits: 3 });
    items.push({ name: 'CSCV splits', value: r.pbo.splits.length, unit: 'count' });
  }
  const blocks: Block[] = [metrics(items, title)];
  if (r.pboReason) blocks.push(text(`PBO not computed: ${r.pboReason}`, 'info'));
  return blocks;
}

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);
