import { UserError } from '../../core/errors.js';
import { checkPeriod } from './check.js';
import { ema, emaAlpha } from './ema.js';

/** MACD columns, each of the input's length. */
export interface Macd {
  /** EMA(close, fast) - EMA(close, slow). */
  readonly line: Float64Array;
  /** EMA(line, signal), seeded with the mean of the first `signal` line values. */
  readonly signal: Float64Array;
  /** line - signal. */
  readonly histogram: Float64Array;
}

/**
 * Moving Average Convergence/Divergence (Gerald Appel): `line = EMA_fast - EMA_slow`,
 * `signal = EMA(line, signal)`, `histogram = line - signal`. Every EMA is seeded with the simple
 * average of its first `period` inputs (see `ema`), as backtrader's `MACD` does; TA-Lib's
 * `TA_MACD` seeds the fast EMA later, so its first values differ slightly.
 *
 * - Warm-up: line from index slow-1, signal and histogram from slow+signal-2.
 * - NaN policy: inherited from `ema` (a non-finite close restarts every EMA).
 * - O(n), no allocation per bar; output t reads close[0..t].
 *
 * Reference: G. Appel, *Technical Analysis: Power Tools for Active Investors* (2005);
 * backtrader `tests/test_ind_macdhisto.py`.
 * @param fast fast EMA span (integer ≥ 1). Default 12.
 * @param slow slow EMA span (integer > fast). Default 26.
 * @param signal signal EMA span (integer ≥ 1). Default 9.
 */
export function macd(close: Float64Array, fast: number, slow: number, signal: number): Macd {
  checkPeriod('macd', fast, 1, 'fast period');
  checkPeriod('macd', slow, 1, 'slow period');
  checkPeriod('macd', signal, 1, 'signal period');
  if (fast >= slow) throw new UserError(`macd: fast period must be below slow period, got ${fast},${slow}`, 'macd');
  const n = close.length;
  const line = ema(close, fast);
  const slowEma = ema(close, slow);
  for (let t = 0; t < n; t++) line[t] = line[t]! - slowEma[t]!;
  const sig = emaAlpha('macd', line, signal, 2 / (signal + 1));
  // reuse the slow EMA's storage for the histogram
  const histogram = slowEma;
  for (let t = 0; t < n; t++) histogram[t] = line[t]! - sig[t]!;
  return { line, signal: sig, histogram };
}
