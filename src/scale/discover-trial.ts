/**
 * The discovery trial kinds (docs/scale-out.md, "Discovery"): what a worker evaluates for
 * `discover --backend bullmq`.
 *
 * - `discover-study`: one study unit — an event family on an asset group, phases 1 and 2 at every
 *   horizon (src/research/discover.ts `studyUnit`) — answering with the unit's hypotheses, skips and
 *   too-few notes.
 * - `discover-probe`: the robustness probes of the candidates of one (family, group)
 *   (src/research/probes.ts), the family's events detected again here on the worker's own data.
 *
 * A unit is a pure function of the group's datasets and the spec (every random draw comes from a
 * stream named by the session seed and the hypothesis key), so a worker gives what the shell would.
 * Answers travel as V8 structured clones in base64 (like specs, protocol.ts): JSON would turn a NaN
 * statistic into null and the ledger would differ from a local run's.
 */
import { createRng } from '../core/rng.js';
import type { Dataset } from '../core/table.js';
import { UserError } from '../core/errors.js';
import { assetBars } from '../research/inputs.js';
import { detectGroup, studyAsset, type AssetGroup } from '../research/study.js';
import { FAMILIES } from '../research/families/index.js';
import { placeboStream, studyUnit, type StudyUnitResult } from '../research/discover.js';
import type { Hypothesis } from '../research/hypotheses.js';
import { probeCandidate, type Probes } from '../research/probes.js';
import type { FamilyId } from '../research/types.js';
import { decodeSpec, encodeSpec } from './protocol.js';
import { registerTrialKind } from './trial-kinds.js';

/** An asset group named by its label and datasets (in the shell's order: it decides the event order). */
export interface GroupRef {
  readonly label: string;
  readonly datasets: readonly string[];
}

export interface DiscoverStudySpec {
  readonly family: FamilyId;
  readonly group: GroupRef;
  readonly seed: number;
  readonly horizons: readonly number[];
  readonly maxConditions: number;
  readonly minN: number;
  readonly costBps: number;
  readonly bootstrapDraws: number;
  readonly blockDays: number;
  readonly level: number;
}

export interface DiscoverProbeSpec {
  readonly family: FamilyId;
  readonly group: GroupRef;
  readonly seed: number;
  /** The candidates' hypotheses, encoded (encodeSpec): their statistics may hold NaN. */
  readonly hypotheses: string;
}

/** A study unit's answer without the events (they stay on the worker; probes detect them again). */
export type StudyAnswer = Omit<StudyUnitResult, 'groupEvents'>;

export const groupRefOf = (group: AssetGroup): GroupRef => ({ label: group.label, datasets: group.assets.map((a) => a.bars.name) });

/** Groups built once per worker and data: a group's bar context and forward returns are reused by its units. */
const groupCache = new WeakMap<ReadonlyMap<string, Dataset>, Map<string, AssetGroup>>();

function groupOf(datasets: ReadonlyMap<string, Dataset>, ref: GroupRef): AssetGroup {
  const cache = groupCache.get(datasets) ?? new Map<string, AssetGroup>();
  groupCache.set(datasets, cache);
  const key = `${ref.label}\u0000${ref.datasets.join('\u0000')}`;
  let group = cache.get(key);
  if (!group) {
    const assets = ref.datasets.map((name) => {
      const ds = datasets.get(name);
      if (!ds) throw new UserError(`this worker's data has no dataset '${name}' (the snapshot digests matched, so this is a version mismatch)`, 'worker');
      return studyAsset(assetBars(ds, datasets));
    });
    cache.set(key, (group = { label: ref.label, assets }));
  }
  return group;
}

export function evaluateStudy(datasets: ReadonlyMap<string, Dataset>, spec: DiscoverStudySpec): StudyAnswer {
  const { hypotheses, skips, tooFew } = studyUnit(spec.family, groupOf(datasets, spec.group), { ...spec, rngFor: (stream) => createRng(spec.seed, stream) });
  return { hypotheses, skips, tooFew };
}

export function evaluateProbes(datasets: ReadonlyMap<string, Dataset>, spec: DiscoverProbeSpec): Probes[] {
  const events = detectGroup(FAMILIES[spec.family], groupOf(datasets, spec.group), []);
  return (decodeSpec(spec.hypotheses) as Hypothesis[]).map((h) => probeCandidate(h, events, createRng(spec.seed, placeboStream(h.key))));
}

registerTrialKind('discover-study', async (datasets, spec) => encodeSpec(evaluateStudy(datasets, spec as DiscoverStudySpec)));
registerTrialKind('discover-probe', async (datasets, spec) => encodeSpec(evaluateProbes(datasets, spec as DiscoverProbeSpec)));
