/**
 * "Is the latest value above the mean of the last n?" at every bar, without adding n values each
 * time, and with exactly the answer of `last > tailMean(g, n)` (window.ts: the n values added in
 * order, then divided by n).
 *
 * A running sum R is carried from bar to bar (add the new value, drop the one leaving) together with
 * a bound E on its distance from the true sum S: each floating-point addition is off by at most
 * u·|result| (u = 2⁻⁵³), so E grows by u·(|R + new| + |R + new − old|) per bar. The in-order sum Ŝ
 * that tailMean divides is within γ(n−1)·Σ|x| ≤ 1.01·n·u·Σ|x| of S (Higham, "Accuracy and Stability
 * of Numerical Algorithms", 2nd ed., §4.2), and the division adds u·|Ŝ/n|. So when the latest value
 * is further from R/n than twice the sum of those bounds, R/n and fl(Ŝ/n) lie on the same side of it
 * and the answer follows from R; otherwise (near-ties, NaN, a gap in bars, a non-positive value, or
 * every 4 096 bars) the n values are added in tailMean's order and R restarts from that sum. The
 * same safeguard as `crossSide` (sma-cross.ts) for the same reason: a running sum's rounding drift
 * could flip an exact tie.
 */

import type { ModelContext } from '../types.js';

const U = 2 ** -53;
const REFRESH = 4096;

/** The carried state (plain numbers: it lives in a model's ctx.state, so snapshots keep it). */
export interface TailSum {
  /** Column index of the latest value in `sum` (−2: none). */
  index: number;
  sum: number;
  /** Bound on |sum − the true sum of the window|. */
  err: number;
  /** Bars since the last exact sum. */
  age: number;
}

export const newTailSum = (): TailSum => ({ index: -2, sum: 0, err: 0, age: 0 });

/**
 * `g`: the last n + 1 values of a column up to the current one (fewer at its start), `index`: the
 * current value's index in the column. Returns `g[last] > tailMean(g, n)` (false while fewer than
 * n values exist), updating `win`.
 */
export function lastAboveTailMean(win: TailSum, g: Float64Array, index: number, n: number): boolean {
  const len = g.length;
  if (len < n) return false;
  return runningAbove(win, g[len - 1]!, len === n + 1 ? g[0]! : NaN, index, n) ?? exactAbove(win, g, index, n);
}

/**
 * `lastAboveTailMean(win, ctx.history(symbol, n + 1), index, n)` for the close of a model's symbol at
 * its current bar `index`, reading the two closes the running sum needs (`ctx.lag`) and the window's
 * view only when the sum cannot answer: no view per call (crypto-momentum.ts's gate).
 */
export function closeAboveTailMean(win: TailSum, ctx: ModelContext, symbol: string, index: number, n: number): boolean {
  if (index + 1 < n) return false;
  return runningAbove(win, ctx.lag(symbol, 0), ctx.lag(symbol, n), index, n) ?? exactAbove(win, ctx.history(symbol, n + 1), index, n);
}

/**
 * The answer from the running sum alone, given the current value `last` and the one leaving the
 * window, `drop` (NaN when none leaves: fewer than n + 1 values); undefined when the sum cannot
 * answer (a gap, a near-tie, a refresh due), and then `exactAbove` must be asked with the window.
 */
function runningAbove(win: TailSum, last: number, drop: number, index: number, n: number): boolean | undefined {
  if (win.index === index - 1 && win.age < REFRESH) {
    if (last > 0 && drop > 0 && last < Infinity && drop < Infinity) {
      const added = win.sum + last;
      const sum = added - drop;
      win.err += U * (Math.abs(added) + Math.abs(sum));
      win.sum = sum;
      win.index = index;
      win.age++;
    } else win.index = -2;
  } else if (win.index !== index) win.index = -2;
  if (win.index === index) {
    const diff = last - win.sum / n;
    const margin = 2 * ((win.err + 1.01 * (n + 2) * U * (Math.abs(win.sum) + win.err)) / n + 2 * U * Math.abs(last));
    if (diff > margin) return true;
    if (diff < -margin) return false;
  }
  return undefined;
}

/** `g[last] > tailMean(g, n)` with the n values added in order; the running sum restarts from it. */
function exactAbove(win: TailSum, g: Float64Array, index: number, n: number): boolean {
  const len = g.length;
  const last = g[len - 1]!;
  let s = 0;
  let abs = 0;
  for (let i = len - n; i < len; i++) {
    s += g[i]!;
    abs += Math.abs(g[i]!);
  }
  win.index = index;
  win.sum = s;
  win.err = 1.01 * n * U * abs;
  win.age = 0;
  return last > s / n;
}
