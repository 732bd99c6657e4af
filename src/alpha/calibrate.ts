/**
 * Calibration of a score s into an expected return μ, fitted on out-of-fold scores only
 * (docs/alpha.md "Calibration"):
 *  - `linear`: μ = a + b·s by least squares;
 *  - `isotonic`: the non-decreasing step function closest to y in least squares, by the
 *    pool-adjacent-violators algorithm (Barlow et al. 1972; Best & Chakravarti 1990); between block
 *    centres μ is interpolated linearly and held flat beyond the ends (as scikit-learn does);
 *  - `binned`: mean y in each of `bins` equal-count bins of s.
 */
import { UserError } from '../core/errors.js';

export type CalibrationMethod = 'linear' | 'isotonic' | 'binned';

export interface Calibration {
  readonly method: CalibrationMethod;
  /** Knot scores (ascending) and their μ; linear: [a, b] in `mu` and no knots. */
  readonly knots: readonly number[];
  readonly mu: readonly number[];
}

export function fitCalibration(method: CalibrationMethod, s: Float64Array, y: Float64Array, bins = 10): Calibration {
  if (s.length < 3) throw new UserError(`calibration needs out-of-fold scores, got ${s.length}`, 'fit');
  if (method === 'linear') return { method, knots: [], mu: linearFit(s, y) };
  const order = Array.from(s.keys()).sort((a, b) => s[a]! - s[b]! || a - b);
  if (method === 'isotonic') {
    const { x, value } = poolAdjacentViolators(Float64Array.from(order, (i) => s[i]!), Float64Array.from(order, (i) => y[i]!));
    return { method, knots: x, mu: value };
  }
  const knots: number[] = [];
  const mu: number[] = [];
  for (let b = 0; b < bins; b++) {
    const from = Math.floor((b * order.length) / bins), to = Math.floor(((b + 1) * order.length) / bins);
    if (to <= from) continue;
    let sy = 0;
    for (let k = from; k < to; k++) sy += y[order[k]!]!;
    knots.push(s[order[to - 1]!]!); // upper edge of the bin
    mu.push(sy / (to - from));
  }
  return { method, knots, mu };
}

function linearFit(s: Float64Array, y: Float64Array): number[] {
  let ms = 0, my = 0;
  for (let i = 0; i < s.length; i++) { ms += s[i]!; my += y[i]!; }
  ms /= s.length; my /= s.length;
  let sxy = 0, sxx = 0;
  for (let i = 0; i < s.length; i++) { sxy += (s[i]! - ms) * (y[i]! - my); sxx += (s[i]! - ms) ** 2; }
  const b = sxx > 0 ? sxy / sxx : 0;
  return [my - b * ms, b];
}

/**
 * PAVA over points sorted by x: merge adjacent blocks while a block's mean exceeds the next one's.
 * Returns one knot per block: the block's mean x and its mean y (non-decreasing).
 */
export function poolAdjacentViolators(x: Float64Array, y: Float64Array): { x: number[]; value: number[]; fitted: Float64Array } {
  const n = x.length;
  const sumY: number[] = [], sumX: number[] = [], count: number[] = [];
  for (let i = 0; i < n; i++) {
    sumY.push(y[i]!); sumX.push(x[i]!); count.push(1);
    while (sumY.length > 1 && sumY[sumY.length - 2]! / count[count.length - 2]! > sumY[sumY.length - 1]! / count[count.length - 1]!) {
      const c = count.pop()!, sy = sumY.pop()!, sx = sumX.pop()!;
      count[count.length - 1]! += c; sumY[sumY.length - 1]! += sy; sumX[sumX.length - 1]! += sx;
    }
  }
  const fitted = new Float64Array(n);
  let i = 0;
  const knotsX: number[] = [], value: number[] = [];
  for (let b = 0; b < count.length; b++) {
    const v = sumY[b]! / count[b]!;
    for (let k = 0; k < count[b]!; k++) fitted[i++] = v;
    knotsX.push(sumX[b]! / count[b]!);
    value.push(v);
  }
  return { x: knotsX, value, fitted };
}

/** μ for one score. */
export function calibrate(c: Calibration, s: number): number {
  if (!Number.isFinite(s)) return NaN;
  if (c.method === 'linear') return c.mu[0]! + c.mu[1]! * s;
  const k = c.knots;
  if (c.method === 'binned') {
    for (let b = 0; b < k.length; b++) if (s <= k[b]!) return c.mu[b]!;
    return c.mu[c.mu.length - 1]!;
  }
  if (s <= k[0]!) return c.mu[0]!;
  if (s >= k[k.length - 1]!) return c.mu[c.mu.length - 1]!;
  let lo = 0, hi = k.length - 1;
  while (hi - lo > 1) { const mid = (lo + hi) >> 1; if (k[mid]! <= s) lo = mid; else hi = mid; }
  const w = (s - k[lo]!) / (k[hi]! - k[lo]!);
  return c.mu[lo]! + w * (c.mu[hi]! - c.mu[lo]!);
}
