/**
 * Scoring with a fitted AlphaBundle: signals → standardise + orthogonalise (the saved OrthSpec) →
 * ridge score → calibrated μ → regime gating. Works on a whole panel (`fit apply`) and on one bar's
 * cross-section (the `alpha_bundle` model), through the same functions.
 */
import type { RegimeSnapshot } from '../regime/types.js';
import type { AlphaBundleFile } from './bundle.js';
import { calibrate } from './calibrate.js';
import { buildDesign } from './design.js';
import { toMatrix } from './cv.js';
import { applyOrth } from './orth.js';
import { predictRidge } from './ridge.js';
import { buildSignals } from './signals.js';
import { universeMembership } from './universe.js';
import type { Panel } from './panel.js';

const GATED_DIMENSIONS = ['equity', 'vol', 'crypto', 'macro'] as const;

/**
 * Regime gate: the product of the multipliers of every label the snapshot carries. A dimension the
 * snapshot lists in `noData` (regime/coverage.ts: its value is the neutral default, not a measured
 * regime) matches no gate, as regime budgets treat it.
 */
export function gateScale(gating: Readonly<Record<string, number>>, snapshot: RegimeSnapshot | null): number {
  if (!snapshot) return 1;
  let scale = 1;
  for (const dim of GATED_DIMENSIONS) {
    if (snapshot.noData?.includes(dim)) continue;
    const m = gating[`${dim}:${snapshot[dim]}`];
    if (m !== undefined) scale *= m;
  }
  return scale;
}

export interface Scored {
  readonly member: Uint8Array;
  /** Ridge score per cell (NaN off-universe or where a signal is missing). */
  readonly score: Float64Array;
  /** Calibrated and gated expected return per cell. */
  readonly mu: Float64Array;
  readonly signals: ReadonlyMap<string, Float64Array>;
}

/** Score every bar of a panel. `regimeAt(t)` gives the snapshot known at bar t's close (or null: no gating). */
export function scorePanel(bundle: AlphaBundleFile, panel: Panel, regimeAt: ((barClose: number) => RegimeSnapshot | null) | null): Scored {
  const N = panel.symbols.length;
  const T = panel.ts.length;
  const member = universeMembership(panel, bundle.universe);
  const signals = buildSignals(panel, bundle.signals, member, bundle.signalParams);
  const design = buildDesign(signals, bundle.signals, N, member, null);
  const x = applyOrth(bundle.orth, design.x, design.rows);
  const score = toMatrix(design, predictRidge(bundle.ridge, x, design.rows), T, N);
  const mu = new Float64Array(T * N).fill(NaN);
  const step = panel.ts.length > 1 ? panel.ts[1]! - panel.ts[0]! : 0;
  for (let t = 0; t < T; t++) {
    const scale = regimeAt ? gateScale(bundle.gating, regimeAt(panel.ts[t]! + step)) : 1;
    for (let i = 0; i < N; i++) {
      const s = score[t * N + i]!;
      if (Number.isFinite(s)) mu[t * N + i] = calibrate(bundle.calibration, s) * scale;
    }
  }
  return { member, score, mu, signals };
}
