import { UserError } from '../../core/errors.js';
import { checkPeriod, outputArray } from './check.js';

const REFRESH = 4096;
/** Relative rounding noise of the running sum against the magnitudes added and removed. */
const NOISE = 16 * Number.EPSILON;

/**
 * Realised volatility, annualised: `rv[t] = sqrt( A / p · Σ_{i=t-p+1..t} r_i² )`, with
 * `r_i = ln(close[i] / close[i-1])` the one-bar log returns and A the number of bars per year
 * (see `periodsPerYear`: 365 for crypto daily bars, 252 for equity daily bars, …). This is the
 * zero-mean estimator used for realised variance (Andersen, Bollerslev, Diebold & Labys, 2001):
 * it does not subtract the sample mean, which is negligible at bar frequency and biases a
 * standard-deviation estimate in trending windows.
 *
 * - Units: a fraction per year (0.6 = 60 % annualised). A = 1 gives the per-bar value.
 * - Warm-up: NaN for t < p (p returns need p+1 closes). NaN policy: NaN while a non-finite return
 *   is in the window.
 * - O(n): a running sum of squares over a ring buffer of the window's squared returns (allocated
 *   once, so each log is taken once), rebuilt exactly every 4096 bars and whenever it falls within
 *   rounding noise (a window of zero returns gives exactly 0).
 *
 * @param period number of returns in the window (integer ≥ 1)
 * @param periodsPerYear annualisation factor A (> 0). @default 1
 */
export function realizedVol(close: Float64Array, period: number, periodsPerYear = 1, out?: Float64Array): Float64Array {
  checkPeriod('rvol', period);
  if (!(periodsPerYear > 0) || !Number.isFinite(periodsPerYear)) {
    throw new UserError(`rvol: periods per year must be a positive number, got ${periodsPerYear}`, 'rvol');
  }
  const n = close.length;
  const y = outputArray('rvol', n, out);
  if (n === 0) return y;
  y[0] = NaN;
  const scale = periodsPerYear / period;
  const ring = new Float64Array(period); // squared returns in the window, oldest at `pos`
  let pos = 0;
  let ss = 0;
  let acc = 0;
  let run = 0; // consecutive finite returns ending at t
  for (let t = 1; t < n; t++) {
    const r = Math.log(close[t]! / close[t - 1]!);
    if (!Number.isFinite(r)) {
      run = 0;
      ss = 0;
      acc = 0;
      pos = 0;
      y[t] = NaN;
      continue;
    }
    const q = r * r;
    run++;
    if (run > period) {
      ss += q - ring[pos]!;
      acc += q + ring[pos]!;
      ring[pos] = q;
      // rebuild exactly every 4096 bars, and when the sum is within rounding noise of what was
      // added and removed since (a window of zero returns must give exactly 0)
      if (run % REFRESH === 0 || (ss <= NOISE * acc && acc > 0)) {
        ss = 0;
        for (let i = 0; i < period; i++) ss += ring[i]!;
        acc = ss;
      }
    } else {
      ss += q;
      acc += q;
      ring[pos] = q;
    }
    pos = pos + 1 === period ? 0 : pos + 1;
    y[t] = run >= period ? Math.sqrt(scale * ss) : NaN;
  }
  return y;
}
