import { describe, expect, it } from 'vitest';
import { buildModel, modelNames, modelSpec, parseModelParams } from '../../src/models/index.js';
import { UserError } from '../../src/core/errors.js';

/** Models whose parameters come from an artifact (a discovery candidate, a fitted bundle): no defaults. */
const BUILT_FROM_ARTIFACTS = new Set(['edge_template', 'alpha_bundle', 'hybrid_alpha']);

describe('model registry', () => {
  it('lists the models in name order', () => {
    expect(modelNames().filter((n) => !BUILT_FROM_ARTIFACTS.has(n))).toEqual(['crypto_momentum', 'equity_trend', 'index_mean_reversion', 'sma_cross', 'vol_compression_v1']);
    expect(modelNames()).toContain('edge_template');
    expect(modelNames()).toEqual([...modelNames()].sort());
  });
  it('builds each model with its defaults', () => {
    for (const name of modelNames().filter((n) => !BUILT_FROM_ARTIFACTS.has(n))) {
      const { model } = buildModel(name, {}, { interval: '4h' });
      expect(model.name).toBe(name);
      expect(model.universe.length).toBeGreaterThan(0);
      expect(model.warmupBars).toBeGreaterThan(0);
    }
  });
  it('crypto_momentum turns day lookbacks into 4h bars (60 days → 361 bars)', () => {
    expect(buildModel('crypto_momentum', { gate: 'regime' }, { interval: '4h' }).model.warmupBars).toBe(361);
  });
  it('unknown model and bad parameters are UserErrors naming what is wrong', () => {
    expect(() => modelSpec('sma_cros')).toThrow(UserError);
    expect(() => modelSpec('sma_cros')).toThrow(/unknown model 'sma_cros' \(models: (.*, )?crypto_momentum, /);
    expect(() => parseModelParams('sma_cross', { fast: 50, slow: 20 })).toThrow(/backtest\.models\.sma_cross\.parameters: fast: fast must be shorter than slow/);
    expect(() => parseModelParams('equity_trend', { sma_dayz: 3 })).toThrow(/sma_dayz/);
  });
});
