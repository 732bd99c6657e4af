/**
 * Log emission densities of a diagonal Gaussian HMM.
 *
 *   log b_j(x) = −½ Σ_f [ log(2π σ²_jf) + (x_f − μ_jf)² / σ²_jf ]
 *
 * Writes `out[t*k + j]` for every row t of the n×d observation matrix `x`. A row containing a NaN
 * is a missing observation: log b_j = 0 for every j (likelihood 1, the filter propagates the prior).
 * O(n·k·d), no allocation besides the output (pass `out` to reuse a buffer).
 */
import type { HmmParams } from './params.js';

const LOG_2PI = Math.log(2 * Math.PI);

export function logEmissions(x: Float64Array, n: number, p: HmmParams, out?: Float64Array): Float64Array {
  const { k, d, means, vars } = p;
  const res = out ?? new Float64Array(n * k);
  // Per-state constants, computed once: Σ_f log(2π σ²_jf) and 1/σ²_jf.
  const konst = new Float64Array(k);
  const inv = new Float64Array(k * d);
  for (let j = 0; j < k; j++) {
    let c = 0;
    for (let f = 0; f < d; f++) {
      c += LOG_2PI + Math.log(vars[j * d + f]!);
      inv[j * d + f] = 1 / vars[j * d + f]!;
    }
    konst[j] = c;
  }
  for (let t = 0; t < n; t++) {
    let missing = false;
    for (let f = 0; f < d; f++) if (Number.isNaN(x[t * d + f]!)) missing = true;
    for (let j = 0; j < k; j++) {
      if (missing) {
        res[t * k + j] = 0;
        continue;
      }
      let s = konst[j]!;
      for (let f = 0; f < d; f++) {
        const z = x[t * d + f]! - means[j * d + f]!;
        s += z * z * inv[j * d + f]!;
      }
      res[t * k + j] = -0.5 * s;
    }
  }
  return res;
}

/**
 * Turn log emissions into scaled likelihoods in place: b'_tj = exp(log b_tj − m_t) with m_t = max_j log b_tj,
 * and return the shifts m_t (added back to the log-likelihood by the forward pass). Keeps every
 * row's largest entry at 1, so products over long sequences never underflow.
 */
export function scaleEmissions(logB: Float64Array, n: number, k: number, shifts?: Float64Array): Float64Array {
  const m = shifts ?? new Float64Array(n);
  for (let t = 0; t < n; t++) {
    let mx = -Infinity;
    for (let j = 0; j < k; j++) if (logB[t * k + j]! > mx) mx = logB[t * k + j]!;
    m[t] = mx;
    // Floor at 1e-200: a state more than ~460 nats less likely than the best one keeps a tiny positive
    // likelihood, so a blocked transition path can never turn the normaliser c_t into 0.
    for (let j = 0; j < k; j++) logB[t * k + j] = Math.max(Math.exp(logB[t * k + j]! - mx), 1e-200);
  }
  return m;
}
