/**
 * Probability of backtest overfitting by combinatorially symmetric cross-validation (Bailey,
 * Borwein, López de Prado & Zhu 2015, "The Probability of Backtest Overfitting", J. Computational
 * Finance 20(4), §2–3).
 *
 * M is a T × N matrix: the per-bar returns of N trials (parameter points) over the same T bars.
 * 1. Cut the rows into S disjoint blocks of equal size (S even; the first T mod S rows are
 *    dropped so every block has ⌊T/S⌋ rows).
 * 2. For every one of the C(S, S/2) ways to choose S/2 blocks as the training set J (the other
 *    half J̄ is the test set): compute each trial's Sharpe ratio (mean / sample sd) on J and on J̄;
 *    take n* = the trial with the best Sharpe on J (first one on ties); its relative rank on J̄ is
 *    ω = r / (N + 1), where r = 1 + #{n : SR_J̄(n) < SR_J̄(n*)} (1 = worst); the logit is
 *    λ = ln(ω / (1 − ω)).
 * 3. PBO = the share of splits with λ ≤ 0: the in-sample best ranks at or below the
 *    out-of-sample median.
 * A trial whose Sharpe is undefined on a half (zero spread) counts as −∞ there.
 *
 * Each split's Sharpe ratios come from per-block sums Σr and Σr² (S × N of them), so a split costs
 * O(N·S) rather than O(N·T). No maintained npm package implements CSCV; it is written from the paper.
 */
import { UserError } from '../core/errors.js';

export interface PboOptions {
  /** Number of blocks S (even, ≥ 2). @default 16 (the paper's choice) */
  readonly slices?: number;
  /** Checked between splits. */
  readonly signal?: AbortSignal;
}

export interface PboSplit {
  /** Index of the trial chosen in-sample. */
  readonly chosen: number;
  /** Its Sharpe on the training half and on the test half (per bar). */
  readonly inSample: number;
  readonly outOfSample: number;
  /** Relative rank ω ∈ (0, 1) on the test half and its logit λ. */
  readonly omega: number;
  readonly logit: number;
}

export interface PboResult {
  /** Probability of backtest overfitting φ ∈ [0, 1]. */
  readonly pbo: number;
  readonly splits: readonly PboSplit[];
  readonly slices: number;
  readonly trials: number;
  /** Rows used (T − T mod S). */
  readonly rows: number;
  /** Share of splits whose chosen trial lost money out of sample (Sharpe < 0). */
  readonly probOosLoss: number;
}

/** Every way to choose k of n items (ascending index lists), in lexicographic order. */
export function combinations(n: number, k: number): number[][] {
  const out: number[][] = [];
  const pick: number[] = [];
  const walk = (from: number): void => {
    if (pick.length === k) {
      out.push([...pick]);
      return;
    }
    for (let i = from; i <= n - (k - pick.length); i++) {
      pick.push(i);
      walk(i + 1);
      pick.pop();
    }
  };
  walk(0);
  return out;
}

/** Sharpe mean / sample sd from a count, a sum and a sum of squares; −∞ when undefined. */
function sharpeOfSums(count: number, sum: number, sumSq: number): number {
  if (count < 2) return -Infinity;
  const mean = sum / count;
  const variance = (sumSq - count * mean * mean) / (count - 1);
  return variance > 1e-300 ? mean / Math.sqrt(variance) : -Infinity;
}

/** PBO by CSCV over `trialReturns` (one Float64Array of per-bar returns per trial, equal lengths). */
export function pboCscv(trialReturns: readonly Float64Array[], o: PboOptions = {}): PboResult {
  const slices = o.slices ?? 16;
  const trials = trialReturns.length;
  if (!(Number.isInteger(slices) && slices >= 2 && slices % 2 === 0)) throw new UserError(`PBO needs an even number of slices ≥ 2, got ${slices}`, 'slices');
  if (trials < 2) throw new UserError(`PBO needs at least 2 trials, got ${trials}`, 'trials');
  const length = trialReturns[0]!.length;
  if (trialReturns.some((r) => r.length !== length)) throw new UserError('PBO needs every trial over the same bars (return series of equal length)', 'trials');
  const blockRows = Math.floor(length / slices);
  if (blockRows < 2) throw new UserError(`PBO needs at least ${2 * slices} bars for ${slices} slices, got ${length}`, 'slices');
  const skip = length - blockRows * slices;
  // Per block b and trial n: Σr and Σr².
  const sums = new Float64Array(slices * trials);
  const sumSqs = new Float64Array(slices * trials);
  for (let n = 0; n < trials; n++) {
    const r = trialReturns[n]!;
    for (let b = 0; b < slices; b++) {
      let s = 0;
      let q = 0;
      for (let i = skip + b * blockRows, end = i + blockRows; i < end; i++) {
        const v = r[i]!;
        s += v;
        q += v * v;
      }
      sums[b * trials + n] = s;
      sumSqs[b * trials + n] = q;
    }
  }
  const half = slices / 2;
  const count = half * blockRows;
  const splits: PboSplit[] = [];
  const isSharpe = new Float64Array(trials);
  const oosSharpe = new Float64Array(trials);
  for (const train of combinations(slices, half)) {
    o.signal?.throwIfAborted();
    const inTrain = new Uint8Array(slices);
    for (const b of train) inTrain[b] = 1;
    for (let n = 0; n < trials; n++) {
      let sIn = 0, qIn = 0, sOut = 0, qOut = 0;
      for (let b = 0; b < slices; b++) {
        if (inTrain[b]) {
          sIn += sums[b * trials + n]!;
          qIn += sumSqs[b * trials + n]!;
        } else {
          sOut += sums[b * trials + n]!;
          qOut += sumSqs[b * trials + n]!;
        }
      }
      isSharpe[n] = sharpeOfSums(count, sIn, qIn);
      oosSharpe[n] = sharpeOfSums(count, sOut, qOut);
    }
    let chosen = 0;
    for (let n = 1; n < trials; n++) if (isSharpe[n]! > isSharpe[chosen]!) chosen = n;
    let below = 0;
    for (let n = 0; n < trials; n++) if (oosSharpe[n]! < oosSharpe[chosen]!) below++;
    const omega = (below + 1) / (trials + 1);
    splits.push({ chosen, inSample: isSharpe[chosen]!, outOfSample: oosSharpe[chosen]!, omega, logit: Math.log(omega / (1 - omega)) });
  }
  const pbo = splits.filter((s) => s.logit <= 0).length / splits.length;
  const probOosLoss = splits.filter((s) => s.outOfSample < 0).length / splits.length;
  return { pbo, splits, slices, trials, rows: blockRows * slices, probOosLoss };
}
