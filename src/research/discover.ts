/**
 * A discovery run, end to end and without I/O of its own: phase 1 (families → events → pooled
 * observations per group and horizon), phase 2 (hypotheses under the simplicity cap), BH q-values
 * over the ledger's p-values (handed in by the caller after it recorded this run's tests), gates,
 * and probes on the candidates. The command (commands/discover.ts) does the storing and showing.
 */
import type { Rng } from '../core/rng.js';
import type { AssetClass } from '../core/table.js';
import { UserError } from '../core/errors.js';
import { benjaminiHochberg } from './stats/index.js';
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
  /** q over the whole ledger (earlier runs and this one). */
  readonly q: number;
  /** q over this run's tests alone: how much the ledger's earlier tests cost. */
  readonly qAlone: number;
  readonly rank: number;
  readonly gates: GateCheck[];
  readonly candidate: boolean;
}

/**
 * The p-values BH sees over a ledger. A hypothesis tested again (same key: family, parameters,
 * datasets, condition, action, horizon) keeps its p only at its latest entry; each earlier entry
 * stays in the ledger as p = 1 — the look was spent (m grows) but a second look at the same data
 * adds no evidence. Setting p-values to 1 only makes BH more conservative, so FDR control holds,
 * and a repeated run's q-values come out stricter (m larger, ranks unchanged).
 */
export function effectiveLedgerP(ps: ArrayLike<number>, keys: readonly string[]): Float64Array {
  const out = Float64Array.from(ps);
  const seen = new Set<string>();
  for (let i = out.length - 1; i >= 0; i--) {
    if (seen.has(keys[i]!)) out[i] = 1;
    else seen.add(keys[i]!);
  }
  return out;
}

/**
 * BH over the whole ledger: `ledgerP` holds every effective p-value of the ledger in sequence
 * order (effectiveLedgerP) and this run's tests sit at ledgerP[offset …].
 */
export function gateAll(hyps: readonly Hypothesis[], ledgerP: Float64Array, offset: number, s: GateSettings): GatedHypothesis[] {
  const all = benjaminiHochberg(ledgerP);
  const alone = benjaminiHochberg(Float64Array.from(hyps, (h) => h.stats.p));
  return hyps.map((h, i) => {
    const q = all.q[offset + i]!;
    const gates = gateChecks(h, q, s);
    return { h, q, qAlone: alone.q[i]!, rank: all.rank[offset + i]!, gates, candidate: gates.every((g) => g.pass) };
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
