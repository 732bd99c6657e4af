import { checkPeriod, outputArray } from './check.js';

/**
 * Exponential moving average with smoothing `alpha = 2 / (p + 1)`:
 * `ema[t] = ema[t-1] + alpha · (x[t] - ema[t-1])`.
 *
 * - Seed: `ema[p-1]` is the simple average of the first p values (TA-Lib's default seeding and
 *   backtrader's `ExponentialMovingAverage`), so the warm-up is NaN for t < p-1.
 * - NaN policy: a non-finite input gives NaN at that bar and restarts the recursion: the next
 *   value appears once p consecutive finite inputs have been seen, seeded again by their average.
 * - O(n), no allocation per bar; output t reads only x[0..t].
 * - Constant input c → c after warm-up.
 *
 * Reference: TA-Lib `TA_EMA`; backtrader `tests/test_ind_ema.py`.
 * @param period span in bars (integer ≥ 1); alpha = 2/(period+1)
 */
export function ema(x: Float64Array, period: number, out?: Float64Array): Float64Array {
  checkPeriod('ema', period);
  return emaAlpha('ema', x, period, 2 / (period + 1), out);
}

/**
 * The shared recursion behind `ema` and Wilder smoothing (`alpha = 1/p`): seed with the mean of the
 * first p finite values, then `y += alpha · (x - y)`; a non-finite input restarts the seed.
 * Exported for the kernels in this folder; callers use `ema` or `wilder`.
 */
export function emaAlpha(name: string, x: Float64Array, period: number, alpha: number, out?: Float64Array): Float64Array {
  const n = x.length;
  const y = outputArray(name, n, out);
  let run = 0;
  let seedSum = 0;
  let prev = NaN;
  for (let t = 0; t < n; t++) {
    const v = x[t]!;
    if (!Number.isFinite(v)) {
      run = 0;
      seedSum = 0;
      y[t] = NaN;
      continue;
    }
    run++;
    if (run < period) {
      seedSum += v;
      y[t] = NaN;
    } else if (run === period) {
      seedSum += v;
      prev = seedSum / period;
      y[t] = prev;
    } else {
      prev += alpha * (v - prev);
      y[t] = prev;
    }
  }
  return y;
}
