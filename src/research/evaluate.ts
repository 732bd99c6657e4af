/**
 * One hypothesis' statistics from its observations: the action's signed excess returns x_i
 * (action +1 trades with the event's direction, −1 against it), n, mean, sd, hit rate (share of
 * x_i > 0), the day-clustered standard error (stats/clustered-se.ts) and t with G − 1 degrees of
 * freedom, the one-sided p-value for mean > 0, a moving-block bootstrap CI over days, the
 * cost-adjusted expectancy (mean − round-trip cost) and regime stability: the share of regimes
 * and calendar years (each with at least `minGroup` events) whose mean has the overall sign.
 */
import type { Rng } from '../core/rng.js';
import { blockBootstrapMeanCi, clusteredMeanSe, meanAndSd, tPValue } from './stats/index.js';
import type { Observations } from './event-study.js';
import { UNKNOWN } from './context.js';

export interface HypothesisStats {
  readonly n: number;
  readonly days: number;
  /** Mean signed excess return, bps. */
  readonly meanBps: number;
  readonly sdBps: number;
  readonly seBps: number;
  readonly hitRate: number;
  readonly t: number;
  readonly df: number;
  readonly p: number;
  readonly ciLoBps: number;
  readonly ciHiBps: number;
  readonly costBps: number;
  readonly expectancyBps: number;
  /** Share of regime and year groups whose mean has the overall sign (NaN when no group qualifies). */
  readonly stability: number;
  readonly stabilityGroups: number;
}

export interface EvaluateOptions {
  readonly costBps: number;
  readonly bootstrapDraws: number;
  readonly blockDays: number;
  readonly level: number;
  readonly minGroup: number;
  readonly rng: Rng;
}

export function evaluate(o: Observations, idx: Int32Array, action: 1 | -1, opt: EvaluateOptions): HypothesisStats {
  const n = idx.length;
  const x = new Float64Array(n);
  const day = new Float64Array(n);
  let hits = 0;
  for (let k = 0; k < n; k++) {
    x[k] = action * o.excess[idx[k]!]! * 1e4;
    day[k] = o.day[idx[k]!]!;
    if (x[k]! > 0) hits++;
  }
  const { mean, sd } = meanAndSd(x);
  const cl = clusteredMeanSe(x, day);
  const t = mean / cl.se;
  const p = tPValue(t, cl.df, 'greater');
  const ci = blockBootstrapMeanCi(x, day, { blockLength: opt.blockDays, draws: opt.bootstrapDraws, level: opt.level, rng: opt.rng });
  const st = stability(o, idx, x, mean, opt.minGroup);
  return {
    n,
    days: cl.clusters,
    meanBps: mean,
    sdBps: sd,
    seBps: cl.se,
    hitRate: n ? hits / n : NaN,
    t,
    df: cl.df,
    p,
    ciLoBps: ci.lo,
    ciHiBps: ci.hi,
    costBps: opt.costBps,
    expectancyBps: mean - opt.costBps,
    stability: st.share,
    stabilityGroups: st.groups,
  };
}

function stability(o: Observations, idx: Int32Array, x: Float64Array, mean: number, minGroup: number): { share: number; groups: number } {
  const sums = new Map<string, [number, number]>();
  const add = (key: string, v: number): void => {
    const e = sums.get(key);
    if (e) (e[0] += v), e[1]++;
    else sums.set(key, [v, 1]);
  };
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k]!;
    add(`y${o.year[i]}`, x[k]!);
    if (o.regime[i] !== UNKNOWN) add(`r${o.regime[i]}`, x[k]!);
  }
  let groups = 0;
  let same = 0;
  for (const [s, c] of sums.values()) {
    if (c < minGroup) continue;
    groups++;
    if (Math.sign(s) === Math.sign(mean)) same++;
  }
  return { share: groups ? same / groups : NaN, groups };
}
