/**
 * The HMM regime timeline: fitted parameters, then FILTERED state probabilities P(s_t | x_1..x_t)
 * per day, aggregated by state label (bull / choppy / bear / crash).
 *
 * fit_window (config `regime.hmm.fit_window`):
 *   'full' (default): one fit on every row, then the filter. The recursion is causal (row t uses
 *                rows ≤ t), but the parameters saw the whole sample: in-sample, flagged `inSample`.
 *                On three years of daily crypto this is what recovers the planted regimes; with
 *                refits, the first year rarely contains all four regimes (docs/regime.md).
 *   'expanding': evaluation blocks of `refit_every_days` rows start after
 *                `min_train_days`; the block [s, s+R) uses parameters fitted on rows [0, s) only,
 *                and its probabilities come from the forward filter run with those parameters over
 *                rows [0, s+R). Every probability at day t therefore depends on days ≤ t only.
 *   'rolling':   the same with training rows [s − window_days, s) and the filter started there.
 * Each refit starts from the previous fit's parameters, the quantile starts and `refit_restarts`
 * k-means++ starts (the first fit uses `restarts`): this keeps state labels stable from block to
 * block and refits cheap.
 */
import { UserError, throwIfAborted } from '../../core/errors.js';
import type { HmmConfig } from '../../config/sections/regime.js';
import { lastAtOrBefore } from '../../core/sorted.js';
import { fitGaussianHmm } from './fit.js';
import { forwardFilter } from './forward.js';
import { HMM_LABELS, labelStates, type HmmLabel } from './labels.js';
import type { HmmObservations } from './observations.js';
import { paramsToJson, type HmmParams } from './params.js';

export interface HmmFitRecord {
  /** Training rows [trainFrom, trainTo). */
  readonly trainFrom: number;
  readonly trainTo: number;
  /** Rows whose probabilities come from this fit, [evalFrom, evalTo). */
  readonly evalFrom: number;
  readonly evalTo: number;
  readonly params: ReturnType<typeof paramsToJson>;
  readonly labels: readonly HmmLabel[];
  readonly logLik: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly start: string;
}

export interface HmmSnapshot {
  /** Most probable label. */
  readonly label: HmmLabel;
  /** Filtered probability of each label (sums to 1). */
  readonly probs: Readonly<Record<HmmLabel, number>>;
  /** When this filtered distribution became known. */
  readonly knownAt: number;
  /** True when the parameters were fitted on data after knownAt ('full' fit window). */
  readonly inSample: boolean;
}

export interface HmmTimeline {
  readonly obs: HmmObservations;
  readonly mode: HmmConfig['fit_window'];
  /** True when the parameters saw data after the rows they label ('full'). */
  readonly inSample: boolean;
  /** n × HMM_LABELS.length filtered probabilities by label (NaN before evalFrom). */
  readonly probs: Float64Array;
  /** Most probable label per row (index into HMM_LABELS, −1 before evalFrom). */
  readonly label: Int8Array;
  readonly evalFrom: number;
  readonly fits: readonly HmmFitRecord[];
  /** Filtered snapshot known at time t, undefined before the first evaluated day. */
  readonly lookup: (t: number) => HmmSnapshot | undefined;
}

export interface HmmRunOptions {
  readonly seed: number;
  readonly states?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number) => void;
}

function blocks(n: number, cfg: HmmConfig): { trainFrom: number; trainTo: number; evalFrom: number; evalTo: number }[] {
  if (cfg.fit_window === 'full') return [{ trainFrom: 0, trainTo: n, evalFrom: 0, evalTo: n }];
  const out: { trainFrom: number; trainTo: number; evalFrom: number; evalTo: number }[] = [];
  for (let s = cfg.min_train_days; s < n; s += cfg.refit_every_days) {
    const trainFrom = cfg.fit_window === 'rolling' ? Math.max(0, s - cfg.window_days) : 0;
    out.push({ trainFrom, trainTo: s, evalFrom: s, evalTo: Math.min(n, s + cfg.refit_every_days) });
  }
  return out;
}

