import { checkPeriod, outputArray } from './check.js';

/** Rebuild the running sums from scratch this often (bars), bounding rounding drift. */
const REFRESH = 4096;

/**
 * Linearly weighted moving average, newest bar weighted p, oldest 1:
 * `wma[t] = Σ_{i=0..p-1} (p - i) · x[t-i] / (p (p + 1) / 2)`.
 *
 * - O(n) with two running sums: the plain window sum S and the weighted sum W, updated as
 *   `W ← W + p·x[t] - S_prev`, `S ← S_prev + x[t] - x[t-p]`. Both are recomputed exactly every
 *   4096 bars (O(p) each, amortised O(p/4096) per bar) so drift cannot accumulate.
 * - Warm-up: NaN for t < p-1. NaN policy: NaN while a non-finite input is in the window.
 * - No allocation per bar; output t reads x[0..t]. Constant input c → c.
 *
 * Reference: TA-Lib `TA_WMA`; backtrader `WeightedMovingAverage` (`tests/test_ind_wma.py`).
 * @param period window length (integer ≥ 1)
 */
export function wma(x: Float64Array, period: number, out?: Float64Array): Float64Array {
  checkPeriod('wma', period);
  const n = x.length;
  const y = outputArray('wma', n, out);
  const norm = (period * (period + 1)) / 2;
  let s = 0;
  let w = 0;
  let run = 0;
  for (let t = 0; t < n; t++) {
    const v = x[t]!;
    if (!Number.isFinite(v)) {
      run = 0;
      s = 0;
      w = 0;
      y[t] = NaN;
      continue;
    }
    run++;
    if (run <= period) {
      // window still filling: the newest value has weight `run`, the older ones already hold theirs
      w += run * v;
      s += v;
      y[t] = run === period ? w / norm : NaN;
      continue;
    }
    if (run % REFRESH === 0) {
      s = 0;
      w = 0;
      for (let i = 0; i < period; i++) {
        const xi = x[t - i]!;
        s += xi;
        w += (period - i) * xi;
      }
    } else {
      w += period * v - s;
      s += v - x[t - period]!;
    }
    y[t] = w / norm;
  }
  return y;
}
