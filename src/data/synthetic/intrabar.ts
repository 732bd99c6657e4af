/**
 * Intrabar high and low from a Brownian bridge. Within a bar the log price is modelled as a
 * Brownian motion with the bar's conditional standard deviation σ, pinned at the bar's net log
 * return r. The maximum M of such a bridge satisfies P(M > m) = exp(−2 m (m − r) / σ²) for
 * m ≥ max(0, r), so by inversion
 *
 *   M = (r + √(r² − 2σ² ln U₁)) / 2,   m = (r − √(r² − 2σ² ln U₂)) / 2
 *
 * (the minimum by symmetry). Reference: P. Glasserman (2004), Monte Carlo Methods in Financial
 * Engineering, §6.4. The maximum and minimum are drawn independently (an approximation: the
 * joint law couples them weakly). Returned as excursions beyond the body so they can be re-applied
 * to a return that later receives a planted drift:
 *
 *   up = M − max(0, r) ≥ 0,   dn = min(0, r) − m ≥ 0,
 *   log high = log open + max(0, r') + up,   log low = log open + min(0, r') − dn.
 *
 * O(n); one uniform pair (uniform-pair.ts) per bar.
 */
import type { Rng } from '../../core/rng.js';
import { uniformPair } from './uniform-pair.js';

export function bridgeExcursions(rng: Rng, r: Float64Array, sd: Float64Array): { up: Float64Array; dn: Float64Array } {
  const n = r.length;
  const up = new Float64Array(n);
  const dn = new Float64Array(n);
  const u = new Float64Array(2);
  for (let t = 0; t < n; t++) {
    const x = r[t]!;
    const v2 = 2 * sd[t]! * sd[t]!;
    uniformPair(rng, u);
    const u1 = u[0]!;
    const u2 = u[1]!;
    const hi = 0.5 * (x + Math.sqrt(x * x - v2 * Math.log(u1)));
    const lo = 0.5 * (x - Math.sqrt(x * x - v2 * Math.log(u2)));
    const a = hi - (x > 0 ? x : 0);
    const b = (x < 0 ? x : 0) - lo;
    up[t] = a > 0 ? a : 0; // rounding can leave −1 ulp
    dn[t] = b > 0 ? b : 0;
  }
  return { up, dn };
}
