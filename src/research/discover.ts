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

/** What one study unit needs besides its family and group: `costBps` is the group's round-trip cost. */
export type UnitSettings = Pick<DiscoverSettings, 'horizons' | 'maxConditions' | 'minN' | 'bootstrapDraws' | 'blockDays' | 'level' | 'rngFor'> & { readonly costBps: number };

export interface StudyUnitResult {
  readonly hypotheses: Hypothesis[];
  readonly skips: Skip[];
  readonly tooFew: TooFew[];
  /** The family's events on the group (absent when it ran on no asset, or when the unit ran elsewhere). */
  readonly groupEvents?: GroupEvents;
}

/**
 * One study unit: a family on an asset group, phases 1 and 2 at every horizon. A run is its units in
 * (family, group) order; each unit is a pure function of the group's data and the settings (every
 * random draw comes from a stream named by the hypothesis key), so units can run anywhere — here, or
 * as jobs on scale-out workers (src/scale/discover-jobs.ts) — and give the same hypotheses.
 */
export function studyUnit(id: FamilyId, group: AssetGroup, s: UnitSettings): StudyUnitResult {
  const skips: Skip[] = [];
  const g = detectGroup(FAMILIES[id], group, skips);
  if (g.perAsset.length === 0) return { hypotheses: [], skips, tooFew: [] };
  const hypotheses: Hypothesis[] = [];
  const tooFew: TooFew[] = [];
  for (const h of s.horizons) {
    const r = hypothesesOf(eventSet(g, h), { ...s, minEvents: s.minN });
    hypotheses.push(...r.tested);
    tooFew.push(...r.tooFew.map((t) => ({ family: id, group: group.label, horizon: h, ...t })));
  }
  return { hypotheses, skips, tooFew, groupEvents: g };
}

/** The settings of the unit (family, group): the run's, with the group's asset class cost. */
export const unitSettings = (group: AssetGroup, s: DiscoverSettings): UnitSettings => ({ ...s, costBps: s.costBps(group.assets[0]!.bars.assetClass) });

/** The study units of a run, in the order their results are assembled (families outer, groups inner). */
export const studyUnits = (groups: readonly AssetGroup[], s: Pick<DiscoverSettings, 'families'>): { family: FamilyId; group: AssetGroup }[] =>
  s.families.flatMap((family) => groups.map((group) => ({ family, group })));

/** Phases 1 and 2. Throws a UserError when nothing at all could be tested, naming why. */
export function runPhases(groups: readonly AssetGroup[], s: DiscoverSettings): PhaseResult {
  const units = studyUnits(groups, s);
  return assemblePhases(
    units.map(({ family, group }, done) => {
      s.signal?.throwIfAborted();
      s.progress?.(`${family} on ${group.label}`, done / units.length);
      return { family, group: group.label, result: studyUnit(family, group, unitSettings(group, s)) };
    }),
    s,
  );
}

/** A run's phase result from its units' results, given in studyUnits order (wherever each unit ran). */
export function assemblePhases(units: readonly { family: FamilyId; group: string; result: StudyUnitResult }[], s: Pick<DiscoverSettings, 'minN'>): PhaseResult {
  const hypotheses = units.flatMap((u) => u.result.hypotheses);
  const skips = units.flatMap((u) => u.result.skips);
  const tooFew = units.flatMap((u) => u.result.tooFew);
  const groupEvents = new Map<string, GroupEvents>();
  for (const u of units) if (u.result.groupEvents) groupEvents.set(groupKey(u.family, u.group), u.result.groupEvents);
  if (hypotheses.length === 0) throw new UserError(nothingTested(s, skips, tooFew), 'discover');
  return { hypotheses, skips, tooFew, groupEvents };
}

function nothingTested(s: Pick<DiscoverSettings, 'minN'>, skips: readonly Skip[], tooFew: readonly TooFew[]): string {
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

/** The random stream of a candidate's placebo probe (the same wherever the probe runs). */
export const placeboStream = (key: string): string => `discover/placebo/${key}`;

export function probeAll(cands: readonly GatedHypothesis[], groupEvents: ReadonlyMap<string, GroupEvents>, s: DiscoverSettings): Probes[] {
  return cands.map((c, i) => {
    s.signal?.throwIfAborted();
    s.progress?.(`probes ${c.h.family} ${c.h.condition} h${c.h.horizon}`, i / Math.max(1, cands.length));
    return probeCandidate(c.h, groupEvents.get(groupKey(c.h.family, c.h.group))!, s.rngFor(placeboStream(c.h.key)));
  });
}

export const standsAll = (p: Probes): boolean => p.perturbation.pass && p.timeSplit.pass && p.doubleCosts.pass && p.placebo.pass;
