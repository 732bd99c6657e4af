/**
 * Phase 2: for every (family, asset group, horizon) event set, the hypotheses under the simplicity
 * cap — condition × action (+1 with the event's direction, −1 against it) — each evaluated with
 * evaluate.ts. A hypothesis is tested only when its condition keeps at least `minEvents` events;
 * the others are reported as skipped and cost no test.
 */
import type { Rng } from '../core/rng.js';
import { canonicalJson } from '../core/canonical.js';
import type { FamilyId, FamilyParams } from './types.js';
import type { BaselineKind, Observations } from './event-study.js';
import { conditions, select } from './conditions.js';
import { evaluate, type HypothesisStats } from './evaluate.js';

export interface Hypothesis {
  /** Stable identity: family, parameters, group, condition, action, horizon. */
  readonly key: string;
  readonly family: FamilyId;
  readonly params: FamilyParams;
  /** Asset group, e.g. 'crypto_perp 15m'. */
  readonly group: string;
  readonly datasets: readonly string[];
  readonly condition: string;
  readonly terms: number;
  /** +1 trade with the event's direction, −1 against it. */
  readonly action: 1 | -1;
  readonly horizon: number;
  readonly baseline: BaselineKind;
  readonly stats: HypothesisStats;
}

export interface EventSet {
  readonly family: FamilyId;
  readonly params: FamilyParams;
  readonly group: string;
  readonly datasets: readonly string[];
  readonly horizon: number;
  readonly baseline: BaselineKind;
  readonly obs: Observations;
}

export interface HypothesisOptions {
  readonly maxConditions: number;
  readonly minEvents: number;
  readonly costBps: number;
  readonly bootstrapDraws: number;
  readonly blockDays: number;
  readonly level: number;
  readonly rngFor: (stream: string) => Rng;
}

export const actionName = (a: 1 | -1): string => (a > 0 ? 'with' : 'against');

export function hypothesisKey(s: { family: string; params: FamilyParams; group: string; datasets: readonly string[]; condition: string; action: 1 | -1; horizon: number }): string {
  return `${s.family}${canonicalJson(s.params)}|${s.group}[${s.datasets.join(',')}]|${s.condition}|${actionName(s.action)}|h${s.horizon}`;
}

export interface GeneratedHypotheses {
  readonly tested: Hypothesis[];
  /** Conditions with too few events: condition id → event count. */
  readonly tooFew: { readonly condition: string; readonly n: number }[];
}

export function hypothesesOf(set: EventSet, o: HypothesisOptions): GeneratedHypotheses {
  const tested: Hypothesis[] = [];
  const tooFew: { condition: string; n: number }[] = [];
  for (const c of conditions(o.maxConditions)) {
    const idx = select(set.obs, c);
    if (idx.length < o.minEvents) {
      tooFew.push({ condition: c.id, n: idx.length });
      continue;
    }
    for (const action of [1, -1] as const) {
      const id = { family: set.family, params: set.params, group: set.group, condition: c.id, action, horizon: set.horizon };
      const key = hypothesisKey({ ...id, datasets: set.datasets });
      const stats = evaluate(set.obs, idx, action, {
        costBps: o.costBps,
        bootstrapDraws: o.bootstrapDraws,
        blockDays: o.blockDays,
        level: o.level,
        minGroup: 20,
        rng: o.rngFor(`discover/${key}`),
      });
      tested.push({ ...id, key, datasets: set.datasets, terms: c.terms, baseline: set.baseline, stats });
    }
  }
  return { tested, tooFew };
}
