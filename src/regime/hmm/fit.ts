/**
 * Fit a diagonal Gaussian HMM with a deterministic multi-start ("short EM then long EM", Biernacki,
 * Celeux & Govaert 2003, "Choosing starting values for the EM algorithm"):
 *
 *   candidates: any `extraStarts` (a previous fit), one quantile start per feature (equal-count groups along that feature), then for each
 *               smoothing window w in `smoothWindows`, `restarts` k-means++ starts on trailing w-row
 *               means, each from its own seeded stream `<stream>.init.w<w>.<r>`;
 *   screening:  `screenIterations` Baum–Welch steps from every candidate;
 *   final:      Baum–Welch to convergence from the candidate with the highest screened log-likelihood
 *               (ties → the earlier candidate).
 *
 * Same data, options and seed → the same parameters, bit for bit.
 */
import { UserError } from '../../core/errors.js';
import { createRng } from '../../core/rng.js';
import { baumWelch, type BaumWelchResult } from './baum-welch.js';
import { initKMeans, initQuantile } from './init.js';
import type { HmmParams } from './params.js';

export interface HmmFitOptions {
  readonly k: number;
  /** @default 200 */
  readonly maxIterations: number;
  /** @default 1e-6 */
  readonly tolerance: number;
  /** Variance floor as a fraction of each feature's sample variance. @default 1e-3 */
  readonly varianceFloorFraction: number;
  /** k-means++ starts per smoothing window (besides the per-feature quantile starts). @default 2 */
  readonly restarts: number;
  /** Trailing-mean windows (rows) the k-means++ starts cluster on. @default [1, 5, 10] */
  readonly smoothWindows?: readonly number[];
  /** Baum–Welch steps run from every start before the best one is continued. @default 10 */
  readonly screenIterations?: number;
  /** Sticky prior pseudo-counts on self-transitions (see baumWelch). @default 0 */
  readonly stickiness?: number;
  /** Initial transition-matrix diagonal. @default 0.9 */
  readonly stay: number;
  readonly seed: number;
  /** Stream-name prefix for the seeded starts. @default 'regime.hmm' */
  readonly stream?: string;
  /** Extra candidate starts tried first (e.g. the previous walk-forward fit). */
  readonly extraStarts?: readonly HmmParams[];
  readonly signal?: AbortSignal;
}

export interface HmmFitResult extends BaumWelchResult {
  /** Which start won: 'extra:<i>', 'quantile:<feature index>' or 'kmeans:w<window>:<r>'. */
  readonly start: string;
  readonly varianceFloor: Float64Array;
}

/** Per-feature variance floor: fraction × sample variance over complete rows (never below 1e-300). */
export function varianceFloorOf(x: Float64Array, n: number, d: number, fraction: number): Float64Array {
  const floor = new Float64Array(d);
  for (let f = 0; f < d; f++) {
    let m = 0;
    let c = 0;
    for (let t = 0; t < n; t++) {
      const v = x[t * d + f]!;
      if (Number.isNaN(v)) continue;
      c++;
      m += (v - m) / c;
    }
    let s = 0;
    for (let t = 0; t < n; t++) {
      const v = x[t * d + f]!;
      if (!Number.isNaN(v)) s += (v - m) * (v - m);
    }
    floor[f] = Math.max(1e-300, c > 1 ? (fraction * s) / (c - 1) : 1e-300);
  }
  return floor;
}

export function fitGaussianHmm(x: Float64Array, n: number, d: number, opt: HmmFitOptions): HmmFitResult {
  if (!(Number.isInteger(opt.k) && opt.k >= 1)) throw new UserError(`states must be a whole number ≥ 1, got ${opt.k}`, 'hmm');
  if (x.length !== n * d) throw new UserError(`observation matrix has ${x.length} values, expected ${n}×${d}`, 'hmm');
  const varianceFloor = varianceFloorOf(x, n, d, opt.varianceFloorFraction);
  const initOpt = { k: opt.k, stay: opt.stay, varianceFloor };
  const starts: { name: string; params: HmmParams }[] = [];
  (opt.extraStarts ?? []).forEach((params, i) => {
    if (params.k === opt.k && params.d === d) starts.push({ name: `extra:${i}`, params });
  });
  for (let f = 0; f < d; f++) starts.push({ name: `quantile:${f}`, params: initQuantile(x, n, d, f, initOpt) });
  for (const w of opt.smoothWindows ?? [1, 5, 10]) {
    for (let r = 0; r < Math.max(0, opt.restarts); r++) {
      const rng = createRng(opt.seed, `${opt.stream ?? 'regime.hmm'}.init.w${w}.${r}`);
      starts.push({ name: `kmeans:w${w}:${r}`, params: initKMeans(x, n, d, rng, { ...initOpt, smooth: w }) });
    }
  }
  const signal = { ...(opt.signal ? { signal: opt.signal } : {}), stickiness: opt.stickiness ?? 0 };
  const screen = Math.min(opt.screenIterations ?? 10, opt.maxIterations);
  let best: { name: string; res: BaumWelchResult } | undefined;
  for (const s of starts) {
    const res = baumWelch(x, n, s.params, { maxIterations: screen, tolerance: opt.tolerance, varianceFloor, ...signal });
    if (!best || res.logLik > best.res.logLik) best = { name: s.name, res };
  }
  const screened = best!.res;
  const rest = screened.converged
    ? screened
    : baumWelch(x, n, screened.params, { maxIterations: opt.maxIterations - screened.iterations, tolerance: opt.tolerance, varianceFloor, ...signal });
  const history = screened === rest ? screened.history : [...screened.history, ...rest.history.slice(1)];
  return {
    params: rest.params,
    logLik: rest.logLik,
    history,
    iterations: screened.iterations + (screened === rest ? 0 : rest.iterations),
    converged: rest.converged,
    start: best!.name,
    varianceFloor,
  };
}
