/**
 * The latent regime path: a first-order Markov chain over UTC days.
 *
 *   S_0 ~ π (the stationary distribution),  P(S_{d+1} = j | S_d = i) = P_ij.
 *
 * Sampling uses one uniform per day and the row's cumulative sums (inverse CDF), so the path
 * depends only on the stream and the number of days. Reference: Hamilton (1989), "A new approach
 * to the economic analysis of nonstationary time series and the business cycle", Econometrica 57.
 */
import type { Rng } from '../../core/rng.js';
import { InvariantError } from '../../core/errors.js';

/**
 * Stationary distribution π of a row-stochastic matrix (π P = π, Σπ = 1) by power iteration
 * (the chain here is irreducible and aperiodic, so it converges; 20 000 steps reach 1e-15).
 */
export function stationaryDistribution(P: readonly (readonly number[])[]): number[] {
  const k = P.length;
  for (const row of P) {
    const s = row.reduce((a, b) => a + b, 0);
    if (row.length !== k || Math.abs(s - 1) > 1e-9 || row.some((x) => x < 0)) {
      throw new InvariantError('transition matrix must be square with non-negative rows summing to 1');
    }
  }
  let pi = new Array<number>(k).fill(1 / k);
  for (let it = 0; it < 20_000; it++) {
    const next = new Array<number>(k).fill(0);
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) next[j]! += pi[i]! * P[i]![j]!;
    let diff = 0;
    for (let j = 0; j < k; j++) diff = Math.max(diff, Math.abs(next[j]! - pi[j]!));
    pi = next;
    if (diff < 1e-16) break;
  }
  const total = pi.reduce((a, b) => a + b, 0);
  return pi.map((x) => x / total);
}

/** Index of the first cumulative probability above u (last state when rounding leaves a gap). */
function draw(cum: readonly number[], u: number): number {
  for (let j = 0; j < cum.length - 1; j++) if (u < cum[j]!) return j;
  return cum.length - 1;
}

/**
 * Simulate `days` steps of the chain. Returns the state code of each day. O(days · k).
 * @param rng the regime stream (one uniform per day)
 */
export function simulateRegimeChain(rng: Rng, days: number, P: readonly (readonly number[])[]): Uint8Array {
  const out = new Uint8Array(Math.max(0, days));
  if (days <= 0) return out;
  const pi = stationaryDistribution(P);
  const cumsum = (row: readonly number[]): number[] => {
    let s = 0;
    return row.map((x) => (s += x));
  };
  const piCum = cumsum(pi);
  const rows = P.map(cumsum);
  let s = draw(piCum, rng.uniform());
  out[0] = s;
  for (let d = 1; d < days; d++) {
    s = draw(rows[s]!, rng.uniform());
    out[d] = s;
  }
  return out;
}
