/**
 * Benjamini–Hochberg (1995) step-up procedure as adjusted p-values (q-values):
 *
 *   sort p ascending, p_(1) ≤ … ≤ p_(m);   q_(i) = min_{j ≥ i} min(1, m · p_(j) / j)
 *
 * Rejecting every hypothesis with q ≤ α is exactly the BH procedure at level α. Ties keep their
 * input order for the rank. NaN p-values count as 1 (an untestable hypothesis still costs a test).
 */
export interface BhResult {
  /** q per input position. */
  readonly q: Float64Array;
  /** 1-based BH rank per input position (position in the ascending order of p). */
  readonly rank: Int32Array;
}

export function benjaminiHochberg(pValues: ArrayLike<number>): BhResult {
  const m = pValues.length;
  const p = (i: number): number => (Number.isNaN(pValues[i]!) ? 1 : pValues[i]!);
  const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => p(a) - p(b) || a - b);
  const q = new Float64Array(m);
  const rank = new Int32Array(m);
  let running = 1;
  for (let k = m - 1; k >= 0; k--) {
    const i = order[k]!;
    running = Math.min(running, (m * p(i)) / (k + 1));
    q[i] = Math.min(1, running);
    rank[i] = k + 1;
  }
  return { q, rank };
}

/** The number of hypotheses BH rejects at level α. */
export function bhRejections(pValues: ArrayLike<number>, alpha: number): number {
  const { q } = benjaminiHochberg(pValues);
  let n = 0;
  for (const v of q) if (v <= alpha) n++;
  return n;
}
