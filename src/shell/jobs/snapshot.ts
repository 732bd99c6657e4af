/**
 * What crosses between the shell's thread and a job's worker thread (docs/shell.md, "Jobs").
 *
 * A job runs on a copy of the session taken when it starts: config, seed, paths, every dataset
 * and every per-room result. Datasets are plain objects of Float64Arrays and strings, so they
 * cross by structured clone (typed arrays are copied as raw bytes, never as JSON text); on the way
 * back the worker transfers the buffers of the datasets it made (zero copy). When the job ends,
 * only what it changed is applied to the live session, in one step: a cancelled or failed job
 * leaves the session as it was.
 */
import type { Dataset } from '../../core/table.js';
import type { EdgelabConfig } from '../../config/schema.js';
import { Session } from '../session.js';
import type { Provenance } from '../provenance.js';

export interface SessionSnapshot {
  readonly root: string;
  readonly cwd: string;
  readonly dataRoot: string;
  readonly seed: number;
  readonly id: string;
  readonly config: EdgelabConfig;
  readonly datasets: readonly Dataset[];
  readonly state: readonly (readonly [string, unknown])[];
  /** The session's provenance override (replay), if any. */
  readonly provenance?: Provenance;
}

/** What a job changed in its copy of the session. */
export interface SessionChanges {
  /** Added or changed datasets, in the order the session holds them. */
  readonly datasets: readonly Dataset[];
  readonly removedDatasets: readonly string[];
  readonly state: readonly (readonly [string, unknown])[];
  readonly removedState: readonly string[];
  readonly seed?: number;
  readonly config?: EdgelabConfig;
}

const PLAIN_PROTOTYPES = new Set<unknown>([Object.prototype, null, Array.prototype, Map.prototype, Set.prototype, Date.prototype]);

/**
 * Does a value survive structured clone unchanged? Functions and class instances do not (a class
 * instance arrives as a bare object without its methods), so per-room results holding them (a
 * regime timeline with its lookup function) stay on their side and are recomputed on demand there.
 */
export function isPlainData(value: unknown, seen = new Set<object>()): boolean {
  if (typeof value === 'function' || typeof value === 'symbol') return false;
  if (value === null || typeof value !== 'object') return true;
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return true;
  if (seen.has(value)) return true;
  seen.add(value);
  if (!PLAIN_PROTOTYPES.has(Object.getPrototypeOf(value))) return false;
  if (value instanceof Map) return [...value].every(([k, v]) => isPlainData(k, seen) && isPlainData(v, seen));
  if (value instanceof Set) return [...value].every((v) => isPlainData(v, seen));
  if (Array.isArray(value)) return value.every((v) => isPlainData(v, seen));
  return Object.values(value).every((v) => isPlainData(v, seen));
}

const plainEntries = (entries: Iterable<readonly [string, unknown]>): (readonly [string, unknown])[] => [...entries].filter(([, v]) => isPlainData(v));

/** The session as a job starts from it (the values are shared until structured clone copies them). */
export function snapshotOf(session: Session): SessionSnapshot {
  return {
    root: session.root,
    cwd: session.cwd,
    dataRoot: session.dataRoot,
    seed: session.seed,
    id: session.id,
    config: session.config,
    datasets: [...session.datasets.values()],
    state: plainEntries(session.state.entries()),
    ...(session.provenanceOverride ? { provenance: session.provenanceOverride } : {}),
  };
}

/** A session rebuilt from a snapshot (in the worker). */
export function sessionFrom(snapshot: SessionSnapshot): Session {
  const session = new Session({
    root: snapshot.root,
    cwd: snapshot.cwd,
    dataRoot: snapshot.dataRoot,
    seed: snapshot.seed,
    id: snapshot.id,
    config: snapshot.config,
    ...(snapshot.provenance ? { provenance: snapshot.provenance } : {}),
  });
  for (const ds of snapshot.datasets) session.addDataset(ds);
  for (const [key, value] of snapshot.state) session.state.set(key, value);
  return session;
}

/** What a session looked like before a job, to tell what the job changed. */
export interface SessionMark {
  readonly digests: ReadonlyMap<string, string>;
  readonly state: ReadonlyMap<string, unknown>;
  readonly seed: number;
  readonly configDigest: string;
}

export function markOf(session: Session): SessionMark {
  return {
    digests: new Map([...session.datasets].map(([name, ds]) => [name, ds.digest])),
    state: new Map(session.state),
    seed: session.seed,
    configDigest: session.configDigest,
  };
}

export function changesSince(session: Session, mark: SessionMark): SessionChanges {
  const datasets = [...session.datasets.values()].filter((ds) => mark.digests.get(ds.name) !== ds.digest);
  const removedDatasets = [...mark.digests.keys()].filter((name) => !session.datasets.has(name));
  const state = plainEntries([...session.state.entries()].filter(([key, value]) => mark.state.get(key) !== value));
  const removedState = [...mark.state.keys()].filter((key) => !session.state.has(key));
  return {
    datasets,
    removedDatasets,
    state,
    removedState,
    ...(session.seed !== mark.seed ? { seed: session.seed } : {}),
    ...(session.configDigest !== mark.configDigest ? { config: session.config } : {}),
  };
}

/** Apply a job's changes to the live session; returns the changed datasets' name → digest. */
export function applyChanges(session: Session, changes: SessionChanges): Record<string, string> {
  const changed: Record<string, string> = {};
  for (const name of changes.removedDatasets) session.datasets.delete(name);
  for (const ds of changes.datasets) {
    session.addDataset(ds);
    changed[ds.name] = ds.digest;
  }
  for (const key of changes.removedState) session.state.delete(key);
  for (const [key, value] of changes.state) session.state.set(key, value);
  if (changes.seed !== undefined) session.seed = changes.seed;
  if (changes.config !== undefined) session.setConfig(changes.config);
  return changed;
}

/** The distinct buffers under a list of datasets' numeric columns (for a transfer list). */
export function datasetBuffers(datasets: readonly Dataset[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const ds of datasets) {
    for (const column of Object.values(ds.table.columns)) {
      if (column instanceof Float64Array && column.buffer instanceof ArrayBuffer) buffers.add(column.buffer);
    }
  }
  return [...buffers];
}
