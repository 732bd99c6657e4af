/**
 * `fit --model gbdt`: state forecasts on the loaded universe (docs/ml.md). For each horizon: the
 * state design (state-features.ts), walk-forward out-of-fold forecasts (forecast.ts), then a final
 * model on every row (its last fifth of bars, purged, for early stopping) saved as
 * <data root>/models/NAME-hH.gbdt.json. The out-of-fold predictions (ts, symbol, fold, horizon,
 * p_down, p_flat, p_up or prediction, y, forward return) become the dataset predictions:NAME and
 * <data root>/models/NAME.predictions.parquet, read by `fit meta` and `export predictions`.
 */
import { z } from 'zod';
import { join } from 'node:path';
import { ok, table, text, type Block, type CommandResult, type SeriesBlock } from '../core/result.js';
import { UserError, throwIfAborted } from '../core/errors.js';
import { tableDigest, type ColumnTable, type Dataset } from '../core/table.js';
import { writeParquet } from '../data/lake/parquet.js';
import { checkModelName } from '../alpha/store.js';
import { horizonBars, panelFor, parseIntervalArg, type AlphaSessionLike } from '../alpha/workflow.js';
import { icPerBar, summariseIc } from '../alpha/ic.js';
import type { Panel } from '../alpha/panel.js';
import { parseObjective, type ObjectiveName } from './gbdt/objective.js';
import { saveModel, type GbdtParams } from './gbdt/model.js';
import { trainGbdt } from './gbdt/train.js';
import { gainImportance } from './gbdt/importance.js';
import { learningSeries, learningTable } from './learning-table.js';
import { oofScores, reliability, walkForwardOof, type OofResult } from './forecast.js';
import { buildStateDesign, regimeClassAtClose, STATE_FEATURES, targetClasses, type StateDesign, type StateTarget } from './state-features.js';
import { hmmTimelineFor, type RegimeSessionLike } from '../regime/state.js';

/** Flags of `fit --model gbdt`, spread into the fit command's schema. */
export const gbdtFitFields = {
  model: z.enum(['alpha_bundle', 'gbdt']).default('alpha_bundle').describe('alpha_bundle (cross-sectional ridge) or gbdt (boosted-tree state forecasts, docs/ml.md; the learning pane shows train vs validation loss per round)'),
  objective: z.string().default('multiclass').describe('gbdt: multiclass (P down/flat/up), binary (P up) or regression (forward return)'),
  horizons: z.string().default('1d,3d,5d').describe('gbdt: forecast horizons, comma-separated durations or bar counts'),
  rounds: z.coerce.number().int().min(1).default(200).describe('gbdt: boosting rounds (early stopping may keep fewer)'),
  depth: z.coerce.number().int().min(0).default(4).describe('gbdt: maximum tree depth (0: none; then set --leaves)'),
  leaves: z.coerce.number().int().min(0).default(0).describe('gbdt: maximum leaves per tree (0: none)'),
  growth: z.enum(['depthwise', 'leafwise']).default('depthwise').describe('gbdt: depth-wise (XGBoost) or leaf-wise (LightGBM) growth'),
  learningRate: z.coerce.number().default(0.05).describe('gbdt: shrinkage η on every leaf value'),
  l2: z.coerce.number().default(1).describe('gbdt: L2 penalty λ on leaf values'),
  minGain: z.coerce.number().default(0).describe('gbdt: minimum split gain γ'),
  minLeaf: z.coerce.number().int().default(20).describe('gbdt: minimum rows per leaf'),
  subsample: z.coerce.number().default(0.8).describe('gbdt: share of rows drawn per tree (seeded)'),
  colsample: z.coerce.number().default(1).describe('gbdt: share of features drawn per tree (seeded)'),
  earlyStop: z.coerce.number().int().min(0).default(20).describe('gbdt: rounds without a better validation loss before stopping (0: off)'),
  flatBand: z.coerce.number().min(0).default(0.5).describe('gbdt: flat when |forward return| ≤ band × σ × √horizon'),
  volWindow: z.coerce.number().int().min(2).default(20).describe('gbdt: bars in the volatility window of the features and the band'),
  target: z.enum(['direction', 'regime']).default('direction').describe("gbdt: direction (down/flat/up over the horizon) or regime (the regime engine's HMM state bull/choppy/bear/crash at t + horizon, point-in-time fit; multiclass only)"),
  threads: z.coerce.number().int().min(1).max(64).default(1).describe('gbdt: histogram threads (more than 1 uses the worker pool on tables of 100k rows or more; needs npm run build)'),
};

