/**
 * Open interest, point in time. An observation stamped t is known from t on; a bar gets the last
 * observation at or before its close, carried forward while newer ones are missing (at most
 * `maxStaleBars` bars when > 0), never backward: leading bars before the first observation stay NaN.
 */

/** Forward-fill NaN values in place order; returns the filled copy and how many values were filled. */
export function forwardFillOpenInterest(oi: Float64Array, maxStaleBars: number): { values: Float64Array; filled: number; leading: number } {
  const out = new Float64Array(oi.length);
  let last = NaN;
  let age = 0;
  let filled = 0;
  let leading = 0;
  let seen = false;
  for (let i = 0; i < oi.length; i++) {
    const x = oi[i]!;
    if (Number.isFinite(x)) {
      out[i] = x;
      last = x;
      age = 0;
      seen = true;
    } else if (seen && (maxStaleBars === 0 || age < maxStaleBars)) {
      out[i] = last;
      age++;
      filled++;
    } else {
      out[i] = NaN;
      if (!seen) leading++;
    }
  }
  return { values: out, filled, leading };
}

/**
 * As-of join: for each bar close, the last observation with obsTs ≤ close (obsTs sorted). Bars
 * before the first observation, or more than `maxStaleMs` after the last one used (when > 0), get NaN.
 */
export function asOfJoin(close: Float64Array, obsTs: Float64Array, obsVal: Float64Array, maxStaleMs: number): Float64Array {
  const out = new Float64Array(close.length);
  let j = -1;
  for (let i = 0; i < close.length; i++) {
    const c = close[i]!;
    while (j + 1 < obsTs.length && obsTs[j + 1]! <= c) j++;
    out[i] = j >= 0 && (maxStaleMs === 0 || c - obsTs[j]! <= maxStaleMs) ? obsVal[j]! : NaN;
  }
  return out;
}
