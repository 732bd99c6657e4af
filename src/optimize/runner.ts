/**
 * The trial runner (docs/optimize.md, "Trials"): evaluate parameter points of an experiment on a
 * time window, reading back every trial the results database already holds and computing only the
 * others, on a piscina worker pool (pool.ts) or in this thread. The searches (search.ts), the
 * `optimize` command and walk-forward all go through `runTrials`.
 */
import { CancelledError, UserError, throwIfAborted } from '../core/errors.js';
import type { Dataset } from '../core/table.js';
import { resultsDbPath } from '../store/path.js';
import type { Session } from '../shell/session.js';
import { snapshotDigest } from '../scale/data-snapshot.js';
import { runSweepOnBullmq } from '../scale/bullmq-backend.js';
import { trialId } from '../scale/protocol.js';
import type { RedisTarget } from '../scale/connection.js';
import type { Point } from './dimensions.js';
import { planOfPoint, type PlanBase } from './experiment.js';
import { DEFAULT_OBJECTIVE, checkObjective, compareScores, scoreOf } from './objective.js';
import { evaluateTrial, planInWindow, trialKeyAndDigest, type TrialOutcome, type TrialSpec } from './trial.js';
import { readTrials, writeTrials, type StoredTrial } from './store.js';
import { TrialPool } from './pool.js';

export interface TrialWindow {
  /** First decision time (epoch ms); bars before it warm the models up. null: the data's start. */
  readonly start?: number | null;
  /** Last bar time (epoch ms). null: the data's end. */
  readonly end?: number | null;
}

export interface TrialRequest {
  /** The experiment (or any configuration + settings) the points apply to. */
  readonly base: PlanBase;
  readonly points: readonly Point[];
  /** Metric to score by (default bps). */
  readonly objective?: string;
  readonly window?: TrialWindow;
  /** Worker threads (default 2; 0 = evaluate in this thread). */
  readonly workers?: number;
  /** Read back and store trials in the results database (default true). */
  readonly store?: boolean;
  /** Results database override (the --db flag). */
  readonly db?: string;
  readonly force?: boolean;
  /** A worker pool to reuse across calls (walk-forward's folds): not closed here; `workers` should be its thread count. */
  readonly pool?: TrialPool;
  /** Evaluate on BullMQ workers over Redis instead of the local pool (docs/scale-out.md). */
  readonly bullmq?: { readonly target: RedisTarget; readonly sweep: string; readonly onLog?: (line: string) => void };
}

export interface TrialResult extends TrialOutcome {
  /** Position in the request's points. */
  readonly index: number;
  readonly point: Point;
  /** Trial key (plan + data snapshot); '' for an infeasible point. */
  readonly key: string;
  /** Digest of the trial's plan (its effective configuration). */
  readonly configDigest: string;
  /** The objective's value, higher is better (objective.ts); null when there is none. */
  readonly score: number | null;
  /** Read back from the results database rather than computed. */
  readonly cached: boolean;
}

export interface TrialProgress {
  readonly done: number;
  readonly total: number;
  readonly cached: number;
  /** Best trial so far. */
  readonly best?: TrialResult;
  /** Trials finished since the last report. */
  readonly finished: readonly TrialResult[];
}

export interface TrialIO {
  readonly signal?: AbortSignal;
  onProgress?(p: TrialProgress): void;
}

/** The data snapshot digest trials are keyed by (src/scale/data-snapshot.ts). */
export const sessionDataDigest = (datasets: Iterable<Dataset>): string => snapshotDigest(datasets);

const infeasible = (index: number, point: Point, message: string): TrialResult => ({
  index, point, key: '', configDigest: '', score: null, cached: false,
  metrics: {}, trades: 0, returnTs: [], returns: [], engine: 'event', infeasible: message,
});

/**
 * Evaluate `points` on `window`. Results come back in the order of the points. A point whose
 * configuration does not validate (say fast ≥ slow) is `infeasible` with the reason; the same
 * trial asked twice is computed once.
 */