interface GbdtFitArgs {
  objective: string; horizons: string; rounds: number; depth: number; leaves: number; growth: 'depthwise' | 'leafwise';
  learningRate: number; l2: number; minGain: number; minLeaf: number; subsample: number; colsample: number; earlyStop: number;
  flatBand: number; volWindow: number; target: StateTarget; threads: number; out: string; interval?: string | undefined; symbols?: string | undefined; folds: number; embargo?: number | undefined;
}

interface FitSession extends AlphaSessionLike, Pick<RegimeSessionLike, 'config' | 'state'> { readonly seed: number; addDataset(d: Dataset): void }
interface FitIO { readonly signal: AbortSignal; progress(p: { label: string; fraction?: number }): void }

const r4 = (v: number): number | null => (Number.isFinite(v) ? Math.round(v * 1e4) / 1e4 : null);

export async function runGbdtFit(session: FitSession, args: GbdtFitArgs, io: FitIO): Promise<CommandResult> {
  const objective = parseObjective(args.objective);
  const name = args.out === 'alpha_bundle' ? 'state' : args.out;
  checkModelName(name);
  const interval = parseIntervalArg(args.interval, session.datasets);
  const horizons = args.horizons.split(',').map((s) => s.trim()).filter(Boolean).map((s) => ({ label: s, bars: horizonBars(s, interval) }));
  if (!horizons.length) throw new UserError('no horizon given', '--horizons');
  const params: Partial<GbdtParams> & { objective: ObjectiveName } = {
    objective, rounds: args.rounds, maxDepth: args.depth, maxLeaves: args.leaves, growth: args.growth, learningRate: args.learningRate,
    lambda: args.l2, gamma: args.minGain, minSamplesLeaf: args.minLeaf, subsample: args.subsample, colsample: args.colsample,
    earlyStoppingRounds: args.earlyStop, seed: session.seed, threads: args.threads,
  };
  if (args.target === 'regime' && objective !== 'multiclass') throw new UserError(`--target regime forecasts the four HMM states: use --objective multiclass, not ${objective}`, '--target');
  io.progress({ label: 'panel' });
  const { panel } = await panelFor(session, interval, args.symbols?.split(',').map((s) => s.trim().toUpperCase()));
  const regimeAtClose = args.target === 'regime' ? regimeLabels(session, panel, io.signal) : undefined;
  const out: HorizonFit[] = [];
  for (const [hi, h] of horizons.entries()) {
    throwIfAborted(io.signal);
    out.push(await fitHorizon(session, panel, name, h, params, args, regimeAtClose, (d, t) => io.progress({ label: `horizon ${h.label}: fold ${d}/${t}`, fraction: (hi + d / Math.max(1, t)) / horizons.length }), io.signal));
  }
  const predictions = predictionsTable(panel, out, objective, args.target);
  const ds: Dataset = { name: `predictions:${name}`, kind: 'table', stage: 'derived', interval, source: `gbdt:${name}`, table: predictions, digest: tableDigest(predictions), meta: { model: name, target: args.target, models: Object.fromEntries(out.map((o) => [String(o.bars), o.modelName])), volWindow: args.volWindow, symbols: panel.symbols, note: 'out-of-fold predictions only (walk-forward, purged and embargoed)' } };
  session.addDataset(ds);
  await writeParquet(predictions, join(session.dataRoot, 'models', `${name}.predictions.parquet`));
  return ok('fit gbdt', resultBlocks(name, panel, out, objective, args.target), `${name}: ${out.map((o) => `${o.label} OOF acc ${r4(o.scores.accuracy)} log-loss ${r4(o.scores.logLoss)} IC ${r4(o.ic.mean)}`).join(' · ')}`);
}

interface HorizonFit {
  readonly label: string; readonly bars: number; readonly design: StateDesign; readonly oof: OofResult;
  readonly scores: ReturnType<typeof oofScores>; readonly ic: ReturnType<typeof summariseIc>;
  readonly curve: readonly { round: number; train: number; valid: number }[]; readonly modelName: string;
  readonly importance: ReturnType<typeof gainImportance>; readonly rounds: number; readonly stoppedEarly: boolean; readonly digest: string;
}

/**
 * Regime class at each bar's close from the regime engine's HMM, fitted point in time: the
 * configured fit window unless it is 'full' (parameters fitted on later data), then 'expanding'.
 */
