/**
 * Experiments (docs/optimize.md): YAML overlays over the session's configuration (configs/base.yaml
 * plus any `config set`), kept in configs/experiments/NAME.yaml. Fields holding a list, a range or a
 * distribution are search dimensions (dimensions.ts); an optional `optimize:` section says what to
 * search and how. Every problem is one UserError naming the file and the YAML path.
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { UserError } from '../core/errors.js';
import { INTERVALS, type Interval } from '../core/time.js';
import { formatIssues, mergeOverlay, readYamlFile, setPath, validateConfig } from '../config/load.js';
import type { EdgelabConfig } from '../config/schema.js';
import { portfolioPlan, singleModelPlan, type BacktestPlan } from '../backtest/run-backtest-plan.js';
import { findModelSpec } from '../models/registry.js';
import { extractDimensions, type Dimension, type Point } from './dimensions.js';

export const EXPERIMENTS_DIR = 'configs/experiments';
export const DEFAULT_EXPERIMENT = 'demo';

export const optimizeSection = z
  .object({
    model: z.string().min(1).optional().describe('optimise this one model (single-model backtest); omit to optimise the configured portfolio'),
    interval: z.enum(INTERVALS as [Interval, ...Interval[]]).optional().describe('bar interval of every trial (default backtest.interval)'),
    commission_pct: z.number().min(0).max(10).optional().describe('single model: commission in % of notional (slippage and impact then 0), as backtest --commission-pct'),
    objective: z.string().min(1).default('bps').describe('metric to maximise (bps = Balanced Performance Score); max_drawdown and volatility are minimised'),
    grid: z.boolean().default(true).describe('evaluate the full grid of the discrete dimensions (false: only random + EA)'),
    random: z.number().int().min(0).max(1_000_000).default(0).describe('random points drawn from the dimensions (seeded)'),
    ea: z
      .object({
        generations: z.number().int().min(0).max(10_000).default(0).describe('generations of evolutionary refinement (0: none)'),
        population: z.number().int().min(2).max(10_000).default(16).describe('individuals per generation'),
        elite: z.number().int().min(0).max(1000).default(2).describe('best individuals carried over unchanged'),
        mutation: z.number().min(0).max(1).default(0.3).describe('probability of mutating each gene'),
        crossover: z.number().min(0).max(1).default(0.7).describe('probability that a child mixes two parents (else copies one)'),
        tournament: z.number().int().min(1).max(64).default(3).describe('tournament size of the selection'),
      })
      .strict()
      .default({ generations: 0, population: 16, elite: 2, mutation: 0.3, crossover: 0.7, tournament: 3 }),
    seed: z.number().int().min(0).nullable().default(null).describe('seed of random and EA (null: the session seed)'),
  })
  .strict();

export type OptimizeSettings = z.infer<typeof optimizeSection>;
export type EaSettings = OptimizeSettings['ea'];

export interface Experiment {
  /** File stem ('demo') or the model name for an ad-hoc `optimize MODEL --grid …`. */
  readonly name: string;
  /** The YAML file, when the experiment came from one. */
  readonly file?: string;
  /** The configuration with the overlay applied (dimensions at their first value), as plain data. */
  readonly raw: unknown;
  readonly config: EdgelabConfig;
  readonly dimensions: readonly Dimension[];
  readonly settings: OptimizeSettings;
}

