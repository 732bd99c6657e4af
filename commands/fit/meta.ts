import { z } from 'zod';
import { defineCommand } from '../../src/shell/command.js';
import { ok, table, text } from '../../src/core/result.js';
import { UserError } from '../../src/core/errors.js';
import { checkModelName } from '../../src/alpha/store.js';
import { panelFor } from '../../src/alpha/workflow.js';
import { column } from '../../src/alpha/panel.js';
import { logReturns, rollingSd } from '../../src/alpha/kernels.js';
import { getRegimeLookup } from '../../src/regime/state.js';
import { loadModel } from '../../src/ml/gbdt/model.js';
import { learnMetaWeights, META_INPUTS, ruleInputs, saveMeta, sealMeta, type MetaWeights } from '../../src/ml/meta.js';
import { STATE_FEATURES, stateFeatures } from '../../src/ml/state-features.js';

export default defineCommand({
  name: 'meta',
  summary: 'fit the meta-model: rule signals + out-of-fold ML forecast (+ regime) → one alpha per asset, weights fixed or learned by ridge (docs/ml.md)',
  positional: ['name'],
  job: true,
  schema: z.object({
    name: z.string().describe('state forecasts fitted in this session by `fit --model gbdt --out NAME`'),
    weights: z.string().optional().describe('fixed weights, e.g. trend=0.3,reversal=0.2,ml=1 (default: learned by ridge on out-of-fold rows)'),
    lambda: z.coerce.number().min(0).default(0.01).describe('ridge λ (scaled by the rows) when learning the weights'),
    byRegime: z.enum(['none', 'equity', 'vol', 'crypto', 'macro']).default('none').describe('learn separate weights per label of this regime dimension'),
    horizon: z.coerce.number().int().optional().describe('which forecast horizon (bars) to use (default: the first fitted)'),
    out: z.string().default('meta').describe('meta-model name: saved as <data root>/models/NAME.meta.json'),
  }),
  examples: ['fit --model gbdt --horizons 1d --out state', 'fit meta state --out meta', 'backtest hybrid_alpha --model meta'],
  async run(session, args, io) {
    checkModelName(args.out);
    const ds = session.datasets.get(`predictions:${args.name}`);
    if (!ds) throw new UserError(`no out-of-fold predictions predictions:${args.name} in this session: run fit --model gbdt --out ${args.name} first`, 'fit meta');
    const meta = ds.meta as { models: Record<string, string>; volWindow: number; symbols: string[]; target?: string };
    if (meta.target === 'regime') throw new UserError(`predictions:${args.name} forecast regime states; the meta-model blends direction forecasts: fit --model gbdt --target direction --out NAME`, 'fit meta');
    const horizons = Object.keys(meta.models).map(Number);
    const h = args.horizon ?? horizons[0]!;
    if (!meta.models[String(h)]) throw new UserError(`no forecast at horizon ${h} bars (fitted: ${horizons.join(', ')})`, '--horizon');
    const forecast = loadModel(session.dataRoot, meta.models[String(h)]!);
    io.progress({ label: 'panel' });
    const { panel } = await panelFor(session, ds.interval!, meta.symbols);
    const N = panel.symbols.length, K = STATE_FEATURES.length;
    const feats = panel.symbols.map((_, i) => stateFeatures(column(panel.close, N, i), meta.volWindow));
    const vols = panel.symbols.map((_, i) => rollingSd(logReturns(column(panel.close, N, i)), meta.volWindow));
    const barOf = new Map<number, number>();
    panel.ts.forEach((t, b) => barOf.set(t, b));
    const symOf = new Map(panel.symbols.map((s, i) => [s, i] as const));
    const c = ds.table.columns;
    const ts = c['ts'] as Float64Array, sym = c['symbol'] as string[], hor = c['horizon'] as Float64Array, fwd = c['forward_return'] as Float64Array;
    const pUp = c['p_up'] as Float64Array | undefined, pDown = c['p_down'] as Float64Array | undefined, pred = c['prediction'] as Float64Array | undefined;
    const x: number[] = [], y: number[] = [], when: number[] = [];
    for (let r = 0; r < ds.table.length; r++) {
      if (hor[r] !== h) continue;
      const b = barOf.get(ts[r]!), i = symOf.get(sym[r]!);
      if (b === undefined || i === undefined) continue;
      const ml = pDown && pUp ? pUp[r]! - pDown[r]! : pUp ? 2 * pUp[r]! - 1 : Math.tanh(pred![r]!);
      const [trend, reversal] = ruleInputs(feats[i]!, b * K);
      const sd = vols[i]![b]!;
      if (![ml, trend, reversal, sd, fwd[r]!].every(Number.isFinite) || !(sd > 0)) continue;
      x.push(trend, reversal, ml); y.push(fwd[r]! / (sd * Math.sqrt(h))); when.push(ts[r]!);
    }
    if (y.length < 50) throw new UserError(`only ${y.length} out-of-fold rows at horizon ${h}: fit the forecasts on more data`, 'fit meta');
    let weights: Record<string, MetaWeights>;
    if (args.weights) weights = { all: parseWeights(args.weights) };
    else {
      let labels: string[] | null = null;
      if (args.byRegime !== 'none') {
        const lookup = getRegimeLookup(session);
        const dim = args.byRegime;
        labels = when.map((t) => `${dim}:${lookup(t)[dim]}`);
      }
      weights = learnMetaWeights(Float64Array.from(x), Float64Array.from(y), y.length, META_INPUTS.length, args.lambda, labels);
    }
    const file = sealMeta({
      format: 'edgelab-meta', version: 1, name: args.out, mode: args.weights ? 'fixed' : 'ridge', interval: ds.interval!, symbols: meta.symbols,
      inputs: [...META_INPUTS], weights, regimeDimension: args.byRegime === 'none' || args.weights ? null : args.byRegime,
      forecast, horizon: h, volWindow: meta.volWindow,
    });
    saveMeta(session.dataRoot, file);
    const summary = `${args.out}: ${file.mode} weights on ${y.length} out-of-fold rows (horizon ${h} bars), digest ${file.digest.slice(0, 12)}`;
    return ok('fit meta', [
      text(`${summary}; saved as models/${args.out}.meta.json — backtest hybrid_alpha --model ${args.out}`),
      table(['weights', 'intercept', ...META_INPUTS], Object.entries(weights).map(([k, w]) => [k, Math.round(w.intercept * 1e6) / 1e6, ...w.coefficients.map((v) => Math.round(v * 1e6) / 1e6)]), 'meta-model weights (alpha = intercept + Σ w · input; inputs in [−1, 1])'),
    ], summary);
  },
});

function parseWeights(spec: string): MetaWeights {
  const coefficients = META_INPUTS.map(() => 0);
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([a-z]+)=(-?[0-9.]+)$/.exec(part);
    const k = m ? META_INPUTS.indexOf(m[1] as (typeof META_INPUTS)[number]) : -1;
    if (!m || k < 0 || !Number.isFinite(Number(m[2]))) throw new UserError(`expected INPUT=WEIGHT with INPUT one of ${META_INPUTS.join(', ')}, got '${part}'`, '--weights');
    coefficients[k] = Number(m[2]);
  }
  return { intercept: 0, coefficients };
}
