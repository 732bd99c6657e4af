/**
 * A discovery run, end to end and without I/O of its own: phase 1 (families → events → pooled
 * observations per group and horizon), phase 2 (hypotheses under the simplicity cap), cluster-
 * adjusted q-values (clusters.ts) over the ledger's p-values (handed in by the caller after it recorded this run's tests), gates,
 * and probes on the candidates. The command (commands/discover.ts) does the storing and showing.
 */
import type { Rng } from '../core/rng.js';
import type { AssetClass } from '../core/table.js';
import { UserError } from '../core/errors.js';
import { clusteredQ, type LedgerEntry } from './clusters.js';
import type { FamilyId } from './types.js';
import { FAMILIES } from './families/index.js';
import { detectGroup, eventSet, type AssetGroup, type GroupEvents, type Skip } from './study.js';
import { hypothesesOf, type Hypothesis } from './hypotheses.js';
import { gateChecks, type GateCheck, type GateSettings } from './gates.js';
import { probeCandidate, type Probes } from './probes.js';

export interface DiscoverSettings extends GateSettings {
  readonly families: readonly FamilyId[];
  readonly horizons: readonly number[];
  /** Round-trip cost in bps for an asset class. */
  readonly costBps: (assetClass: AssetClass) => number;
  readonly bootstrapDraws: number;
  readonly blockDays: number;
  readonly level: number;
  readonly rngFor: (stream: string) => Rng;
  readonly signal?: AbortSignal;
  readonly progress?: (label: string, fraction: number) => void;
}

export interface TooFew {
  readonly family: FamilyId;
  readonly group: string;
  readonly horizon: number;
  readonly condition: string;
  readonly n: number;
}

export interface PhaseResult {
  readonly hypotheses: Hypothesis[];
  readonly skips: Skip[];
  readonly tooFew: TooFew[];
  /** Events per family and group (default parameters), for the summary and the probes. */
  readonly groupEvents: Map<string, GroupEvents>;
}

export const groupKey = (family: string, group: string): string => `${family}|${group}`;

/** Phases 1 and 2. Throws a UserError when nothing at all could be tested, naming why. */
export function runPhases(groups: readonly AssetGroup[], s: DiscoverSettings): PhaseResult {
  const hypotheses: Hypothesis[] = [];
  const skips: Skip[] = [];
  const tooFew: TooFew[] = [];
  const groupEvents = new Map<string, GroupEvents>();
  const steps = s.families.length * groups.length;
  let done = 0;
  for (const id of s.families) {
    for (const group of groups) {
      s.signal?.throwIfAborted();
      s.progress?.(`${id} on ${group.label}`, done++ / steps);
      const g = detectGroup(FAMILIES[id], group, skips);
      if (g.perAsset.length === 0) continue;
      groupEvents.set(groupKey(id, group.label), g);
      const cost = s.costBps(group.assets[0]!.bars.assetClass);
      for (const h of s.horizons) {
        const set = eventSet(g, h);
        const r = hypothesesOf(set, { ...s, minEvents: s.minN, costBps: cost });
        hypotheses.push(...r.tested);
        tooFew.push(...r.tooFew.map((t) => ({ family: id, group: group.label, horizon: h, ...t })));
      }
    }
  }
  if (hypotheses.length === 0) throw new UserError(nothingTested(s, skips, tooFew), 'discover');
  return { hypotheses, skips, tooFew, groupEvents };
}

function nothingTested(s: DiscoverSettings, skips: readonly Skip[], tooFew: readonly TooFew[]): string {
  const reasons = [...new Set(skips.map((k) => `${k.family}: ${k.reason}`))];
  const few = tooFew.filter((t) => t.condition === 'all');
  if (few.length) {
    const worst = few.reduce((a, b) => (b.n > a.n ? b : a));
    reasons.push(`${worst.family} on ${worst.group}: ${worst.n} events at horizon ${worst.horizon}, fewer than --min-n ${s.minN}`);
  }
  return `nothing to test: ${reasons.slice(0, 4).join('; ') || 'no events'}`;
}

export interface GatedHypothesis {
  readonly h: Hypothesis;
  /** q over the whole ledger (earlier runs and this one), cluster-adjusted (clusters.ts). */
  readonly q: number;
  /** q over this run's tests alone: how much the ledger's earlier tests cost. */
  readonly qAlone: number;
  /** Rank of the hypothesis' cluster among the ledger's clusters. */
  readonly rank: number;
  /** BH q within its cluster, the cluster's Simes p, the cluster's size, M and c(M). */
  readonly withinQ: number;
  readonly clusterP: number;
  readonly clusterSize: number;
  readonly clusters: number;
  readonly byFactor: number;
  readonly gates: GateCheck[];
  readonly candidate: boolean;
}

/**
 * Gates over the whole ledger: `ledger` holds every entry (run, key, p) in sequence order and this
 * run's tests sit at ledger[offset …]. q is the cluster-adjusted q of clusters.ts: one test per
 * cluster of hypotheses sharing events (Simes within, Benjamini–Yekutieli across the ledger's
 * clusters), so correlated looks at the same events are paid for once, whatever their dependence.
 */
export function gateAll(hyps: readonly Hypothesis[], ledger: readonly LedgerEntry[], offset: number, s: GateSettings): GatedHypothesis[] {
  const all = clusteredQ(ledger);
  const alone = clusteredQ(ledger.slice(offset, offset + hyps.length));
  return hyps.map((h, i) => {
    const at = offset + i;
    const q = all.q[at]!;
    const gates = gateChecks(h, q, s);
    return {
      h, q, qAlone: alone.q[i]!, rank: all.clusterRank[at]!, withinQ: all.withinQ[at]!, clusterP: all.clusterP[at]!,
      clusterSize: all.clusterSize[at]!, clusters: all.clusters, byFactor: all.factor, gates, candidate: gates.every((g) => g.pass),
    };
  });
}

export function probeAll(cands: readonly GatedHypothesis[], groupEvents: ReadonlyMap<string, GroupEvents>, s: DiscoverSettings): Probes[] {
  return cands.map((c, i) => {
    s.signal?.throwIfAborted();
    s.progress?.(`probes ${c.h.family} ${c.h.condition} h${c.h.horizon}`, i / Math.max(1, cands.length));
    return probeCandidate(c.h, groupEvents.get(groupKey(c.h.family, c.h.group))!, s.rngFor(`discover/placebo/${c.h.key}`));
  });
}

export const standsAll = (p: Probes): boolean => p.perturbation.pass && p.timeSplit.pass && p.doubleCosts.pass && p.placebo.pass;
