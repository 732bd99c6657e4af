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
  const raw = scores.map((s) => (s > 0 ? (s / sum) * units : 0));
  const whole = raw.map((r) => Math.floor(r));
  let left = units - whole.reduce((a, b) => a + b, 0);
  const order = raw
    .map((r, i) => ({ i, rem: r - whole[i]! }))
    .filter((o) => scores[o.i]! > 0)
    .sort((a, b) => b.rem - a.rem || a.i - b.i);
  for (let k = 0; left > 0 && order.length > 0; k = (k + 1) % order.length, left--) whole[order[k]!.i]!++;
  for (let i = 0; i < n; i++) out[i] = (whole[i]! / units) * total;
  return out;
}
