/**
 * Deterministic initialisations of a diagonal Gaussian HMM. `initKMeans`: k-means++ seeding (Arthur & Vassilvitskii
 * 2007) and Lloyd iterations on standardised features, drawn from a seeded `Rng` (so the same seed
 * always gives the same start), then per-cluster means and variances in the original units.
 * Transitions start "sticky" (`stay` on the diagonal, the rest spread evenly); π is uniform.
 * Missing rows (any NaN) are ignored. Needs at least k valid rows. `initQuantile`: equal-count groups
 * along one feature (below).
 */
import { UserError } from '../../core/errors.js';
import type { Rng } from '../../core/rng.js';
import type { HmmParams } from './params.js';

export interface InitOptions {
  readonly k: number;
  /** Diagonal of the initial transition matrix. @default 0.9 */
  readonly stay: number;
  readonly varianceFloor: Float64Array;
  /** Lloyd iterations after seeding. @default 30 */
  readonly lloydIterations?: number;
  /** k-means clusters trailing means over this many consecutive complete rows. @default 1 */
  readonly smooth?: number;
}

export function initKMeans(x: Float64Array, n: number, d: number, rng: Rng, opt: InitOptions): HmmParams {
  const { k } = opt;
  const w = Math.max(1, Math.floor(opt.smooth ?? 1));
  const complete = new Uint8Array(n);
  let nValid = 0;
  for (let t = 0; t < n; t++) {
    let ok = 1;
    for (let f = 0; f < d; f++) if (Number.isNaN(x[t * d + f]!)) ok = 0;
    complete[t] = ok;
    nValid += ok;
  }
  if (nValid < k) throw new UserError(`needs at least ${k} complete observations to start ${k} states, got ${nValid}`, 'hmm');
  // Standardise (the features have different units: a daily return vs an annualised volatility).
  const mu = new Float64Array(d);
  const sd = new Float64Array(d);
  for (let t = 0; t < n; t++) if (complete[t]) for (let f = 0; f < d; f++) mu[f] = mu[f]! + x[t * d + f]! / nValid;
  for (let t = 0; t < n; t++) if (complete[t]) for (let f = 0; f < d; f++) sd[f] = sd[f]! + (x[t * d + f]! - mu[f]!) ** 2 / nValid;
  for (let f = 0; f < d; f++) sd[f] = Math.sqrt(sd[f]!) || 1;
  // Cluster on trailing means over `w` complete rows: regimes persist, so averaging a few rows removes
  // most of the per-row noise that otherwise makes k-means split one volatile state by the sign of
  // its return instead of separating the calmer states.
  const rows: number[] = [];
  let run = 0;
  for (let t = 0; t < n; t++) {
    run = complete[t] ? run + 1 : 0;
    if (run >= w) rows.push(t);
  }
  let span = w;
  if (rows.length < k) {
    // Too few complete windows: fall back to single rows.
    span = 1;
    rows.length = 0;
    for (let t = 0; t < n; t++) if (complete[t]) rows.push(t);
  }
  const m = rows.length;
  const z = new Float64Array(m * d);
  for (let r = 0; r < m; r++) {
    const t = rows[r]!;
    for (let f = 0; f < d; f++) {
      let s = 0;
      for (let i = 0; i < span; i++) s += (x[(t - i) * d + f]! - mu[f]!) / sd[f]!;
      z[r * d + f] = s / span;
    }
  }
  const dist2 = (r: number, c: Float64Array, j: number): number => {
    let s = 0;
    for (let f = 0; f < d; f++) s += (z[r * d + f]! - c[j * d + f]!) ** 2;
    return s;
  };
  // k-means++ seeding.
  const centres = new Float64Array(k * d);
  const first = Math.min(m - 1, Math.floor(rng.uniform() * m));
  for (let f = 0; f < d; f++) centres[f] = z[first * d + f]!;
  const best = new Float64Array(m).fill(Infinity);
  for (let j = 1; j < k; j++) {
    let total = 0;
    for (let r = 0; r < m; r++) {
      const dd = dist2(r, centres, j - 1);
      if (dd < best[r]!) best[r] = dd;
      total += best[r]!;
    }
    let pick = m - 1;
    if (total > 0) {
      let u = rng.uniform() * total;
      for (let r = 0; r < m; r++) {
        u -= best[r]!;
        if (u < 0) {
          pick = r;
          break;
        }
      }
    } else {
      pick = Math.min(m - 1, Math.floor(rng.uniform() * m));
    }
    for (let f = 0; f < d; f++) centres[j * d + f] = z[pick * d + f]!;
  }
  // Lloyd iterations.
  const assign = new Int32Array(m).fill(-1);
  const count = new Float64Array(k);
  const iters = opt.lloydIterations ?? 30;
  for (let it = 0; it < iters; it++) {
    let changed = false;
    for (let r = 0; r < m; r++) {
      let bj = 0;
      let bd = Infinity;
      for (let j = 0; j < k; j++) {
        const dd = dist2(r, centres, j);
        if (dd < bd) {
          bd = dd;
          bj = j;
        }
      }
      if (assign[r] !== bj) {
        assign[r] = bj;
        changed = true;
      }
    }
    if (!changed) break;
    count.fill(0);
    const sum = new Float64Array(k * d);
    for (let r = 0; r < m; r++) {
      const j = assign[r]!;
      count[j] = count[j]! + 1;
      for (let f = 0; f < d; f++) sum[j * d + f] = sum[j * d + f]! + z[r * d + f]!;
    }
    for (let j = 0; j < k; j++) if (count[j]! > 0) for (let f = 0; f < d; f++) centres[j * d + f] = sum[j * d + f]! / count[j]!;
  }
  // Emission parameters in original units; an empty cluster gets the global moments.
  const means = new Float64Array(k * d);
  const vars = new Float64Array(k * d);
  count.fill(0);
  for (let r = 0; r < m; r++) count[assign[r]!] = count[assign[r]!]! + 1;
  for (let r = 0; r < m; r++) {
    const j = assign[r]!;
    for (let f = 0; f < d; f++) means[j * d + f] = means[j * d + f]! + x[rows[r]! * d + f]! / count[j]!;
  }
  for (let r = 0; r < m; r++) {
    const j = assign[r]!;
    for (let f = 0; f < d; f++) vars[j * d + f] = vars[j * d + f]! + (x[rows[r]! * d + f]! - means[j * d + f]!) ** 2 / count[j]!;
  }
  for (let j = 0; j < k; j++) {
    for (let f = 0; f < d; f++) {
      if (count[j] === 0) {
        means[j * d + f] = mu[f]!;
        vars[j * d + f] = sd[f]! * sd[f]!;
      }
      vars[j * d + f] = Math.max(vars[j * d + f]!, opt.varianceFloor[f]!);
    }
  }
  return { k, d, pi: new Float64Array(k).fill(1 / k), trans: stickyTransitions(k, opt.stay), means, vars };
}