function regimeLabels(session: FitSession, panel: Panel, signal: AbortSignal): Int8Array {
  const configured = session.config.regime.hmm.fit_window;
  const timeline = hmmTimelineFor(session as unknown as RegimeSessionLike, { fitWindow: configured === 'full' ? 'expanding' : configured, signal });
  const labels = regimeClassAtClose(panel, timeline.lookup);
  if (!labels.some((c) => c >= 0)) throw new UserError(`the regime HMM (${timeline.obs.source}) has no point-in-time state inside the panel's bars: load more history`, '--target');
  return labels;
}

async function fitHorizon(session: FitSession, panel: Panel, name: string, h: { label: string; bars: number }, params: Partial<GbdtParams> & { objective: ObjectiveName }, args: GbdtFitArgs, regimeAtClose: Int8Array | undefined, progress: (d: number, t: number) => void, signal: AbortSignal): Promise<HorizonFit> {
  const design = buildStateDesign(panel, h.bars, args.volWindow, args.flatBand, regimeAtClose);
  if (design.rows < 200) throw new UserError(`only ${design.rows} rows have features and a ${h.label} label: load more bars`, 'fit');
  const y = params.objective === 'binary' ? design.y.map((c) => (c === 2 ? 1 : 0)) : params.objective === 'regression' ? design.forward : design.y;
  const d = { rows: design.rows, features: design.features, x: design.x, y, bar: design.bar };
  const embargo = args.embargo ?? h.bars;
  const oof = await walkForwardOof(d, STATE_FEATURES, { folds: args.folds, horizon: h.bars, embargo, validFraction: 0.2 }, params, progress, signal);
  // Final model: every row, early stopping on the last fifth of bars (purged by the horizon).
  const lastBar = design.bar[design.rows - 1]!, firstBar = design.bar[0]!;
  const validFrom = lastBar - Math.floor((lastBar - firstBar + 1) * 0.2) + 1;
  const pick = (keep: (b: number) => boolean) => {
    const rows = Array.from(design.bar.keys()).filter((r) => keep(design.bar[r]!));
    const F = design.features;
    const x = new Float64Array(rows.length * F);
    rows.forEach((r, j) => x.set(design.x.subarray(r * F, r * F + F), j * F));
    return { x, rows: rows.length, features: F, y: Float64Array.from(rows, (r) => y[r]!) };
  };
  const final = await trainGbdt(`${name}-${h.label}`, STATE_FEATURES, pick((b) => b < validFrom - h.bars), pick((b) => b >= validFrom), params, { signal });
  saveModel(session.dataRoot, final.model);
  const N = panel.symbols.length, T = panel.ts.length;
  const score = new Float64Array(T * N).fill(NaN), fwd = new Float64Array(T * N).fill(NaN);
  const k = oof.numClass;
  for (let r = 0; r < design.rows; r++) {
    const c = design.bar[r]! * N + design.symbol[r]!;
    // IC score: P(up) − P(down), or P(bull) − P(bear) for the regime target (classes in HMM_LABELS order).
    score[c] = args.target === 'regime' ? oof.prob[r * k]! - (k > 2 ? oof.prob[r * k + 2]! : 0) : k === 3 ? oof.prob[r * 3 + 2]! - oof.prob[r * 3]! : oof.prob[r]!;
    fwd[c] = design.forward[r]!;
  }
  const scores = params.objective === 'regression' ? { rows: 0, accuracy: NaN, logLoss: NaN } : oofScores(k === 1 ? binaryAsTwo(oof.prob) : oof.prob, k === 1 ? 2 : k, y);
  return {
    label: h.label, bars: h.bars, design, oof, scores, ic: summariseIc(icPerBar(score, fwd, N), h.bars - 1),
    curve: final.curve, modelName: final.model.name, importance: gainImportance(final.model), rounds: final.bestRound, stoppedEarly: final.stoppedEarly, digest: final.model.digest,
  };
}

function binaryAsTwo(p: Float64Array): Float64Array {
  const out = new Float64Array(p.length * 2);
  p.forEach((v, r) => { out[2 * r] = 1 - v; out[2 * r + 1] = v; });
  return out;
}