/** Names of the experiments in configs/experiments/ (for completion and errors). */
export function experimentNames(root: string): string[] {
  const dir = join(root, EXPERIMENTS_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .map((f) => f.replace(/\.ya?ml$/, ''))
    .sort();
}

/** The file of experiment `ref`: a path to a .yaml file, or a name in configs/experiments/. */
export function experimentFile(root: string, ref: string, resolvePath: (p: string) => string): string | undefined {
  if (/\.ya?ml$/.test(ref)) {
    const p = resolvePath(ref);
    if (!existsSync(p)) throw new UserError('no such experiment file', ref);
    return p;
  }
  for (const ext of ['.yaml', '.yml']) {
    const p = join(root, EXPERIMENTS_DIR, `${ref}${ext}`);
    if (existsSync(p)) return p;
  }
  return undefined;
}

function parseSettings(raw: unknown, where: string): OptimizeSettings {
  const parsed = optimizeSection.safeParse(raw ?? {});
  if (!parsed.success) {
    const text = formatIssues(parsed.error).replace(/Invalid input: /g, '');
    throw new UserError(text.split('; ').map((s) => `optimize.${s}`).join('; '), where);
  }
  return parsed.data;
}

/**
 * Build an experiment from an overlay object over `base` (the session's configuration as plain
 * data). `where` names the file in errors.
 */
export function experimentFromOverlay(name: string, overlay: unknown, base: EdgelabConfig, where: string, file?: string): Experiment {
  if (overlay !== undefined && overlay !== null && (typeof overlay !== 'object' || Array.isArray(overlay))) {
    throw new UserError('an experiment is a YAML mapping of config sections (e.g. backtest: …) and an optional optimize: section', where);
  }
  const { optimize: rawSettings, ...sections } = (overlay ?? {}) as Record<string, unknown>;
  const settings = parseSettings(rawSettings, where);
  const { overlay: plain, dimensions } = extractDimensions(sections, base, where);
  const raw = mergeOverlay(base, plain);
  const config = validateConfig(raw, where);
  if (settings.model !== undefined && !findModelSpec(settings.model)) throw new UserError(`optimize.model: unknown model '${settings.model}'`, where);
  return { name, raw, config, dimensions, settings, ...(file ? { file } : {}) };
}

export function loadExperiment(file: string, base: EdgelabConfig): Experiment {
  const name = basename(file).replace(/\.ya?ml$/, '');
  return experimentFromOverlay(name, readYamlFile(file), base, file, file);
}

/** Experiment settings as the plan builder needs them. */
export interface PlanBase {
  readonly raw: unknown;
  readonly settings: Pick<OptimizeSettings, 'model' | 'interval' | 'commission_pct'>;
}

/**
 * The backtest plan of one point: each dimension's value set at its path in the configuration,
 * validated (the message names the path), then the single-model or portfolio plan.
 *
 * A point that sets only the single model's own parameters (`backtest.models.MODEL.parameters.NAME`,
 * every grid over sma_cross's fast and slow) takes the base's validated configuration (validated once
 * per base) with those parameters replaced instead of validating the whole configuration again per
 * point (about a millisecond each, serial before any trial starts): the configuration schema holds a
 * model's parameters as a record of unknown values without checking them, so validating the
 * configuration with other parameters gives the same configuration with those parameters; the
 * model's own schema checks them in `singleModelPlan` as before. test/optimize/experiment.test.ts
 * compares the plans with `planOfPointInFull`'s.
 */
export function planOfPoint(base: PlanBase, point: Point, where = 'experiment'): BacktestPlan {
  const config = base.settings.model !== undefined ? withModelParameters(base, base.settings.model, point, where) : undefined;
  return planOfConfig(base, config ?? configOfPoint(base, point, where));
}

/** `planOfPoint` validating the whole configuration of the point. */
export function planOfPointInFull(base: PlanBase, point: Point, where = 'experiment'): BacktestPlan {
  return planOfConfig(base, configOfPoint(base, point, where));
}

function configOfPoint(base: PlanBase, point: Point, where: string): EdgelabConfig {
  let raw = base.raw;
  for (const [path, value] of Object.entries(point)) raw = setPath(raw, path, value);
  return validateConfig(raw, where);
}

function planOfConfig(base: PlanBase, config: EdgelabConfig): BacktestPlan {
  const s = base.settings;
  if (s.model === undefined) {
    const plan = portfolioPlan(config);
    return s.interval !== undefined ? { ...plan, interval: s.interval } : plan;
  }
  const dimPath = (field: string): string => `backtest.models.${s.model}.parameters.${field}`;
  return singleModelPlan(config, s.model, {
    ...(s.interval !== undefined ? { interval: s.interval } : {}),
    ...(s.commission_pct !== undefined ? { commissionPct: s.commission_pct } : {}),
    where: dimPath,
  });
}

/** Validated base configurations, by the base's raw object. */
const validatedBases = new WeakMap<object, EdgelabConfig | null>();

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The configuration of a point that sets only parameters of `model` (see `planOfPoint`), or
 * undefined when the point sets anything else or the base has no entry for the model (the whole
 * configuration is then validated).
 */
function withModelParameters(base: PlanBase, model: string, point: Point, where: string): EdgelabConfig | undefined {
  const prefix = `backtest.models.${model}.parameters.`;
  const fields = Object.keys(point);
  if (!fields.every((path) => path.startsWith(prefix) && path.length > prefix.length && !path.slice(prefix.length).includes('.'))) return undefined;
  const raw = base.raw;
  const rawEntry = isPlainObject(raw) && isPlainObject(raw['backtest']) && isPlainObject(raw['backtest']['models']) ? raw['backtest']['models'][model] : undefined;
  if (!isPlainObject(rawEntry) || !isPlainObject(rawEntry['parameters'])) return undefined;
  let config = validatedBases.get(raw as object);
  if (config === undefined) {
    try {
      config = validateConfig(raw, where);
    } catch {
      config = null;
    }
    validatedBases.set(raw as object, config);
  }
  const entry = config?.backtest.models[model];
  if (!config || !entry) return undefined;
  const parameters: Record<string, unknown> = { ...entry.parameters };
  for (const [path, value] of Object.entries(point)) parameters[path.slice(prefix.length)] = value;
  return { ...config, backtest: { ...config.backtest, models: { ...config.backtest.models, [model]: { ...entry, parameters } } } };
}

/** `fast` → `backtest.models.MODEL.parameters.fast`; a dotted path is kept as given. */
export function dimensionPathResolver(model: string | undefined): (name: string) => string {
  return (name) => {
    if (name.includes('.')) return name;
    if (model === undefined) throw new UserError(`'${name}' is not a config path; with no model, give the full path (e.g. backtest.risk.max_gross)`, '--grid');
    return `backtest.models.${model}.parameters.${name}`;
  };
}