export async function runTrials(session: Session, req: TrialRequest, io: TrialIO = {}): Promise<TrialResult[]> {
  const objective = checkObjective(req.objective ?? DEFAULT_OBJECTIVE);
  const dataDigest = sessionDataDigest(session.datasets.values());
  const specs = new Map<string, { spec: TrialSpec; configDigest: string; label: string }>();
  const keyOf: (string | null)[] = [];
  const out: (TrialResult | undefined)[] = new Array(req.points.length);
  const workers = req.workers ?? 2;
  // The local pool, at hand before the points are planned: its workers prepare the first plan's
  // sweep setup while this thread plans the rest (TrialPool.prepare).
  const pool = req.bullmq || workers <= 0 ? undefined : (req.pool ?? new TrialPool(workers, [...session.datasets.values()], { persistent: true }));
  let prepared = false;
  // the canonical JSON of plan sections the points share (trialKeyAndDigest)
  const written = new Map<object, string>();
  req.points.forEach((point, index) => {
    let plan;
    try {
      plan = planInWindow(planOfPoint(req.base, point), req.window);
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      out[index] = infeasible(index, point, err.message);
      keyOf.push(null);
      return;
    }
    const { key, configDigest } = trialKeyAndDigest(plan, dataDigest, written);
    keyOf.push(key);
    if (specs.has(key)) return;
    const spec: TrialSpec = { plan, point, ...(req.force ? { force: true } : {}) };
    specs.set(key, { spec, configDigest, label: plan.label });
    if (!prepared && pool) {
      prepared = true;
      pool.prepare(spec, workers);
    }
  });
  const store = req.store ?? true;
  const dbPath = resultsDbPath(session, req.db);
  const known = store ? await readTrials(dbPath, [...specs.keys()]) : new Map<string, StoredTrial>();
  const outcomes = new Map<string, { outcome: TrialOutcome; cached: boolean }>();
  for (const [key, t] of known) outcomes.set(key, { outcome: t, cached: true });

  const total = req.points.length;
  let best: TrialResult | undefined;
  const resultAt = (index: number): TrialResult | undefined => {
    const key = keyOf[index];
    if (!key) return out[index];
    const got = outcomes.get(key);
    if (!got) return undefined;
    const s = specs.get(key)!;
    return { ...got.outcome, index, point: req.points[index]!, key, configDigest: s.configDigest, score: scoreOf(got.outcome.metrics, objective), cached: got.cached };
  };
  const report = (finishedKeys: readonly string[]): void => {
    const finished: TrialResult[] = [];
    const keys = new Set(finishedKeys);
    let done = 0;
    let cached = 0;
    for (let i = 0; i < total; i++) {
      const r = resultAt(i);
      if (!r) continue;
      done++;
      if (r.cached) cached++;
      if (keys.has(r.key) || (finishedKeys.length === 0 && r.key === '')) finished.push(r);
      if (r.score !== null && (best === undefined || compareScores(r.score, best.score) < 0)) best = r;
    }
    io.onProgress?.({ done, total, cached, finished, ...(best ? { best } : {}) });
  };
  report([...known.keys()]);

  const todo = [...specs.entries()].filter(([key]) => !outcomes.has(key));
  if (todo.length) {
    const fresh: StoredTrial[] = [];
    const onDone = (batch: readonly (readonly [string, TrialOutcome])[]): void => {
      for (const [key, outcome] of batch) {
        outcomes.set(key, { outcome, cached: false });
        const s = specs.get(key)!;
        fresh.push({ ...outcome, key, configDigest: s.configDigest, dataDigest, label: s.label, point: s.spec.point });
      }
      report(batch.map(([k]) => k));
    };
    const work = todo.map(([key, s]) => [key, s.spec] as const);
    if (req.bullmq) await evaluateOnBullmq(req.bullmq, dataDigest, work, onDone, io.signal);
    else await evaluateAll(session, work, pool, onDone, io.signal);
    if (store) await writeTrials(dbPath, fresh);
  }
  throwIfAborted(io.signal);
  return Array.from({ length: total }, (_, i) => out[i] ?? resultAt(i)!);
}

/** Evaluate specs on BullMQ workers holding the same data (src/scale/bullmq-backend.ts). */
async function evaluateOnBullmq(
  o: NonNullable<TrialRequest['bullmq']>, dataDigest: string, todo: readonly (readonly [string, TrialSpec])[],
  onDone: (batch: readonly (readonly [string, TrialOutcome])[]) => void, signal?: AbortSignal,
): Promise<void> {
  const keyOfId = new Map(todo.map(([key, spec]) => [trialId('optimize', spec, dataDigest), key]));
  await runSweepOnBullmq({
    target: o.target, sweep: o.sweep, dataDigest, trials: todo.map(([, spec]) => ({ kind: 'optimize', spec })),
    onResult: (id, result) => onDone([[keyOfId.get(id)!, result as TrialOutcome]]),
    ...(o.onLog ? { onLog: o.onLog } : {}),
    ...(signal ? { signal } : {}),
  });
}

/**
 * Evaluate specs in this thread (no pool: workers 0) or on the pool's workers, reporting each
 * finished batch. The pool is a persistent one (pool.ts) or the caller's: it is not closed here.
 */
async function evaluateAll(
  session: Session, todo: readonly (readonly [string, TrialSpec])[], pool: TrialPool | undefined,
  onDone: (batch: readonly (readonly [string, TrialOutcome])[]) => void, signal?: AbortSignal,
): Promise<void> {
  if (!pool) {
    for (const [key, spec] of todo) {
      throwIfAborted(signal);
      onDone([[key, await evaluateTrial(session.datasets, spec, signal)]]);
      await new Promise((r) => setImmediate(r));
    }
    return;
  }
  const workers = pool.threads;
  try {
    // One lane per worker, the specs dealt out in turn (a grid's first dimension varies slowest, and
    // its values can cost very different amounts — sma_cross's fast periods trade 6× as often at 5 as
    // at 50 — so contiguous runs would leave one worker with the dear part); each lane is sent a chunk
    // at a time and a lane that runs dry takes chunks from the end of the longest other lane. A chunk
    // is one batch of the sweep kernel (sma-sweep.ts: its moving averages are filled once per chunk,
    // so a lane in one chunk fills each of its periods once), so chunks are large: a lane's specs in
    // as few chunks of at most 64 as hold them, of equal size.
    const perLane = Math.ceil(todo.length / workers);
    const size = Math.max(1, Math.ceil(perLane / Math.ceil(perLane / 64)));
    const lanes = Array.from({ length: workers }, (_, w) => todo.filter((_, i) => i % workers === w));
    const nextChunk = (w: number): (readonly (readonly [string, TrialSpec])[]) | undefined => {
      if (lanes[w]!.length > 0) return lanes[w]!.splice(0, size);
      const longest = lanes.reduce((a, l) => (l.length > a.length ? l : a));
      return longest.length > 0 ? longest.splice(Math.max(0, longest.length - size)) : undefined;
    };
    await Promise.all(
      lanes.map(async (_, w) => {
        for (let chunk = nextChunk(w); chunk; chunk = nextChunk(w)) {
          const outcomes = await pool.run(chunk.map(([, s]) => s), signal);
          onDone(chunk.map(([key], i) => [key, outcomes[i]!] as const));
        }
      }),
    );
  } catch (err) {
    if (signal?.aborted) throw new CancelledError();
    throw err;
  }
}
