/**
 * The AlphaBundle model file (JSON, docs/alpha.md "The model file"): everything needed to score new
 * bars exactly as the fit did — signals and their parameters, the universe rule, the OrthSpec, the
 * ridge coefficients, the calibration and the regime gating — plus the CV curve and a digest of the
 * whole file's content (without the digest field) for provenance.
 */
import { digestOf } from '../core/canonical.js';
import type { Interval } from '../core/time.js';
import type { Calibration } from './calibrate.js';
import type { CvPoint } from './cv.js';
import type { OrthSpec } from './orth.js';
import type { RidgeFit } from './ridge.js';
import type { SignalParams } from './signals.js';
import type { UniverseRule } from './universe.js';

export interface AlphaBundleFile {
  readonly format: 'edgelab-alpha-bundle';
  readonly version: 1;
  readonly name: string;
  readonly interval: Interval;
  readonly symbols: readonly string[];
  readonly universe: UniverseRule;
  readonly signals: readonly string[];
  readonly signalParams: SignalParams;
  readonly label: { readonly horizon: number; readonly volScaled: boolean; readonly demeaned: true };
  readonly orth: OrthSpec;
  readonly ridge: RidgeFit;
  readonly cv: { readonly folds: number; readonly embargo: number; readonly curve: readonly CvPoint[] };
  readonly calibration: Calibration;
  /** Score multipliers by regime label, e.g. { 'crypto:RISK_OFF': 0.5 } (missing labels: 1). */
  readonly gating: Readonly<Record<string, number>>;
  readonly training: { readonly from: number; readonly to: number; readonly rows: number; readonly data: Readonly<Record<string, string>> };
  readonly digest: string;
}

export function sealBundle(body: Omit<AlphaBundleFile, 'digest'>): AlphaBundleFile {
  return { ...body, digest: digestOf(body) };
}

/** True when the file's digest matches its content (a hand-edited file does not). */
export function bundleIntact(b: AlphaBundleFile): boolean {
  const { digest, ...body } = b;
  return digestOf(body) === digest;
}
