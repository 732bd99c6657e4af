/**
 * Run records with reproducibility metadata (seed 002 §7 R5; ARCHITECTURE "Results store"): the
 * config digest, code revision, data digests and seed that produced a result. The run id is derived
 * from that record (a hash), never from the clock, so the same inputs always get the same id.
 */
import { digestOf } from '../core/canonical.js';

export type MetricValue = number | string | null;

export interface Reproducibility {
  /** 'backtest', 'discover', 'fit', 'optimize', 'promote', … */
  readonly kind: string;
  readonly configDigest: string;
  /** `git rev-parse HEAD` when known, else the package version (computed in the shell layer). */
  readonly codeRevision: string;
  /** Dataset name → content digest, for every dataset the run read. */
  readonly dataDigests: Readonly<Record<string, string>>;
  readonly seed: number;
}

export interface RunRecord extends Reproducibility {
  readonly id: string;
  /** Short human label, e.g. 'sma_cross · BTCUSDT'. */
  readonly label: string;
  /** Execution profile (backtests) or other declared assumptions. */
  readonly profile: unknown;
  /** The full configuration the run used (for `runs diff`). */
  readonly config: unknown;
  readonly metrics: Readonly<Record<string, MetricValue>>;
  /** Extra facts: costs, attribution totals, final risk mode… */
  readonly summary: Readonly<Record<string, unknown>>;
  readonly resultDigest: string;
  readonly start: number | null;
  readonly end: number | null;
  readonly steps: number | null;
}

/** Deterministic run id: kind prefix + first 16 hex digits of the digest of the record (and profile). */
export function runIdOf(repro: Reproducibility, profile: unknown): string {
  const prefix = repro.kind === 'backtest' ? 'bt' : repro.kind.slice(0, 4);
  const d = digestOf({
    kind: repro.kind,
    configDigest: repro.configDigest,
    codeRevision: repro.codeRevision,
    dataDigests: repro.dataDigests,
    seed: repro.seed,
    profile,
  });
  return `${prefix}-${d.slice(0, 16)}`;
}
