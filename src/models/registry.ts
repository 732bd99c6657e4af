/**
 * The model registry: every model the backtest can build, by the name used under
 * `backtest.models` in the config and on the `backtest` command line. Each entry carries its zod
 * parameter schema (defaults included), the daily features it reads, and what the bias probes
 * need to know about it.
 */
import type { z } from 'zod';
import { UserError } from '../core/errors.js';
import { intervalMs, type Interval } from '../core/time.js';
import type { Model } from './types.js';
import { createSmaCross, smaCrossParams } from './sma-cross.js';
import { createEquityTrend, equityTrendFeatures, equityTrendParams } from './equity-trend.js';
import { createIndexMeanReversion, indexMeanReversionParams } from './index-mean-reversion.js';
import { barsPerDay, createCryptoMomentum, cryptoMomentumParams } from './crypto-momentum.js';
import { createVolCompression, volCompressionParams } from './vol-compression.js';
import { createEdgeTemplate, edgeTemplateParams } from './edge-template.js';
import { alphaBundleParams, createAlphaBundle } from './alpha-bundle.js';
import { createHybridAlpha, hybridAlphaParams } from './hybrid-alpha.js';

/** What a model is built against. */
export interface ModelEnv {
  /** Interval of the backtest's common clock. */
  readonly interval: Interval;
}

export interface ModelSpec {
  readonly name: string;
  readonly summary: string;
  /** Validates and fills defaults for `parameters`. */
  readonly params: z.ZodType<Record<string, unknown>>;
  create(params: Record<string, unknown>, env: ModelEnv): Model;
  /** Daily features read through ctx.daily, per symbol (names like 'sma_200', 'ret_63'). */
  dailyFeatures?(params: Record<string, unknown>): readonly { readonly symbol: string; readonly feature: string }[];
  /**
   * Bars after its start a model needs before its signals no longer depend on where it started
   * (beyond warm-up): the longest-lived piece of state, e.g. a time stop or a weekly schedule.
   */
  settleBars?(params: Record<string, unknown>, env: ModelEnv): number;
  /** True when target weights scale with NAV (unit sizing): the warm-up probe then compares directions only. */
  navDependent?(params: Record<string, unknown>): boolean;
}

const spec = <P extends Record<string, unknown>>(s: {
  name: string;
  summary: string;
  params: z.ZodType<P>;
  create(p: P, env: ModelEnv): Model;
  dailyFeatures?(p: P): readonly { symbol: string; feature: string }[];
  settleBars?(p: P, env: ModelEnv): number;
  navDependent?(p: P): boolean;
}): ModelSpec => s as unknown as ModelSpec;

export const MODEL_SPECS: readonly ModelSpec[] = [
  spec({
    name: 'edge_template',
    summary: 'EdgeTemplateModel_v1: a discovery edge candidate traded as found (`backtest edge:ID`): its events, side and horizon',
    params: edgeTemplateParams,
    create: (p) => createEdgeTemplate(p),
  }),
  spec({
    name: 'alpha_bundle',
    summary: 'AlphaBundle: a fitted cross-sectional ridge model (see `fit`), top/bottom by expected return, inverse-vol weights',
    params: alphaBundleParams,
    create: (p) => createAlphaBundle(p),
  }),
  spec({
    name: 'hybrid_alpha',
    summary: 'hybrid_alpha: rule signals + boosted-tree state forecast + regime blended by a meta-model (see `fit meta`), vol-targeted weights with caps',
    params: hybridAlphaParams,
    create: (p) => createHybridAlpha(p),
  }),
  spec({
    name: 'crypto_momentum',
    summary: 'CryptoMomentumModel_v1: weekly top-N momentum rotation while crypto is risk-on (seed 003 §3.3.3)',
    params: cryptoMomentumParams,
    create: (p, env) => createCryptoMomentum(p, intervalMs(env.interval)),
    settleBars: (_p, env) => 7 * barsPerDay(env.interval),
  }),
  spec({
    name: 'equity_trend',
    summary: 'EquityTrendModel_v1: long SPY/QQQ above the 200-day average with positive momentum (seed 003 §3.3.1)',
    params: equityTrendParams,
    create: (p) => createEquityTrend(p),
    dailyFeatures: (p) => p.symbols.flatMap((symbol) => equityTrendFeatures(p).map((feature) => ({ symbol, feature }))),
  }),
  spec({
    name: 'index_mean_reversion',
    summary: 'IndexMeanReversionModel_v1: RSI/Bollinger oversold dips, exit on reversion or time stop (seed 003 §3.3.2)',
    params: indexMeanReversionParams,
    create: (p) => createIndexMeanReversion(p),
    settleBars: (p) => p.time_stop_bars,
  }),
  spec({
    name: 'sma_cross',
    summary: 'classic fast/slow SMA crossover on one symbol, long-only or long/short, units or equity sizing',
    params: smaCrossParams,
    create: (p) => createSmaCross(p),
    navDependent: (p) => p.size.startsWith('units:'),
  }),
  spec({
    name: 'vol_compression_v1',
    summary: 'volatility-compression breakout with stop/target/time exits, optional trailing stop, one trade a day (seed 002)',
    params: volCompressionParams,
    create: (p) => createVolCompression(p),
    settleBars: (p) => p.max_hold_bars,
  }),
];

export const modelNames = (): string[] => MODEL_SPECS.map((s) => s.name).sort();

export const findModelSpec = (name: string): ModelSpec | undefined => MODEL_SPECS.find((m) => m.name === name);

/**
 * The spec called `name`, or a UserError listing the models. (The `backtest` command adds a
 * did-you-mean from the shell's suggester first; the engine does not import the shell.)
 */
export function modelSpec(name: string): ModelSpec {
  const s = findModelSpec(name);
  if (s) return s;
  throw new UserError(`unknown model '${name}' (models: ${modelNames().join(', ')})`, 'model');
}

/**
 * Validate parameters against the model's schema; a failure names the model and the field.
 * @param where how to name the place of the error. @default `backtest.models.<name>.parameters`
 */
export function parseModelParams(name: string, raw: unknown, where?: (field: string) => string): Record<string, unknown> {
  const s = modelSpec(name);
  const r = s.params.safeParse(raw ?? {});
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const path = issue.path.length ? issue.path.join('.') : '(parameters)';
    if (where) throw new UserError(issue.message, where(path));
    throw new UserError(`${path}: ${issue.message}`, `backtest.models.${name}.parameters`);
  }
  return r.data;
}

/** Build a model from its name and raw parameters (validated here). */
export function buildModel(name: string, raw: unknown, env: ModelEnv): { model: Model; params: Record<string, unknown>; spec: ModelSpec } {
  const spec = modelSpec(name);
  const params = parseModelParams(name, raw);
  return { model: spec.create(params, env), params, spec };
}
