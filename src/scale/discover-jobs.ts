/**
 * `discover --backend local|bullmq` (docs/scale-out.md, "Discovery"): the shell's side of a
 * discovery run whose study units and probes run on BullMQ workers over Redis.
 *
 * Phases 1 and 2 go out as one `discover-study` job per (family, asset group); the candidates'
 * probes as one `discover-probe` job per (family, group) holding candidates (discover-trial.ts).
 * Job ids are trial ids — a digest of the kind, the spec (seed and settings included) and the data
 * snapshot digest — so a retried or repeated job is one job, and runSweepOnBullmq hands each
 * result over once. The answers are put back in the local run's order (studyUnits, candidates)
 * whatever order they arrived in, and the shell alone writes the test ledger, so the run is
 * byte-identical to `--backend local`.
 */
import { digestOf } from '../core/canonical.js';
import { UserError } from '../core/errors.js';
import type { Session } from '../shell/session.js';
import type { CommandIO } from '../shell/command.js';
import type { AssetGroup } from '../research/study.js';
import { assemblePhases, groupKey, probeAll, runPhases, studyUnits, unitSettings, type DiscoverSettings, type GatedHypothesis, type PhaseResult } from '../research/discover.js';
import type { Probes } from '../research/probes.js';
import { runSweepOnBullmq } from './bullmq-backend.js';
import { parseRedisUrl, type RedisTarget } from './connection.js';
import { snapshotDigest } from './data-snapshot.js';
import { decodeSpec, encodeSpec } from './protocol.js';
import { groupRefOf, type DiscoverProbeSpec, type DiscoverStudySpec, type GroupRef, type StudyAnswer } from './discover-trial.js';

export interface DiscoverOnBullmq {
  readonly target: RedisTarget;
  /** Names the run in Redis (announced to workers; refusals are filed under it). */
  readonly run: string;
  /** The session's data snapshot digest: workers holding other data refuse the run. */
  readonly dataDigest: string;
  /** The session seed the random streams derive from (Session.rng). */
  readonly seed: number;
  readonly onLog?: (line: string) => void;
}

/** `--backend` and `--redis` of a discover command: undefined for local, else where and what to send. */
export function discoverOnBullmq(session: Session, args: { backend: 'local' | 'bullmq'; redis?: string | undefined }, io: Pick<CommandIO, 'log'>): DiscoverOnBullmq | undefined {
  if (args.backend === 'local') {
    if (args.redis !== undefined) throw new UserError('--redis needs --backend bullmq', '--redis');
    return undefined;
  }
  const url = args.redis ?? session.config.scale?.redis_url;
  if (url === undefined) throw new UserError('--backend bullmq needs --redis URL or config scale.redis_url (and workers: edgelab worker --redis URL)', '--backend');
  return {
    target: parseRedisUrl(url, args.redis !== undefined ? '--redis' : 'scale.redis_url'),
    run: `${session.id}-discover`,
    dataDigest: snapshotDigest(session.datasets.values()),
    seed: session.seed,
    onLog: (line) => io.log(line),
  };
}

/** Phases 1 and 2 here (`bullmq` undefined: runPhases) or on BullMQ workers. */
export async function discoverPhases(groups: readonly AssetGroup[], s: DiscoverSettings, bullmq?: DiscoverOnBullmq): Promise<PhaseResult> {
  if (!bullmq) return runPhases(groups, s);
  const units = studyUnits(groups, s);
  const specs: DiscoverStudySpec[] = units.map(({ family, group }) => ({
    family, group: groupRefOf(group), seed: bullmq.seed, horizons: s.horizons, maxConditions: s.maxConditions, minN: s.minN,
    costBps: unitSettings(group, s).costBps, bootstrapDraws: s.bootstrapDraws, blockDays: s.blockDays, level: s.level,
  }));
  const answers = await sendJobs<StudyAnswer>(bullmq, 'study', specs.map((spec) => ({ kind: 'discover-study', spec })), s, (done, total) => `study units ${done}/${total} on workers`);
  return assemblePhases(units.map(({ family, group }, i) => ({ family, group: group.label, result: answers[i]! })), s);
}

/** The candidates' probes, in the candidates' order: here from the phases' events, or on BullMQ workers. */
export async function discoverProbes(cands: readonly GatedHypothesis[], phases: PhaseResult, s: DiscoverSettings, groups: readonly AssetGroup[], bullmq?: DiscoverOnBullmq): Promise<Probes[]> {
  if (!bullmq || cands.length === 0) return probeAll(cands, phases.groupEvents, s);
  const refs = new Map<string, GroupRef>(groups.map((g) => [g.label, groupRefOf(g)]));
  const byGroup = new Map<string, GatedHypothesis[]>();
  for (const c of cands) {
    const key = groupKey(c.h.family, c.h.group);
    byGroup.set(key, [...(byGroup.get(key) ?? []), c]);
  }
  const jobs = [...byGroup.values()].map((list): DiscoverProbeSpec => ({
    family: list[0]!.h.family, group: refs.get(list[0]!.h.group)!, seed: bullmq.seed, hypotheses: encodeSpec(list.map((c) => c.h)),
  }));
  const answers = await sendJobs<Probes[]>(bullmq, 'probes', jobs.map((spec) => ({ kind: 'discover-probe', spec })), s, (done, total) => `probes ${done}/${total} groups on workers`);
  const probeOf = new Map<GatedHypothesis, Probes>();
  [...byGroup.values()].forEach((list, j) => list.forEach((c, k) => probeOf.set(c, answers[j]![k]!)));
  return cands.map((c) => probeOf.get(c)!);
}

/** Send one round of jobs and decode the answers, in the order of `trials`. */
async function sendJobs<T>(
  o: DiscoverOnBullmq, round: string, trials: readonly { kind: string; spec: unknown }[], s: DiscoverSettings, label: (done: number, total: number) => string,
): Promise<T[]> {
  const out = await runSweepOnBullmq({
    target: o.target,
    sweep: `${o.run}-${round}-${digestOf(trials).slice(0, 12)}`,
    dataDigest: o.dataDigest,
    trials,
    ...(o.onLog ? { onLog: o.onLog } : {}),
    ...(s.signal ? { signal: s.signal } : {}),
    onProgress: (done, total, note) => s.progress?.(`${label(done, total)}${note ? ` · ${note}` : ''}`, done / Math.max(1, total)),
  });
  return out.results.map((encoded) => decodeSpec(encoded as string) as T);
}
