/**
 * What `walkforward [EXPERIMENT|MODEL|edge:ID]` walks forward (docs/walkforward.md, "Targets"): an
 * experiment in configs/experiments/ (or a .yaml path), a model, or a discovery candidate, turned
 * into the plan base the optimiser's trials run on (src/optimize/experiment.ts `PlanBase`) and the
 * grid of points each fold chooses among.
 *
 * Points are shown and stored with short names: a model parameter's path
 * `backtest.models.MODEL.parameters.fast` is `fast`; any other config path is kept whole. The trial
 * evaluator maps them back with the optimiser's own resolver (`dimensionPathResolver`).
 */
import { UserError } from '../core/errors.js';
import { INTERVALS, type Interval } from '../core/time.js';
import { suggest } from '../core/suggest.js';
import { mergeOverlay, setPath } from '../config/load.js';
import { findModelSpec, modelNames } from '../models/registry.js';
import { edgeTemplateFor } from '../research/edge-template.js';
import { loadCandidate } from '../store/ledger.js';
import { gridPoints, parseGridFlag, type Dimension, type Point } from '../optimize/dimensions.js';
import { dimensionPathResolver, experimentFile, experimentNames, loadExperiment, planOfPoint, type PlanBase } from '../optimize/experiment.js';
import type { Session } from '../shell/session.js';
import type { ParamPoint } from './run.js';

/** Without --grid, sma_cross walks forward over this grid (fast < slow kept). */
export const DEFAULT_SMA_GRID = 'fast=5..30:5,slow=40..200:40';

export interface WalkForwardTarget {
  /** What the user named: the experiment's name, the model, or edge:ID. */
  readonly name: string;
  /** The experiment's name, when the target is an experiment file. */
  readonly experiment?: string;
  /** The model traded (undefined: an experiment over the configured portfolio). */
  readonly model?: string;
  readonly base: PlanBase;
  readonly interval: Interval;
  readonly symbol?: string;
  /** The grid as given on the command line or in the experiment (for the stored record). */
  readonly grid: string | null;
  /** The points every fold chooses among, short names (feasible ones only). */
  readonly points: readonly ParamPoint[];
  /** Grid points left out because their configuration does not validate (say fast ≥ slow), with the first reason. */
  readonly infeasible: { readonly count: number; readonly reason?: string };
  /** A short name → its config path. */
  readonly pathOf: (name: string) => string;
  /** The objective the experiment names (--objective overrides it). */
  readonly objective?: string;
}

export interface TargetArgs {
  readonly target: string;
  readonly symbol?: string | undefined;
  readonly interval?: Interval | undefined;
  readonly grid?: string | undefined;
}

/** `backtest.models.M.parameters.fast` → `fast` (for model M); any other path unchanged. */
export function shortName(path: string, model: string | undefined): string {
  const prefix = model === undefined ? null : `backtest.models.${model}.parameters.`;
  return prefix && path.startsWith(prefix) && !path.slice(prefix.length).includes('.') ? path.slice(prefix.length) : path;
}

/** The session's configuration with fixed model parameters set (no dimensions are read from them). */
function baseWith(session: Session, model: string, params: Record<string, unknown>, interval: Interval): PlanBase {
  const entry = session.config.backtest.models[model];
  // A model the configuration does not list (edge_template) gets an entry of its own; singleModelPlan gives it the whole budget.
  const raw = entry
    ? setPath(mergeOverlay(session.config, {}), `backtest.models.${model}.parameters`, { ...(entry.parameters as Record<string, unknown>), ...params })
    : setPath(mergeOverlay(session.config, {}), `backtest.models.${model}`, { budget: 0, enabled: false, parameters: params });
  return { raw, settings: { model, interval } };
}

