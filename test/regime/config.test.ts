import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, validateConfig } from '../../src/config/load.js';
import { regimeSection } from '../../src/config/sections/regime.js';

const base = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../configs/base.yaml');

describe('regime config section', () => {
  it('configs/base.yaml states exactly the schema defaults (every threshold is visible there)', () => {
    expect(loadConfig(base).config.regime).toEqual(regimeSection.parse({}));
  });

  it('the seed-003 thresholds are the defaults', () => {
    const c = regimeSection.parse({});
    expect(c.equity).toMatchObject({ symbol: 'SPY', ma_days: 200, momentum_days: [126, 252] });
    expect(c.crypto).toMatchObject({ symbol: 'BTCUSDT', ma_days: 200, momentum_days: 60 });
    expect(c.macro).toMatchObject({ pmi_threshold: 50, curve_inverted_below: 0 });
    expect(c.vol).toMatchObject({ window_days: 20, annualization: 252, low: 0.12, high: 0.25 });
    expect(c.hmm).toMatchObject({ states: 4, features: ['return', 'log_realized_vol'], max_iterations: 200, tolerance: 1e-6, fit_window: 'full' });
  });

  it('bad values give one line naming the key', () => {
    const bad = (regime: unknown) => () => validateConfig({ regime });
    expect(bad({ vol: { low: 0.3, high: 0.2 } })).toThrow('regime.vol.low: vol.low must be below vol.high');
    expect(bad({ hmm: { features: ['realized_vol'] } })).toThrow("regime.hmm.features: features must include 'return'");
    expect(bad({ hmm: { states: 1 } })).toThrow(/regime\.hmm\.states/);
    expect(bad({ equity: { ma_days: 0 } })).toThrow(/regime\.equity\.ma_days/);
    expect(bad({ equity: { momentum_days: [] } })).toThrow(/regime\.equity\.momentum_days/);
    expect(bad({ hmm: { fit_window: 'sometimes' } })).toThrow(/regime\.hmm\.fit_window/);
    expect(bad({ crypto: { ma_dayz: 100 } })).toThrow(/regime\.crypto/);
  });
});
