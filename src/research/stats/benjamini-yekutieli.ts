/**
 * Benjamini–Yekutieli (2001, Theorem 1.3): the step-up procedure at level α / c(m) controls the
 * FDR at α under any dependence between the p-values, where
 *
 *   c(m) = Σ_{i=1..m} 1/i        (c(1) = 1, c(2) = 1.5, c(4) = 25/12, c(10) ≈ 2.928968)
 *
 * As adjusted p-values: q_BY = min(1, c(m) · q_BH) (q_BH before its cap at 1 is ≥ 1 whenever the
 * capped value is 1, so multiplying the capped one is the same). One copy of BH: benjamini-hochberg.ts.
 *
 * Simes (1986): the global test of a group of k hypotheses, p_S = min_i k p_(i) / i — the smallest
 * BH q of the group. Valid when the p-values are independent or PRDS (Sarkar 2008).
 */
import { benjaminiHochberg } from './benjamini-hochberg.js';

/** c(m) = Σ_{i=1..m} 1/i, the Benjamini–Yekutieli factor for arbitrary dependence. */
export function byFactor(m: number): number {
  let c = 0;
  for (let i = m; i >= 1; i--) c += 1 / i;
  return c;
}

/** Benjamini–Yekutieli q-values, per input position (NaN counts as 1, as in BH). */
export function benjaminiYekutieli(pValues: ArrayLike<number>): Float64Array {
  const c = byFactor(pValues.length);
  return benjaminiHochberg(pValues).q.map((q) => Math.min(1, c * q));
}

/** Simes' combined p-value of a group: min_i k p_(i) / i (1 for an empty group). */
export function simes(pValues: ArrayLike<number>): number {
  let best = 1;
  for (const q of benjaminiHochberg(pValues).q) best = Math.min(best, q);
  return best;
}
