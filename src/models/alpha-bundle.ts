/**
 * AlphaBundleModel: trades a fitted AlphaBundle (docs/alpha.md). Every `rebalance_bars` it rebuilds
 * the bundle's signals for the current bar from each symbol's history window — the same kernels,
 * universe rule, cross-sectional step, OrthSpec, ridge and calibration as `fit apply`, so its μ
 * equals the panel's μ at that bar — gates μ by the regime snapshot, then holds the `top` highest-μ
 * symbols long and (unless long-only) the `top` lowest short, each weighted by 1 / volatility, scaled
 * to `gross` of the budget and capped at `max_weight` per symbol.
 */
import { z } from 'zod';
import { DAY, intervalMs } from '../core/time.js';
import type { AlphaBundleFile } from '../alpha/bundle.js';
import { calibrate } from '../alpha/calibrate.js';
import { gateScale } from '../alpha/apply.js';
import { averageDollarVolume, logReturns, rollingSd } from '../alpha/kernels.js';
import { applyOrth } from '../alpha/orth.js';
import { predictRidge } from '../alpha/ridge.js';
import { crossSectionalSignals, rawSignal, signalWarmup, type SymbolInputs } from '../alpha/signals.js';
import { memberRow } from '../alpha/universe.js';
import type { Model, ModelContext } from './types.js';

export const alphaBundleParams = z.object({
  bundle: z.custom<AlphaBundleFile>((v) => typeof v === 'object' && v !== null && (v as { format?: unknown }).format === 'edgelab-alpha-bundle', {
    message: 'needs a fitted model: backtest alpha_bundle --model NAME (see `models`)',
  }),
  top: z.number().int().min(1).default(5),
  long_only: z.boolean().default(false),
  gross: z.number().gt(0).max(10).default(1),
  max_weight: z.number().gt(0).max(10).default(0.25),
  rebalance_bars: z.number().int().min(1).optional(),
});
export type AlphaBundleParams = z.infer<typeof alphaBundleParams>;

/** The latest settled funding rate at each bar from a bar column holding the rate at settlement bars, else 0. */
export function settledFunding(column: Float64Array): Float64Array {
  const out = new Float64Array(column.length).fill(NaN);
  let last = NaN;
  for (let t = 0; t < column.length; t++) {
    const v = column[t]!;
    if (v !== 0 && Number.isFinite(v)) last = v;
    out[t] = last;
  }
  return out;
}

/** μ per universe symbol at the context's bar (NaN off-universe), and each symbol's return vol. */
export function bundleMuAt(bundle: AlphaBundleFile, ctx: ModelContext): { mu: Float64Array; vol: Float64Array } {
  const p = bundle.signalParams;
  const n = bundle.symbols.length;
  const window = signalWarmup(p) + bundle.universe.window + 2;
  const raw = new Map(bundle.signals.map((s) => [s, new Float64Array(n)] as const));
  const adv = new Float64Array(n);
  const vol = new Float64Array(n);
  const needsFlow = bundle.signals.includes('orderflow');
  const needsFunding = bundle.signals.includes('carry');
  bundle.symbols.forEach((symbol, i) => {
    const close = ctx.history(symbol, window, 'close');
    const volume = ctx.history(symbol, window, 'volume');
    const last = close.length - 1;
    const inputs: SymbolInputs = {
      close, volume,
      takerBuy: needsFlow ? ctx.history(symbol, window, 'taker_buy_volume') : new Float64Array(close.length),
      funding: needsFunding ? settledFunding(ctx.history(symbol, window, 'funding_rate')) : new Float64Array(close.length),
      extra: new Map(),
    };
    const ret = logReturns(close);
    const sd = rollingSd(ret, p.volWindow);
    vol[i] = last >= 0 ? sd[last]! : NaN;
    for (const name of bundle.signals) raw.get(name)![i] = last >= 0 ? rawSignal(name, inputs, p, sd, ret)[last]! : NaN;
    adv[i] = bundle.universe.id === 'all' ? (last >= 0 ? Infinity : NaN) : averageDollarVolume(close, volume, bundle.universe.window)[last]! * (DAY / intervalMs(bundle.interval));
  });
  const member = new Uint8Array(n);
  memberRow(adv, bundle.universe.id === 'all' ? { ...bundle.universe, minUsdPerDay: -Infinity } : bundle.universe, member);
  const signals = crossSectionalSignals(raw, n, member);
  const K = bundle.signals.length;
  const x = new Float64Array(K);
  const mu = new Float64Array(n).fill(NaN);
  const scale = gateScale(bundle.gating, ctx.regime);
  for (let i = 0; i < n; i++) {
    let ok = member[i] === 1;
    bundle.signals.forEach((s, k) => { x[k] = signals.get(s)![i]!; ok &&= Number.isFinite(x[k]!); });
    if (!ok) continue;
    const score = predictRidge(bundle.ridge, applyOrth(bundle.orth, x, 1), 1)[0]!;
    mu[i] = calibrate(bundle.calibration, score) * scale;
  }
  return { mu, vol };
}

/** Top/bottom-k inverse-vol weights from μ (relative to the budget). */
export function weightsFromMu(symbols: readonly string[], mu: Float64Array, vol: Float64Array, p: AlphaBundleParams): Record<string, number> {
  const ranked = symbols.map((_, i) => i).filter((i) => Number.isFinite(mu[i]!) && vol[i]! > 0).sort((a, b) => mu[b]! - mu[a]! || a - b);
  const k = Math.min(p.top, Math.floor(ranked.length / (p.long_only ? 1 : 2)));
  const picks: [number, number][] = ranked.slice(0, k).filter((i) => !p.long_only || mu[i]! > 0).map((i) => [i, 1]);
  if (!p.long_only) for (const i of ranked.slice(ranked.length - k)) picks.push([i, -1]);
  const weights: Record<string, number> = Object.fromEntries(symbols.map((s) => [s, 0]));
  let total = 0;
  for (const [i] of picks) total += 1 / vol[i]!;
  for (const [i, side] of picks) weights[symbols[i]!] = side * Math.min(p.max_weight, (p.gross * (1 / vol[i]!)) / total);
  return weights;
}

export function createAlphaBundle(p: AlphaBundleParams): Model {
  const bundle = p.bundle;
  const every = p.rebalance_bars ?? bundle.label.horizon;
  return {
    name: 'alpha_bundle',
    version: '1.0.0',
    universe: bundle.symbols,
    warmupBars: signalWarmup(bundle.signalParams) + bundle.universe.window,
    parameters: { bundle: bundle.name, digest: bundle.digest, top: p.top, long_only: p.long_only, gross: p.gross, max_weight: p.max_weight, rebalance_bars: every },
    decide(ctx) {
      const count = ((ctx.state['bars'] as number | undefined) ?? 0) + 1;
      ctx.state['bars'] = count;
      if ((count - 1) % every !== 0) return null;
      const { mu, vol } = bundleMuAt(bundle, ctx);
      return { weights: weightsFromMu(bundle.symbols, mu, vol, p), horizonBars: every };
    },
  };
}
