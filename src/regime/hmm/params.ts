/**
 * Parameters of a Gaussian hidden Markov model with diagonal covariance.
 *
 * Layout (row-major, all Float64Array): `pi[k]` initial distribution, `trans[i*k + j]` = P(s_t = j | s_{t-1} = i),
 * `means[j*d + f]` and `vars[j*d + f]` the emission mean and variance of feature f in state j.
 * Observations are an n×d row-major Float64Array; a row with any NaN is a missing observation
 * (its emission likelihood is 1 in every state, so the filter just propagates the prior).
 */
import { InvariantError } from '../../core/errors.js';

export interface HmmParams {
  /** Number of hidden states. */
  readonly k: number;
  /** Number of features per observation. */
  readonly d: number;
  readonly pi: Float64Array;
  readonly trans: Float64Array;
  readonly means: Float64Array;
  readonly vars: Float64Array;
}

/** Throw an InvariantError when shapes disagree or a probability row does not sum to 1 (to 1e-8). */
export function checkParams(p: HmmParams): void {
  const { k, d } = p;
  if (!(k >= 1 && d >= 1)) throw new InvariantError(`hmm: k=${k}, d=${d} must both be ≥ 1`);
  if (p.pi.length !== k || p.trans.length !== k * k || p.means.length !== k * d || p.vars.length !== k * d) {
    throw new InvariantError('hmm: parameter arrays do not match k and d');
  }
  let s = 0;
  for (let i = 0; i < k; i++) s += p.pi[i]!;
  if (Math.abs(s - 1) > 1e-8) throw new InvariantError(`hmm: initial distribution sums to ${s}`);
  for (let i = 0; i < k; i++) {
    let r = 0;
    for (let j = 0; j < k; j++) r += p.trans[i * k + j]!;
    if (Math.abs(r - 1) > 1e-8) throw new InvariantError(`hmm: transition row ${i} sums to ${r}`);
  }
  for (let i = 0; i < k * d; i++) {
    if (!(p.vars[i]! > 0) || !Number.isFinite(p.means[i]!)) throw new InvariantError('hmm: emission variance must be > 0 and means finite');
  }
}

export function cloneParams(p: HmmParams): HmmParams {
  return { k: p.k, d: p.d, pi: p.pi.slice(), trans: p.trans.slice(), means: p.means.slice(), vars: p.vars.slice() };
}

/** Plain-number copy for results and session state (JSON-serialisable). */
export function paramsToJson(p: HmmParams): { k: number; d: number; pi: number[]; trans: number[]; means: number[]; vars: number[] } {
  return { k: p.k, d: p.d, pi: [...p.pi], trans: [...p.trans], means: [...p.means], vars: [...p.vars] };
}
