import { checkPeriod, outputArray } from './check.js';

/**
 * Relative Strength Index, Wilder's definition:
 * `RSI = 100 - 100 / (1 + avgGain / avgLoss) = 100 · avgGain / (avgGain + avgLoss)`, where gains and
 * losses are the positive and negative parts of `close[t] - close[t-1]`, and the averages are
 * Wilder-smoothed: seeded with the simple mean of the first p changes, then
 * `avg[t] = (avg[t-1] · (p-1) + value[t]) / p`.
 *
 * - Warm-up: NaN for t < p (p changes need p+1 closes); the first value is at index p.
 * - Flat window (avgGain = avgLoss = 0) → 50 (neutral; TA-Lib returns 0 here, we prefer the
 *   midpoint). avgLoss = 0 with gains → 100. Output lies in [0, 100].
 * - NaN policy: a non-finite close makes the two changes it touches missing; the output is NaN
 *   there and the smoothing restarts, needing p finite changes again.
 * - O(n), no allocation per bar; output t reads close[0..t].
 *
 * Reference: J. W. Wilder, *New Concepts in Technical Trading Systems* (1978), pp. 63–70;
 * TA-Lib `TA_RSI`; backtrader `tests/test_ind_rsi.py`.
 * @param period smoothing length (integer ≥ 1). Wilder used 14.
 */
export function rsi(close: Float64Array, period: number, out?: Float64Array): Float64Array {
  checkPeriod('rsi', period);
  const n = close.length;
  const y = outputArray('rsi', n, out);
  if (n === 0) return y;
  y[0] = NaN;
  let run = 0; // consecutive finite changes ending at t
  let avgGain = 0;
  let avgLoss = 0;
  for (let t = 1; t < n; t++) {
    const d = close[t]! - close[t - 1]!;
    if (!Number.isFinite(d)) {
      run = 0;
      avgGain = 0;
      avgLoss = 0;
      y[t] = NaN;
      continue;
    }
    const gain = d > 0 ? d : 0;
    const loss = d < 0 ? -d : 0;
    run++;
    if (run < period) {
      avgGain += gain;
      avgLoss += loss;
      y[t] = NaN;
      continue;
    }
    if (run === period) {
      avgGain = (avgGain + gain) / period;
      avgLoss = (avgLoss + loss) / period;
    } else {
      avgGain = (avgGain * (period - 1) + gain) / period;
      avgLoss = (avgLoss * (period - 1) + loss) / period;
    }
    const total = avgGain + avgLoss;
    y[t] = total > 0 ? (100 * avgGain) / total : 50;
  }
  return y;
}
