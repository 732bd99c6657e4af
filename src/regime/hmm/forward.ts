/**
 * The forward (filtering) recursion with per-step normalisation (Rabiner 1989, §V.A "scaling").
 *
 *   α̂_1(j) ∝ π_j b_j(x_1),   α̂_t(j) ∝ [Σ_i α̂_{t−1}(i) a_ij] b_j(x_t),   Σ_j α̂_t(j) = 1
 *
 * α̂_t(j) = P(s_t = j | x_1..x_t): the FILTERED probability, which uses nothing after t. This is the
 * only HMM quantity that models may use at time t (smoothed probabilities from the backward pass
 * look ahead and are used only inside Baum–Welch). log L = Σ_t (log c_t + m_t), where c_t is the
 * step's normaliser and m_t the emission shift of `scaleEmissions`.
 *
 * O(n·k²). `start` lets a caller resume from a given filtered distribution (prior for row 0 is then
 * `start · A` instead of π).
 */
import { InvariantError } from '../../core/errors.js';
import { logEmissions, scaleEmissions } from './emission.js';
import type { HmmParams } from './params.js';

export interface ForwardResult {
  /** n×k filtered probabilities, row-major. */
  readonly alpha: Float64Array;
  /** Per-step normalisers c_t (of the shifted emissions). */
  readonly scale: Float64Array;
  /** Per-step emission shifts m_t. */
  readonly shift: Float64Array;
  /** Scaled emissions b'_tj (kept for the backward pass). */
  readonly b: Float64Array;
  readonly logLik: number;
}

/** Forward pass from precomputed scaled emissions `b` (n×k) and shifts. */
export function forwardScaled(b: Float64Array, shift: Float64Array, n: number, p: HmmParams, start?: Float64Array): ForwardResult {
  const { k, pi, trans } = p;
  const alpha = new Float64Array(n * k);
  const scale = new Float64Array(n);
  let logLik = 0;
  for (let t = 0; t < n; t++) {
    let c = 0;
    for (let j = 0; j < k; j++) {
      let prior = 0;
      if (t === 0) {
        if (start) for (let i = 0; i < k; i++) prior += start[i]! * trans[i * k + j]!;
        else prior = pi[j]!;
      } else {
        for (let i = 0; i < k; i++) prior += alpha[(t - 1) * k + i]! * trans[i * k + j]!;
      }
      // Floors (1e-100 on the prior, 1e-200 on the scaled emission in scaleEmissions) keep every
      // product ≥ 1e-300, so a degenerate fit (π or a row of A underflowing to ~1e-310) can never make
      // c_t zero; they change probabilities only below 1e-100.
      const v = (prior > 1e-100 ? prior : 1e-100) * b[t * k + j]!;
      alpha[t * k + j] = v;
      c += v;
    }
    if (!(c > 0)) throw new InvariantError(`hmm forward: zero likelihood at step ${t} (degenerate parameters)`);
    for (let j = 0; j < k; j++) alpha[t * k + j] = alpha[t * k + j]! / c;
    scale[t] = c;
    logLik += Math.log(c) + shift[t]!;
  }
  return { alpha, scale, shift, b, logLik };
}

/** Filtered probabilities P(s_t | x_1..t) for the n×d observations `x` under parameters `p`. */
export function forwardFilter(x: Float64Array, n: number, p: HmmParams, start?: Float64Array): ForwardResult {
  const b = logEmissions(x, n, p);
  const shift = scaleEmissions(b, n, p.k);
  return forwardScaled(b, shift, n, p, start);
}
