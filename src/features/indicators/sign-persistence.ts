import { outputArray } from './check.js';

/**
 * Persistence of sign: the signed length of the current run of same-signed values,
 * `+k` when x[t-k+1..t] are all > 0 (and x[t-k] is not), `-k` when they are all < 0, and 0 when
 * x[t] = 0. Used on funding-rate events: +9 means the last nine fundings were all positive
 * (longs paying), the funding-persistence state of crowded positioning.
 *
 * - No warm-up (the first value is ±1 or 0). NaN input → NaN and the run restarts after it.
 * - O(n), no allocation per bar; output t reads x[0..t].
 */
export function signPersistence(x: Float64Array, out?: Float64Array): Float64Array {
  const n = x.length;
  const y = outputArray('funding persistence', n, out);
  let runLen = 0; // signed
  for (let t = 0; t < n; t++) {
    const v = x[t]!;
    if (v > 0) runLen = runLen > 0 ? runLen + 1 : 1;
    else if (v < 0) runLen = runLen < 0 ? runLen - 1 : -1;
    else if (v === 0) runLen = 0;
    else {
      runLen = 0;
      y[t] = NaN;
      continue;
    }
    y[t] = runLen;
  }
  return y;
}