/** The grid's points with short names; points whose configuration does not validate are left out. */
function feasiblePoints(base: PlanBase, dims: readonly Dimension[], model: string | undefined): { points: ParamPoint[]; infeasible: WalkForwardTarget['infeasible'] } {
  const all: Point[] = dims.length ? gridPoints(dims, 10_000) : [{}];
  const points: ParamPoint[] = [];
  let count = 0;
  let reason: string | undefined;
  for (const p of all) {
    try {
      planOfPoint(base, p, 'walkforward');
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      count++;
      reason ??= err.message;
      continue;
    }
    const named: Record<string, number | string | boolean> = {};
    for (const [path, v] of Object.entries(p)) {
      if (typeof v !== 'number' && typeof v !== 'string' && typeof v !== 'boolean') throw new UserError(`${path}: walk-forward chooses among numbers, words or true/false, not ${JSON.stringify(v)}`, 'grid');
      named[shortName(path, model)] = v;
    }
    points.push(named);
  }
  if (points.length === 0) throw new UserError(`no point of the grid is valid${reason ? ` (${reason})` : ''}`, '--grid');
  return { points, infeasible: { count, ...(reason ? { reason } : {}) } };
}

/** Resolve the positional argument: an experiment file first (as `optimize` does), then edge:ID, then a model. */
export async function resolveWalkForwardTarget(session: Session, args: TargetArgs, db: string): Promise<WalkForwardTarget> {
  const file = args.target.startsWith('edge:') ? undefined : experimentFile(session.root, args.target, (p) => session.resolvePath(p));
  if (file) {
    const exp = loadExperiment(file, session.config);
    const model = exp.settings.model;
    const flagDims = args.grid !== undefined ? parseGridFlag(args.grid, dimensionPathResolver(model)) : [];
    const dims = [...exp.dimensions.filter((d) => !flagDims.some((f) => f.path === d.path)), ...flagDims];
    const interval = args.interval ?? exp.settings.interval ?? session.config.backtest.interval;
    let base: PlanBase = { raw: exp.raw, settings: { ...exp.settings, interval } };
    if (args.symbol !== undefined) {
      if (model === undefined) throw new UserError('--symbol needs an experiment with optimize.model (a portfolio experiment names its own symbols)', '--symbol');
      base = { ...base, raw: setPath(base.raw, `backtest.models.${model}.parameters.symbol`, args.symbol.toUpperCase()) };
    }
    const { points, infeasible } = feasiblePoints(base, dims, model);
    const grid = dims.length ? dims.map((d) => `${shortName(d.path, model)}=${d.kind === 'discrete' ? d.values.join('|') : 'continuous'}`).join(',') : null;
    return { name: exp.name, experiment: exp.name, ...(model ? { model } : {}), base, interval, grid, points, infeasible, pathOf: dimensionPathResolver(model), objective: exp.settings.objective };
  }
  if (args.target.startsWith('edge:')) {
    const edge = edgeTemplateFor(await loadCandidate(db, args.target.slice(5)), session.datasets);
    const interval = args.interval ?? edge.interval;
    const base = baseWith(session, 'edge_template', edge.params as Record<string, unknown>, interval);
    const dims = args.grid !== undefined ? parseGridFlag(args.grid, dimensionPathResolver('edge_template')) : [];
    return { name: args.target, model: 'edge_template', base, interval, grid: args.grid ?? null, ...feasiblePoints(base, dims, 'edge_template'), pathOf: dimensionPathResolver('edge_template') };
  }
  const model = args.target;
  if (!findModelSpec(model)) {
    const known = [...experimentNames(session.root), ...modelNames()];
    const hint = suggest(model, known);
    throw new UserError(`unknown model '${model}'${hint ? `; did you mean '${hint}'?` : ''} (models: ${modelNames().join(', ')}; experiments: ${experimentNames(session.root).join(', ') || 'none'})`, 'model');
  }
  const sma = model === 'sma_cross';
  const symbol = args.symbol?.toUpperCase() ?? (sma ? 'SPY' : undefined);
  const interval = args.interval ?? (sma ? '1d' : session.config.backtest.interval);
  if (!(INTERVALS as readonly string[]).includes(interval)) throw new UserError(`unknown interval '${interval}'`, '--interval');
  const base = baseWith(session, model, symbol ? { symbol } : {}, interval);
  const grid = args.grid ?? (sma ? DEFAULT_SMA_GRID : null);
  const dims = grid ? parseGridFlag(grid, dimensionPathResolver(model)) : [];
  return { name: model, model, base, interval, ...(symbol ? { symbol } : {}), grid, ...feasiblePoints(base, dims, model), pathOf: dimensionPathResolver(model) };
}
