/**
 * hybrid_alpha: trades a fitted meta-model (src/ml/meta.ts, `fit meta`). Every `rebalance_bars` it
 * rebuilds each symbol's state features from its closes up to the bar (src/ml/state-features.ts),
 * asks the embedded boosted-tree forecast for P(up) − P(down), adds the rule inputs, picks the
 * weights of the current regime label, and sizes the alphas by volatility targeting with caps.
 */
import { z } from 'zod';
import { logReturns, rollingSd } from '../alpha/kernels.js';
import { predict } from '../ml/gbdt/model.js';
import { metaAlpha, metaIntact, ruleInputs, volTargetWeights, type MetaModelFile } from '../ml/meta.js';
import { STATE_FEATURES, stateFeatures } from '../ml/state-features.js';
import type { Model } from './types.js';

export const hybridAlphaParams = z.object({
  meta: z
    .custom<MetaModelFile>((v) => typeof v === 'object' && v !== null && (v as { format?: unknown }).format === 'edgelab-meta', {
      message: 'needs a fitted meta-model: backtest hybrid_alpha --model NAME or paper start hybrid_alpha --model NAME (fit meta --out NAME)',
    })
    // paper sessions keep a copy of the meta-model in spec.json (docs/ml.md "Meta-model and sizing")
    .refine((m) => typeof m !== 'object' || m === null || metaIntact(m), { message: 'the meta-model does not match its digest (edited or truncated): refit it, or start a new session' }),
  target_vol: z.number().gt(0).default(0.01).describe('per-bar volatility each unit of alpha is sized to'),
  max_weight: z.number().gt(0).max(10).default(0.25),
  gross: z.number().gt(0).max(10).default(1),
  rebalance_bars: z.number().int().min(1).optional(),
});
export type HybridAlphaParams = z.infer<typeof hybridAlphaParams>;

/** The ML input from a forecast row: P(up) − P(down), 2·P(up) − 1, or tanh of a regression value. */
export function mlInput(meta: MetaModelFile, x: Float64Array): number {
  const p = predict(meta.forecast, x, 1);
  if (meta.forecast.objective === 'multiclass') return p[2]! - p[0]!;
  if (meta.forecast.objective === 'binary') return 2 * p[0]! - 1;
  return Math.tanh(p[0]!);
}

export function createHybridAlpha(p: HybridAlphaParams): Model {
  const meta = p.meta;
  const every = p.rebalance_bars ?? meta.horizon;
  const window = meta.volWindow + 22;
  const K = STATE_FEATURES.length;
  return {
    name: 'hybrid_alpha',
    version: '1.0.0',
    universe: meta.symbols,
    warmupBars: window,
    parameters: { meta: meta.name, digest: meta.digest, target_vol: p.target_vol, max_weight: p.max_weight, gross: p.gross, rebalance_bars: every },
    decide(ctx) {
      const count = ((ctx.state['bars'] as number | undefined) ?? 0) + 1;
      ctx.state['bars'] = count;
      if ((count - 1) % every !== 0) return null;
      const universe = ctx.universe;
      const alpha = new Float64Array(universe.length).fill(NaN), vol = new Float64Array(universe.length).fill(NaN);
      const label = meta.regimeDimension ? `${meta.regimeDimension}:${ctx.regime[meta.regimeDimension]}` : null;
      universe.forEach((symbol, i) => {
        const close = Float64Array.from(ctx.history(symbol, window, 'close'));
        const last = close.length - 1;
        if (last < 0) return;
        const feats = stateFeatures(close, meta.volWindow);
        const row = feats.subarray(last * K, last * K + K);
        if (!row.every(Number.isFinite)) return;
        alpha[i] = metaAlpha(meta, [...ruleInputs(feats, last * K), mlInput(meta, Float64Array.from(row))], label);
        vol[i] = rollingSd(logReturns(close), meta.volWindow)[last]!;
      });
      const w = volTargetWeights(alpha, vol, { targetVol: p.target_vol, maxWeight: p.max_weight, gross: p.gross });
      return { weights: Object.fromEntries(universe.map((s, i) => [s, w[i]!])), horizonBars: every };
    },
  };
}