/** One row per (horizon, design row) with an out-of-fold prediction. */
function predictionsTable(panel: Panel, fits: readonly HorizonFit[], objective: ObjectiveName, target: StateTarget): ColumnTable {
  const classes = targetClasses(target);
  const ts: number[] = [], symbol: string[] = [], fold: number[] = [], horizon: number[] = [], y: number[] = [], fwd: number[] = [];
  const cols: number[][] = objective === 'multiclass' ? classes.map(() => []) : [[]];
  for (const f of fits) {
    const k = f.oof.numClass;
    for (let r = 0; r < f.design.rows; r++) {
      if (f.oof.fold[r]! < 0) continue;
      ts.push(panel.ts[f.design.bar[r]!]!); symbol.push(panel.symbols[f.design.symbol[r]!]!); fold.push(f.oof.fold[r]!);
      horizon.push(f.bars); y.push(f.design.y[r]!); fwd.push(f.design.forward[r]!);
      for (let c = 0; c < cols.length; c++) cols[c]!.push(c < k ? f.oof.prob[r * k + c]! : 0); // a class no training row had: P = 0
    }
  }
  const columns: Record<string, Float64Array | string[]> = { ts: Float64Array.from(ts), symbol, fold: Float64Array.from(fold), horizon: Float64Array.from(horizon) };
  if (objective === 'multiclass') classes.forEach((cls, c) => { columns[`p_${cls}`] = Float64Array.from(cols[c]!); });
  else columns[objective === 'binary' ? 'p_up' : 'prediction'] = Float64Array.from(cols[0]!);
  columns['state'] = Float64Array.from(y);
  columns['forward_return'] = Float64Array.from(fwd);
  return { length: ts.length, columns };
}

function resultBlocks(name: string, panel: Panel, fits: readonly HorizonFit[], objective: ObjectiveName, target: StateTarget): Block[] {
  const head = text([
    `${name}: ${objective} boosted trees (target ${target}: ${targetClasses(target).join(' / ')}) on ${panel.symbols.length} symbols × ${panel.ts.length} ${panel.interval} bars, features ${STATE_FEATURES.join(', ')}`,
    ...fits.map((f) => `  ${f.label} (${f.bars} bars): ${f.design.rows} rows, final model ${f.rounds} rounds, digest ${f.digest.slice(0, 12)}, saved as models/${f.modelName}.gbdt.json`),
    `out-of-fold predictions: predictions:${name} (export predictions ${name} PATH)`,
    `learning curves: ${objective === 'regression' ? 'mean squared error' : 'log-loss'} per round of each final model, train and validation (pane learning; selected rounds in a table below)`,
    `IC: correlation of ${target === 'regime' ? 'P(bull) − P(bear)' : objective === 'regression' ? 'the prediction' : 'P(up) − P(down)'} with the forward return across symbols, per bar; IC t (HH) allows for overlapping labels (Hansen–Hodrick)`,
  ].join('\n'));
  const oofTable = table(['horizon', 'OOF rows', 'accuracy', 'log-loss', 'IC', 'IC t (HH)'],
    fits.map((f) => [f.label, f.scores.rows || f.oof.fold.filter((x) => x >= 0).length, r4(f.scores.accuracy), r4(f.scores.logLoss), r4(f.ic.mean), r4(f.ic.t)]),
    'out-of-fold scores (walk-forward, purged + embargoed)');
  const importance = table(['feature', ...fits.map((f) => `gain share ${f.label}`)], STATE_FEATURES.map((feat, i) => [feat, ...fits.map((f) => r4(f.importance[i]!.gainShare))]), 'feature importance (share of total split gain, final models)');
  // The learning curves (pane 'learning') and the selected rounds a headless run prints.
  const models = fits.map((f) => ({ label: f.label, curve: f.curve, kept: f.rounds, stoppedEarly: f.stoppedEarly }));
  const curves: SeriesBlock[] = models.map(learningSeries);
  const blocks: Block[] = [head, oofTable, importance, ...curves, learningTable(models)];
  if (objective !== 'regression') {
    const f = fits[0]!;
    const regime = target === 'regime';
    const k = f.oof.numClass === 1 ? 2 : f.oof.numClass;
    const prob = f.oof.numClass === 1 ? binaryAsTwo(f.oof.prob) : f.oof.prob;
    const y = objective === 'binary' ? f.design.y.map((c) => (c === 2 ? 1 : 0)) : f.design.y;
    const cls = regime ? 0 : objective === 'binary' ? 1 : 2;
    const what = regime ? 'bull' : 'up';
    blocks.push(table([`P(${what}) from`, 'to', 'rows', 'mean predicted', `observed ${what}`], reliability(prob, k, y, cls).map((b) => [b.from, b.to, b.rows, r4(b.predicted), r4(b.observed)]), `reliability of out-of-fold P(${what}), horizon ${f.label}`));
  }
  return blocks;
}
