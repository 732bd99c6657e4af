/** Test helper: draw a path and observations from a known diagonal Gaussian HMM with createRng. */
import { createRng } from '../../../src/core/rng.js';
import type { HmmParams } from '../../../src/regime/hmm/params.js';

export function params(k: number, d: number, pi: number[], trans: number[], means: number[], vars: number[]): HmmParams {
  return { k, d, pi: Float64Array.from(pi), trans: Float64Array.from(trans), means: Float64Array.from(means), vars: Float64Array.from(vars) };
}

export function simulateHmm(p: HmmParams, n: number, seed: number): { x: Float64Array; states: Int32Array } {
  const rng = createRng(seed, 'test.hmm.simulate');
  const { k, d } = p;
  const x = new Float64Array(n * d);
  const states = new Int32Array(n);
  const draw = (probs: ArrayLike<number>, off: number): number => {
    let u = rng.uniform();
    for (let j = 0; j < k; j++) {
      u -= probs[off + j]!;
      if (u < 0) return j;
    }
    return k - 1;
  };
  let s = draw(p.pi, 0);
  for (let t = 0; t < n; t++) {
    if (t > 0) s = draw(p.trans, s * k);
    states[t] = s;
    for (let f = 0; f < d; f++) x[t * d + f] = p.means[s * d + f]! + Math.sqrt(p.vars[s * d + f]!) * rng.normal();
  }
  return { x, states };
}

/** A 4-state model shaped like daily [return, annualised vol]: bull, choppy, bear, crash. */
export const FOUR_STATE = params(
  4,
  2,
  [0.25, 0.25, 0.25, 0.25],
  [0.97, 0.01, 0.015, 0.005, 0.02, 0.95, 0.02, 0.01, 0.02, 0.02, 0.94, 0.02, 0.03, 0.03, 0.04, 0.9],
  [0.001, 0.1, 0.0, 0.16, -0.001, 0.25, -0.004, 0.55],
  [0.008 ** 2, 0.015 ** 2, 0.01 ** 2, 0.02 ** 2, 0.015 ** 2, 0.03 ** 2, 0.035 ** 2, 0.08 ** 2],
);
