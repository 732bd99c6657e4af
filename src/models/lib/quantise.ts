/**
 * Split a total weight across names in proportion to positive scores, quantised to `step` by the
 * largest-remainder (Hamilton) method so the parts sum exactly to `total` (when any score is
 * positive). Ties go to the earlier name. Quantising keeps targets from changing on every small move
 * of the scores, which keeps turnover down without any state.
 *
 * @returns weights in the same order as `scores` (0 for non-positive or NaN scores)
 */
export function quantisedSplit(scores: readonly number[], total: number, step: number): number[] {
  const n = scores.length;
  const out = new Array<number>(n).fill(0);
  let sum = 0;
  for (const s of scores) if (s > 0) sum += s;
  if (!(sum > 0) || !(total > 0)) return out;
  const units = Math.max(1, Math.round(total / step));
  // whole units per name (in `out` until the last line) and the remainders of the positive ones
  const rem = scratch.remainders(n);
  const order = scratch.order(n);
  let left = units;
  let ranked = 0;
  for (let i = 0; i < n; i++) {
    const s = scores[i]!;
    const raw = s > 0 ? (s / sum) * units : 0;
    const whole = Math.floor(raw);
    out[i] = whole;
    left -= whole;
    if (!(s > 0)) continue;
    // insert i among the positive names: larger remainder first, then the earlier name
    const r = (rem[i] = raw - whole);
    let k = ranked++;
    while (k > 0 && rem[order[k - 1]!]! < r) {
      order[k] = order[k - 1]!;
      k--;
    }
    order[k] = i;
  }
  for (let k = 0; left > 0 && ranked > 0; k = (k + 1) % ranked, left--) out[order[k]!]!++;
  for (let i = 0; i < n; i++) out[i] = (out[i]! / units) * total;
  return out;
}

/** Scratch arrays of quantisedSplit, grown to the largest split asked for (no allocation per call). */
const scratch = {
  rem: new Float64Array(16),
  idx: new Int32Array(16),
  remainders(n: number): Float64Array {
    if (this.rem.length < n) this.rem = new Float64Array(n);
    return this.rem;
  },
  order(n: number): Int32Array {
    if (this.idx.length < n) this.idx = new Int32Array(n);
    return this.idx;
  },
};
