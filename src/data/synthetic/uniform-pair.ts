/**
 * Two independent uniforms from one `Rng.uniform()` draw. core/rng builds a uniform from two
 * 32-bit outputs as (hi · 2²⁶ + lo) / 2⁵³ with hi < 2²⁷ and lo < 2²⁶, so u · 2²⁷ = hi + lo / 2²⁶:
 * its integer part and its fraction are the two outputs' bits, exactly and independently.
 * Halving the calls matters here (the generator needs about 5 M uniforms for the default span);
 * 26–27 bits are ample for noise terms. Both results lie strictly inside (0, 1).
 *
 * Writes into `out[0]`, `out[1]` (no allocation per call).
 */
import type { Rng } from '../../core/rng.js';

const TWO27 = 134217728;
const TWO26 = 67108864;

export function uniformPair(rng: Rng, out: Float64Array): void {
  const x = rng.uniform() * TWO27;
  const hi = Math.floor(x);
  out[0] = (hi + 0.5) / TWO27;
  out[1] = ((x - hi) * TWO26 + 0.5) / TWO26;
}
