/**
 * A GARCH(1,1) path with Student-t shocks and a regime-dependent level.
 *
 *   z_t ~ t_ν (unit variance),  h_t = (1 − α − β) + α h_{t−1} z²_{t−1} + β h_{t−1},  h_0 = 1
 *   σ_t = scale_t · m(S_t) · √h_t,  ε_t = σ_t z_t
 *
 * h is the standardised conditional variance (E[h] = 1), so the regime multiplier m(S) sets the
 * level and GARCH clusters around it. With `groupSize` g > 1 (equities: the 14 segments of a
 * trading day) h is updated once per group from the group's standardised shock
 * Z = Σ scale_j z_j / √(Σ scale_j²), i.e. a daily GARCH whose day is split into segments. The fourth moment is finite when β² + 2αβ + κα² < 1 with
 * κ = E[z⁴] = 3(ν−2)/(ν−4) (Bollerslev 1986, "Generalized autoregressive conditional
 * heteroskedasticity", J. Econometrics 31; He & Teräsvirta 1999 for the moment condition).
 * O(n), one t draw per step; the outputs are allocated once.
 */
import type { Rng } from '../../core/rng.js';
import { InvariantError } from '../../core/errors.js';
import { studentTUnit } from './student-t.js';

export interface GarchSpec {
  readonly alpha: number;
  readonly beta: number;
  readonly nu: number;
}

export interface GarchPath {
  /** Shock ε_t = σ_t z_t. */
  readonly eps: Float64Array;
  /** Conditional standard deviation σ_t. */
  readonly sd: Float64Array;
}

/**
 * @param regimeOfStep regime code per step
 * @param volMult volatility multiplier per regime code
 * @param scale base volatility, a number or one value per step
 */
export function garchPath(
  rng: Rng,
  regimeOfStep: Uint8Array,
  volMult: readonly number[],
  scale: number | Float64Array,
  spec: GarchSpec,
  groupSize = 1,
): GarchPath {
  const { alpha, beta, nu } = spec;
  if (!(alpha >= 0 && beta >= 0 && alpha + beta < 1 && nu > 2)) throw new InvariantError('GARCH needs α, β ≥ 0, α + β < 1 and ν > 2');
  if (!(Number.isInteger(groupSize) && groupSize >= 1)) throw new InvariantError('GARCH group size must be a whole number ≥ 1');
  const n = regimeOfStep.length;
  const eps = new Float64Array(n);
  const sd = new Float64Array(n);
  const omega = 1 - alpha - beta;
  const scalar = typeof scale === 'number';
  let h = 1;
  let sumShock = 0;
  let sumScale2 = 0;
  for (let t = 0; t < n; t++) {
    const base = scalar ? (scale as number) : (scale as Float64Array)[t]!;
    const s = base * volMult[regimeOfStep[t]!]! * Math.sqrt(h);
    const z = studentTUnit(rng, nu);
    sd[t] = s;
    eps[t] = s * z;
    if (groupSize === 1) {
      h = omega + alpha * h * z * z + beta * h;
    } else {
      sumShock += base * z;
      sumScale2 += base * base;
      if ((t + 1) % groupSize === 0) {
        const zz = (sumShock * sumShock) / sumScale2;
        h = omega + alpha * h * zz + beta * h;
        sumShock = 0;
        sumScale2 = 0;
      }
    }
  }
  return { eps, sd };
}
