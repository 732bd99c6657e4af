/**
 * What the shell and the workers agree on in Redis (docs/scale-out.md, "Protocol").
 *
 * - One BullMQ queue per data snapshot, `edgelab-trials-<first 16 hex of the data digest>`: a
 *   worker only ever takes trials for the data it holds.
 * - A job's id is its trial id (derived from the trial's spec and data digest), so adding a trial
 *   twice — a retried sweep, a restarted shell, a Redis that lost its jobs — never creates two jobs,
 *   and the shell records each result once, keyed by that id.
 * - `edgelab:sweeps` (hash sweep id → data digest) announces running sweeps; a worker whose data
 *   differs writes its refusal to `edgelab:refusals:<sweep>` (worker id → message) and logs it.
 * - `edgelab:worker:<id>` (hash, expires unless refreshed) describes a connected worker.
 */
import { deserialize, serialize } from 'node:v8';
import { digestOf } from '../core/canonical.js';

export const SWEEPS_KEY = 'edgelab:sweeps';
export const WORKER_KEY_PREFIX = 'edgelab:worker:';
export const refusalsKey = (sweep: string): string => `edgelab:refusals:${sweep}`;
export const queueName = (dataDigest: string): string => `edgelab-trials-${dataDigest.slice(0, 16)}`;

/** A worker's heartbeat period and how long its record outlives a missed beat. */
export const HEARTBEAT_MS = 1000;
export const WORKER_TTL_S = 5;

export interface TrialJobData {
  readonly sweep: string;
  readonly trial: string;
  /** The data snapshot digest the trial must run on. */
  readonly data: string;
  readonly kind: string;
  /** The spec in V8's structured-clone format, base64: JSON would turn Infinity into null and drop undefined, changing the trial. */
  readonly spec: string;
}

export const encodeSpec = (spec: unknown): string => serialize(spec).toString('base64');
export const decodeSpec = (text: string): unknown => deserialize(Buffer.from(text, 'base64'));

/** A trial's id: the same kind, spec and data always give the same id. */
export function trialId(kind: string, spec: unknown, dataDigest: string): string {
  return `t-${digestOf({ kind, spec, data: dataDigest }).slice(0, 24)}`;
}

export interface WorkerRecord {
  readonly id: string;
  readonly host: string;
  readonly pid: number;
  readonly data: string;
  readonly concurrency: number;
  /** How long the worker has been connected (its own monotonic clock; liveness is the key's expiry). */
  readonly uptimeMs: number;
  readonly done: number;
  readonly failed: number;
  /** Time spent evaluating trials. */
  readonly busyMs: number;
}

export function workerFields(w: WorkerRecord): Record<string, string> {
  return Object.fromEntries(Object.entries(w).map(([k, v]) => [k, String(v)]));
}

export function workerFromFields(f: Record<string, string>): WorkerRecord | undefined {
  if (!f['id']) return undefined;
  const n = (k: string): number => Number(f[k] ?? 0);
  return { id: f['id'], host: f['host'] ?? '?', pid: n('pid'), data: f['data'] ?? '', concurrency: n('concurrency'), uptimeMs: n('uptimeMs'), done: n('done'), failed: n('failed'), busyMs: n('busyMs') };
}
