/**
 * Robustness probes on an edge candidate; it stands only if it survives all four:
 *
 *   perturbation  every neighbouring parameter set of the family (family.perturb) gives mean > 0 and t ≥ 2
 *   time_split    the first and the second half of its events (by time) both have mean > 0
 *   double_costs  lower CI bound − 2 × round-trip cost > 0
 *   placebo       event times shuffled within blocks of 30 days per asset (directions kept), R times:
 *                 p = (1 + #{placebo mean ≥ real mean}) / (R + 1) ≤ 0.05
 */
import { DAY } from '../core/time.js';
import type { Rng } from '../core/rng.js';
import { clusteredMeanSe, meanAndSd } from './stats/index.js';
import { conditionById, select } from './conditions.js';
import type { Hypothesis } from './hypotheses.js';
import { detectGroup, eventSet, type GroupEvents, type Skip } from './study.js';
import type { FamilyEvent } from './types.js';

export interface ProbeResult {
  readonly pass: boolean;
  readonly detail: string;
}

export interface Probes {
  readonly perturbation: ProbeResult;
  readonly timeSplit: ProbeResult;
  readonly doubleCosts: ProbeResult;
  readonly placebo: ProbeResult;
}

export const PLACEBO_ROUNDS = 40;
const PLACEBO_BLOCK_DAYS = 30;

const fmt = (x: number): string => (Number.isFinite(x) ? x.toFixed(1) : 'NaN');

/** Mean (bps) and day-clustered t of the hypothesis' condition and action on an event set. */
function meanAndT(h: Hypothesis, g: GroupEvents): { mean: number; t: number; n: number } {
  const set = eventSet(g, h.horizon);
  const idx = select(set.obs, conditionById(h.condition)!);
  const x = Float64Array.from(idx, (i) => h.action * set.obs.excess[i]! * 1e4);
  const day = Float64Array.from(idx, (i) => set.obs.day[i]!);
  const { mean } = meanAndSd(x);
  return { mean, t: mean / clusteredMeanSe(x, day).se, n: x.length };
}

export function probeCandidate(h: Hypothesis, base: GroupEvents, rng: Rng): Probes {
  return {
    perturbation: perturbation(h, base),
    timeSplit: timeSplit(h, base),
    doubleCosts: doubleCosts(h),
    placebo: placebo(h, base, rng),
  };
}

function perturbation(h: Hypothesis, base: GroupEvents): ProbeResult {
  const variants = base.family.perturb(base.params).map((p) => meanAndT(h, detectGroup(base.family, base.group, [] as Skip[], p)));
  const pass = variants.every((v) => v.mean > 0 && v.t >= 2);
  return { pass, detail: variants.map((v) => `${fmt(v.mean)} bp t ${v.t.toFixed(1)}`).join('; ') };
}

function timeSplit(h: Hypothesis, base: GroupEvents): ProbeResult {
  const set = eventSet(base, h.horizon);
  const idx = select(set.obs, conditionById(h.condition)!); // observations are in time order
  const half = Math.floor(idx.length / 2);
  const mean = (from: number, to: number): number => {
    let s = 0;
    for (let k = from; k < to; k++) s += h.action * set.obs.excess[idx[k]!]! * 1e4;
    return s / (to - from);
  };
  const first = mean(0, half);
  const second = mean(half, idx.length);
  return { pass: first > 0 && second > 0, detail: `first half ${fmt(first)} bp, second half ${fmt(second)} bp` };
}

function doubleCosts(h: Hypothesis): ProbeResult {
  const v = h.stats.ciLoBps - 2 * h.stats.costBps;
  return { pass: v > 0, detail: `CI low ${fmt(h.stats.ciLoBps)} − 2 × ${fmt(h.stats.costBps)} bp = ${fmt(v)} bp` };
}

/** Move each event to a uniformly drawn bar of its own 30-day block (same asset), keeping its direction. */
export function shuffleWithinBlocks(events: readonly FamilyEvent[], barMs: number, n: number, rng: Rng): FamilyEvent[] {
  const block = Math.max(1, Math.round((PLACEBO_BLOCK_DAYS * DAY) / barMs));
  const out = events.map((e) => {
    const start = Math.floor(e.row / block) * block;
    const len = Math.min(block, n - start);
    return { row: start + Math.floor(rng.uniform() * len), direction: e.direction };
  });
  return out.sort((a, b) => a.row - b.row);
}

function placebo(h: Hypothesis, base: GroupEvents, rng: Rng): ProbeResult {
  const real = h.stats.meanBps;
  let atLeast = 0;
  let sum = 0;
  for (let r = 0; r < PLACEBO_ROUNDS; r++) {
    const shuffled: GroupEvents = {
      ...base,
      perAsset: base.perAsset.map(({ asset, events }) => ({ asset, events: shuffleWithinBlocks(events, asset.bars.barMs, asset.bars.close.length, rng) })),
    };
    const m = meanAndT(h, shuffled).mean;
    sum += m;
    if (m >= real) atLeast++;
  }
  const p = (1 + atLeast) / (PLACEBO_ROUNDS + 1);
  return { pass: p <= 0.05, detail: `p ${p.toFixed(3)} (${PLACEBO_ROUNDS} shuffles, mean ${fmt(sum / PLACEBO_ROUNDS)} bp vs ${fmt(real)} bp)` };
}