export function runHmm(obs: HmmObservations, cfg: HmmConfig, opt: HmmRunOptions): HmmTimeline {
  const k = opt.states ?? cfg.states;
  if (!(Number.isInteger(k) && k >= 2 && k <= 8)) throw new UserError(`states must be a whole number from 2 to 8, got ${k}`, '--states');
  const { n, d, x } = obs;
  const minRows = 10 * k;
  if (cfg.fit_window !== 'full' && n <= cfg.min_train_days) {
    throw new UserError(
      `${obs.source} has ${n} days of HMM observations; fit_window '${cfg.fit_window}' needs more than min_train_days (${cfg.min_train_days}) — load more history or lower regime.hmm.min_train_days`,
      'regime.hmm',
    );
  }
  if (n < minRows) throw new UserError(`${obs.source} has ${n} days of HMM observations; ${k} states need at least ${minRows}`, 'regime.hmm');
  const L = HMM_LABELS.length;
  const probs = new Float64Array(n * L).fill(NaN);
  const label = new Int8Array(n).fill(-1);
  const fits: HmmFitRecord[] = [];
  const plan = blocks(n, cfg);
  const retIdx = obs.features.indexOf('return');
  let prev: HmmParams | undefined;
  plan.forEach((b, bi) => {
    throwIfAborted(opt.signal);
    const trainN = b.trainTo - b.trainFrom;
    if (trainN < minRows) throw new UserError(`training window of ${trainN} days is too short for ${k} states (needs ${minRows})`, 'regime.hmm');
    const fit = fitGaussianHmm(x.subarray(b.trainFrom * d, b.trainTo * d), trainN, d, {
      k,
      maxIterations: cfg.max_iterations,
      tolerance: cfg.tolerance,
      varianceFloorFraction: cfg.variance_floor,
      restarts: prev ? cfg.refit_restarts : cfg.restarts,
      screenIterations: cfg.screen_iterations,
      stay: cfg.init_stay,
      stickiness: cfg.stickiness,
      seed: opt.seed,
      stream: 'regime.hmm',
      ...(prev ? { extraStarts: [prev] } : {}),
      ...(opt.signal ? { signal: opt.signal } : {}),
    });
    prev = fit.params;
    const p = fit.params;
    const means: number[] = [];
    const vars: number[] = [];
    for (let j = 0; j < k; j++) {
      means.push(p.means[j * d + retIdx]!);
      vars.push(p.vars[j * d + retIdx]!);
    }
    const labels = labelStates(means, vars);
    const labelIdx = labels.map((l) => HMM_LABELS.indexOf(l));
    const filterFrom = cfg.fit_window === 'rolling' ? b.trainFrom : 0;
    const fw = forwardFilter(x.subarray(filterFrom * d, b.evalTo * d), b.evalTo - filterFrom, p);
    for (let t = b.evalFrom; t < b.evalTo; t++) {
      const row = t - filterFrom;
      for (let q = 0; q < L; q++) probs[t * L + q] = 0;
      for (let j = 0; j < k; j++) probs[t * L + labelIdx[j]!] = probs[t * L + labelIdx[j]!]! + fw.alpha[row * k + j]!;
      let best = 0;
      for (let q = 1; q < L; q++) if (probs[t * L + q]! > probs[t * L + best]!) best = q;
      label[t] = best;
    }
    fits.push({
      ...b,
      params: paramsToJson(p),
      labels,
      logLik: fit.logLik,
      iterations: fit.iterations,
      converged: fit.converged,
      start: fit.start,
    });
    opt.onProgress?.(bi + 1, plan.length);
  });
  const evalFrom = plan[0]!.evalFrom;
  const lookup = (t: number): HmmSnapshot | undefined => {
    const i = lastAtOrBefore(obs.knownAt, t);
    if (i < evalFrom || i < 0) return undefined;
    const pr = {} as Record<HmmLabel, number>;
    HMM_LABELS.forEach((l, q) => (pr[l] = probs[i * L + q]!));
    return { label: HMM_LABELS[label[i]!]!, probs: pr, knownAt: obs.knownAt[i]!, inSample: cfg.fit_window === 'full' };
  };
  return { obs, mode: cfg.fit_window, inSample: cfg.fit_window === 'full', probs, label, evalFrom, fits, lookup };
}
