/**
 * Fit an AlphaBundle on a panel (docs/alpha.md): universe snapshots → signals → demeaned forward
 * labels → design rows → purged blocked CV over a λ grid → refit on all rows with the chosen λ →
 * calibration on the out-of-fold scores → the model file, with diagnostics beside it.
 */
import { UserError, throwIfAborted } from '../core/errors.js';
import { sealBundle, type AlphaBundleFile } from './bundle.js';
import { fitCalibration, type CalibrationMethod } from './calibrate.js';
import { crossValidate, toMatrix, type CvResult } from './cv.js';
import { buildDesign, type Design } from './design.js';
import { icDecay, icTable, scoreTurnover, signalCorrelations, type IcRow } from './diagnostics.js';
import { assertPurged, purgedFolds, type Fold } from './folds.js';
import { icPerBar, rankIcPerBar, summariseIc, type IcSummary } from './ic.js';
import { demeanAcross, forwardReturns } from './labels.js';
import { orthFromMoments, orthLinearMap, type OrthMethod } from './orth.js';
import { solveRidge } from './ridge.js';
import { momentsOf, transformMoments } from './moments.js';
import { buildSignals, DEFAULT_SIGNAL_PARAMS, type SignalParams } from './signals.js';
import { universeMembership, type UniverseRule } from './universe.js';
import type { Panel } from './panel.js';

export interface AlphaFitOptions {
  readonly name: string;
  readonly signals: readonly string[];
  readonly universe: UniverseRule;
  /** Label horizon in bars. */
  readonly horizon: number;
  readonly volScaledLabel: boolean;
  readonly orth: OrthMethod;
  readonly lambdas: readonly number[];
  readonly folds: number;
  /** Bars embargoed after each test block. @default horizon */
  readonly embargo: number;
  readonly calibration: CalibrationMethod;
  readonly gating: Readonly<Record<string, number>>;
  readonly signalParams?: SignalParams;
  /** Digests of the datasets the panel was built from (recorded in the file). */
  readonly data: Readonly<Record<string, string>>;
}

export interface AlphaFitResult {
  readonly bundle: AlphaBundleFile;
  readonly design: Design;
  readonly folds: readonly Fold[];
  readonly cv: CvResult;
  readonly oofIc: IcSummary;
  readonly oofRankIc: IcSummary;
  readonly signalIc: readonly IcRow[];
  readonly decay: readonly { horizon: number; ic: IcSummary }[];
  readonly correlations: readonly number[];
  readonly turnover: number;
  readonly members: { readonly mean: number; readonly min: number; readonly max: number };
}

export interface FitProgress { (label: string, done: number, total: number): void }

export function fitAlphaBundle(panel: Panel, o: AlphaFitOptions, progress?: FitProgress, signal?: AbortSignal): AlphaFitResult {
  const N = panel.symbols.length;
  const T = panel.ts.length;
  const params = o.signalParams ?? DEFAULT_SIGNAL_PARAMS;
  progress?.('universe and signals', 0, 1);
  const member = universeMembership(panel, o.universe);
  const signals = buildSignals(panel, o.signals, member, params);
  throwIfAborted(signal);
  const label = demeanAcross(forwardReturns(panel, { horizon: o.horizon, volScaled: o.volScaledLabel, volWindow: params.volWindow }), N, member);
  const design = buildDesign(signals, o.signals, N, member, label);
  if (design.rows < 50 * o.signals.length) {
    throw new UserError(`only ${design.rows} rows have every signal and a label (universe members × bars); need at least ${50 * o.signals.length}`, 'fit');
  }
  const folds = purgedFolds(design.bar, { folds: o.folds, horizon: o.horizon, embargo: o.embargo });
  assertPurged(folds, design.bar, o.horizon);
  const cv = crossValidate(design, folds, o.lambdas, o.orth, T, N, o.horizon, (d, t) => progress?.('cross-validation', d, t), signal);
  const lambda = cv.curve[cv.best]!.lambda;
  const moments = momentsOf(design.x, o.signals.length, design.y);
  const orth = orthFromMoments(o.orth, o.signals, moments);
  const ridge = solveRidge(transformMoments(moments, orthLinearMap(orth)), lambda);
  const oofRows: number[] = [];
  for (let r = 0; r < design.rows; r++) if (Number.isFinite(cv.oof[r]!)) oofRows.push(r);
  const calibration = fitCalibration(o.calibration, Float64Array.from(oofRows, (r) => cv.oof[r]!), Float64Array.from(oofRows, (r) => design.y[r]!));
  progress?.('diagnostics', 0, 1);
  const oofScore = toMatrix(design, cv.oof, T, N);
  const bundle = sealBundle({
    format: 'edgelab-alpha-bundle', version: 1, name: o.name, interval: panel.interval, symbols: panel.symbols,
    universe: o.universe, signals: o.signals, signalParams: params,
    label: { horizon: o.horizon, volScaled: o.volScaledLabel, demeaned: true },
    orth, ridge, cv: { folds: o.folds, embargo: o.embargo, curve: cv.curve }, calibration, gating: o.gating,
    training: { from: panel.ts[design.bar[0]!]!, to: panel.ts[design.bar[design.rows - 1]!]!, rows: design.rows, data: o.data },
  });
  let sum = 0, min = Infinity, max = 0, bars = 0;
  for (let t = 0; t < T; t++) {
    let c = 0;
    for (let i = 0; i < N; i++) c += member[t * N + i]!;
    if (c === 0) continue;
    sum += c; bars++; min = Math.min(min, c); max = Math.max(max, c);
  }
  return {
    bundle, design, folds, cv,
    oofIc: summariseIc(icPerBar(oofScore, label, N), o.horizon - 1),
    oofRankIc: summariseIc(rankIcPerBar(oofScore, label, N), o.horizon - 1),
    signalIc: icTable(signals, label, N, o.horizon - 1),
    decay: icDecay(oofScore, panel, member, [...new Set([1, 2, 4, 8, 12, 24, o.horizon])].sort((a, b) => a - b)),
    correlations: signalCorrelations(design),
    turnover: scoreTurnover(oofScore, N),
    members: { mean: bars ? sum / bars : 0, min: bars ? min : 0, max },
  };
}