/**
 * Quantile start: sort the complete rows by feature `f`, cut them into k equal-count groups and use
 * each group's moments as a state's emission (no randomness; ties keep row order).
 */
export function initQuantile(x: Float64Array, n: number, d: number, f: number, opt: InitOptions): HmmParams {
  const { k } = opt;
  const rows: number[] = [];
  for (let t = 0; t < n; t++) {
    let ok = true;
    for (let g = 0; g < d; g++) if (Number.isNaN(x[t * d + g]!)) ok = false;
    if (ok) rows.push(t);
  }
  const m = rows.length;
  if (m < k) throw new UserError(`needs at least ${k} complete observations to start ${k} states, got ${m}`, 'hmm');
  rows.sort((a, b) => x[a * d + f]! - x[b * d + f]! || a - b);
  const means = new Float64Array(k * d);
  const vars = new Float64Array(k * d);
  for (let j = 0; j < k; j++) {
    const lo = Math.floor((j * m) / k);
    const hi = Math.floor(((j + 1) * m) / k);
    const c = hi - lo;
    for (let r = lo; r < hi; r++) for (let g = 0; g < d; g++) means[j * d + g] = means[j * d + g]! + x[rows[r]! * d + g]! / c;
    for (let r = lo; r < hi; r++) for (let g = 0; g < d; g++) vars[j * d + g] = vars[j * d + g]! + (x[rows[r]! * d + g]! - means[j * d + g]!) ** 2 / c;
    for (let g = 0; g < d; g++) vars[j * d + g] = Math.max(vars[j * d + g]!, opt.varianceFloor[g]!);
  }
  return { k, d, pi: new Float64Array(k).fill(1 / k), trans: stickyTransitions(k, opt.stay), means, vars };
}

/** k×k transition matrix with `stay` on the diagonal and the rest spread evenly. */
export function stickyTransitions(k: number, stay: number): Float64Array {
  const trans = new Float64Array(k * k);
  const off = k > 1 ? (1 - stay) / (k - 1) : 0;
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) trans[i * k + j] = k === 1 ? 1 : i === j ? stay : off;
  return trans;
}
