/**
 * Baum–Welch (EM) for a diagonal Gaussian HMM (Rabiner 1989, §III.C and §IV; Bishop 2006, §13.2.1).
 *
 * E-step: scaled forward–backward gives γ_t(i) = P(s_t = i | x_1..n) and
 *   ξ_t(i,j) = α̂_t(i) a_ij b'_j(x_{t+1}) β̂_{t+1}(j) / c_{t+1}.
 * M-step: π_i = γ_1(i); a_ij = (Σ_{t<n} ξ_t(i,j) + κ δ_ij) / (Σ_{t<n} γ_t(i) + κ) (κ = stickiness, 0 → ML;
 *   a Dirichlet prior favouring self-transitions, the MAP form of the "sticky" HMM of Fox et al. 2011);
 *   μ_if = Σ_t γ_t(i) x_tf / Σ_t γ_t(i);  σ²_if = max(floor_f, Σ_t γ_t(i)(x_tf − μ_if)² / Σ_t γ_t(i))
 * (sums over non-missing rows for the emissions). The variance floor is a box constraint on each
 * σ²_if, and max(floor, unconstrained optimum) is the constrained maximiser of the one-dimensional
 * concave-in-1/σ² objective, so each iteration still cannot lower the log-likelihood (EM monotonicity).
 * With κ > 0 EM climbs log L + κ Σ_i log a_ii instead (still monotone). A state with no posterior
 * weight keeps its previous emission parameters.
 *
 * Stops when the log-likelihood gain is below `tolerance · max(1, |log L|)` or after `maxIterations`
 * M-steps. The returned parameters are the ones whose log-likelihood was computed last.
 */
import { throwIfAborted } from '../../core/errors.js';
import { backwardScaled } from './backward.js';
import { logEmissions, scaleEmissions } from './emission.js';
import { forwardScaled } from './forward.js';
import { cloneParams, type HmmParams } from './params.js';

export interface BaumWelchOptions {
  /** Maximum number of M-steps. @default 200 */
  readonly maxIterations: number;
  /** Relative log-likelihood gain below which EM stops. @default 1e-6 */
  readonly tolerance: number;
  /** Lower bound for every emission variance, per feature (length d). */
  readonly varianceFloor: Float64Array;
  /**
   * Sticky prior: κ pseudo-transitions added to every self-transition (a Dirichlet(1 + κ·δ_ij) prior
   * on each row; MAP-EM). 0 = maximum likelihood. @default 0
   */
  readonly stickiness?: number;
  readonly signal?: AbortSignal;
}

export interface BaumWelchResult {
  readonly params: HmmParams;
  readonly logLik: number;
  /**
   * The EM objective of the initial parameters and after every M-step, in order (non-decreasing up to
   * rounding): log L, plus κ Σ_i log a_ii when stickiness κ > 0 (the log prior, up to a constant).
   */
  readonly history: readonly number[];
  readonly iterations: number;
  readonly converged: boolean;
}

export function baumWelch(x: Float64Array, n: number, init: HmmParams, opt: BaumWelchOptions): BaumWelchResult {
  const p = cloneParams(init);
  const { k, d } = p;
  const b = new Float64Array(n * k);
  const shift = new Float64Array(n);
  const valid = new Uint8Array(n);
  for (let t = 0; t < n; t++) {
    let ok = 1;
    for (let f = 0; f < d; f++) if (Number.isNaN(x[t * d + f]!)) ok = 0;
    valid[t] = ok;
  }
  const history: number[] = [];
  const gammaSum = new Float64Array(k);
  const xiSum = new Float64Array(k * k);
  const gammaValid = new Float64Array(k);
  const mean = new Float64Array(k * d);
  const sq = new Float64Array(k * d);
  const gamma = new Float64Array(k);
  let converged = false;
  let iterations = 0;
  const kappa = opt.stickiness ?? 0;
  for (;;) {
    throwIfAborted(opt.signal);
    logEmissions(x, n, p, b);
    scaleEmissions(b, n, k, shift);
    const fw = forwardScaled(b, shift, n, p);
    let L = fw.logLik;
    if (kappa > 0) for (let i = 0; i < k; i++) L += kappa * Math.log(p.trans[i * k + i]!);
    const prev = history.length ? history[history.length - 1]! : -Infinity;
    history.push(L);
    if (history.length > 1 && L - prev < opt.tolerance * Math.max(1, Math.abs(prev))) {
      converged = true;
      break;
    }
    if (iterations >= opt.maxIterations) break;
    const beta = backwardScaled(fw, n, p);
    const alpha = fw.alpha;
    gammaSum.fill(0);
    xiSum.fill(0);
    gammaValid.fill(0);
    mean.fill(0);
    sq.fill(0);
    for (let t = 0; t < n; t++) {
      let norm = 0;
      for (let i = 0; i < k; i++) {
        gamma[i] = alpha[t * k + i]! * beta[t * k + i]!;
        norm += gamma[i]!;
      }
      for (let i = 0; i < k; i++) {
        const g = gamma[i]! / norm;
        gamma[i] = g;
        gammaSum[i] = gammaSum[i]! + g;
        if (valid[t]) {
          gammaValid[i] = gammaValid[i]! + g;
          for (let f = 0; f < d; f++) mean[i * d + f] = mean[i * d + f]! + g * x[t * d + f]!;
        }
      }
      if (t === 0) for (let i = 0; i < k; i++) p.pi[i] = gamma[i]!;
      if (t < n - 1) {
        const c = fw.scale[t + 1]!;
        for (let i = 0; i < k; i++) {
          const ai = alpha[t * k + i]! / c;
          for (let j = 0; j < k; j++) {
            xiSum[i * k + j] = xiSum[i * k + j]! + ai * p.trans[i * k + j]! * b[(t + 1) * k + j]! * beta[(t + 1) * k + j]!;
          }
        }
      }
    }
    // Transitions (with κ pseudo-counts on the diagonal when sticky).
    for (let i = 0; i < k; i++) {
      xiSum[i * k + i] = xiSum[i * k + i]! + kappa;
      let row = 0;
      for (let j = 0; j < k; j++) row += xiSum[i * k + j]!;
      if (!(row > 0)) continue;
      for (let j = 0; j < k; j++) p.trans[i * k + j] = xiSum[i * k + j]! / row;
    }
    // Emissions: means first, then a second pass for variances around the new means (two-pass form).
    for (let i = 0; i < k; i++) {
      if (gammaValid[i]! > 0) for (let f = 0; f < d; f++) mean[i * d + f] = mean[i * d + f]! / gammaValid[i]!;
    }
    for (let t = 0; t < n; t++) {
      if (!valid[t]) continue;
      let norm = 0;
      for (let i = 0; i < k; i++) {
        gamma[i] = alpha[t * k + i]! * beta[t * k + i]!;
        norm += gamma[i]!;
      }
      for (let i = 0; i < k; i++) {
        const g = gamma[i]! / norm;
        for (let f = 0; f < d; f++) {
          const z = x[t * d + f]! - mean[i * d + f]!;
          sq[i * d + f] = sq[i * d + f]! + g * z * z;
        }
      }
    }
    for (let i = 0; i < k; i++) {
      if (!(gammaValid[i]! > 1e-300)) continue;
      for (let f = 0; f < d; f++) {
        p.means[i * d + f] = mean[i * d + f]!;
        p.vars[i * d + f] = Math.max(opt.varianceFloor[f]!, sq[i * d + f]! / gammaValid[i]!);
      }
    }
    iterations++;
  }
  return { params: p, logLik: history[history.length - 1]!, history, iterations, converged };
}
