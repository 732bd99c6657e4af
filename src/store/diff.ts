/**
 * `runs diff A B`: what differs between two stored runs — reproducibility record, execution profile,
 * configuration (flattened to dotted keys) and metrics side by side with their difference.
 */
import { canonicalJson } from '../core/canonical.js';
import type { MetricValue, RunRecord } from './record.js';

export interface DiffRow {
  readonly key: string;
  /** Canonical JSON of the value in A / B ('—' when absent). */
  readonly a: string;
  readonly b: string;
}

export interface MetricRow {
  readonly name: string;
  readonly a: MetricValue;
  readonly b: MetricValue;
  /** b − a for numbers, null otherwise. */
  readonly delta: number | null;
}

export interface RunDiff {
  readonly a: string;
  readonly b: string;
  readonly record: readonly DiffRow[];
  readonly profile: readonly DiffRow[];
  readonly config: readonly DiffRow[];
  /** Every metric of either run (equal ones included, so the table reads side by side). */
  readonly metrics: readonly MetricRow[];
}

const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Flatten nested objects into dotted keys; arrays and scalars are leaves. */
export function flatten(value: unknown, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  if (isPlain(value)) {
    const keys = Object.keys(value).sort();
    if (keys.length === 0 && prefix) out.set(prefix, {});
    for (const k of keys) flatten(value[k], prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) out.set(prefix, value);
  return out;
}

export function diffValues(a: unknown, b: unknown): DiffRow[] {
  const fa = flatten(a);
  const fb = flatten(b);
  const keys = [...new Set([...fa.keys(), ...fb.keys()])].sort();
  const rows: DiffRow[] = [];
  for (const k of keys) {
    const va = fa.has(k) ? canonicalJson(fa.get(k)) : '—';
    const vb = fb.has(k) ? canonicalJson(fb.get(k)) : '—';
    if (va !== vb) rows.push({ key: k, a: va, b: vb });
  }
  return rows;
}

export function diffRuns(a: RunRecord, b: RunRecord): RunDiff {
  const rec = (r: RunRecord) => ({ kind: r.kind, configDigest: r.configDigest, codeRevision: r.codeRevision, seed: r.seed, data: r.dataDigests, resultDigest: r.resultDigest });
  const names = [...new Set([...Object.keys(a.metrics), ...Object.keys(b.metrics)])].sort();
  const metrics = names.map((name): MetricRow => {
    const va = a.metrics[name] ?? null;
    const vb = b.metrics[name] ?? null;
    return { name, a: va, b: vb, delta: typeof va === 'number' && typeof vb === 'number' ? vb - va : null };
  });
  return { a: a.id, b: b.id, record: diffValues(rec(a), rec(b)), profile: diffValues(a.profile, b.profile), config: diffValues(a.config, b.config), metrics };
}
