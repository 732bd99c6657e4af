import { describe, expect, test } from 'vitest';
import { budgetTable, budgetsFor, parseRegimeKey } from '../../src/portfolio/budgets.js';
import { NEUTRAL_SNAPSHOT } from '../../src/regime/types.js';

const models = [
  { name: 'equity_trend', budget: 0.6 },
  { name: 'index_mean_reversion', budget: 0.25 },
  { name: 'crypto_momentum', budget: 0.15 },
];

describe('budgets', () => {
  test('base budgets and a regime override (first match in dimension order wins)', () => {
    const t = budgetTable(models, {
      vol_high: { equity_trend: 0.3 },
      equity_bear: { equity_trend: 0.2, index_mean_reversion: 0.4, crypto_momentum: 0.05 },
    });
    const out = new Float64Array(3);
    expect(budgetsFor(t, NEUTRAL_SNAPSHOT, out)).toBeNull();
    expect(Array.from(out)).toEqual([0.6, 0.25, 0.15]);
    expect(budgetsFor(t, { ...NEUTRAL_SNAPSHOT, vol: 'HIGH' }, out)).toBe('vol_high');
    expect(Array.from(out)).toEqual([0.3, 0.25, 0.15]);
    // both match: equity comes before vol
    expect(budgetsFor(t, { ...NEUTRAL_SNAPSHOT, equity: 'BEAR', vol: 'HIGH' }, out)).toBe('equity_bear');
    expect(Array.from(out)).toEqual([0.2, 0.4, 0.05]);
  });
  test('sums above 1 are refused, base or regime', () => {
    expect(() => budgetTable([...models, { name: 'x', budget: 0.15 }], {})).toThrow(
      'config backtest.models: budgets sum to 1.15 > 1: equity_trend 0.6 + index_mean_reversion 0.25 + crypto_momentum 0.15 + x 0.15;',
    );
    expect(() => budgetTable(models, { crypto_risk_on: { crypto_momentum: 0.5 } })).toThrow('regime_budgets.crypto_risk_on: budgets sum to 1.35 > 1');
    // exactly 1 is fine (0.6 + 0.25 + 0.15 in floating point)
    expect(() => budgetTable(models, {})).not.toThrow();
  });
  test('unknown models and keys are named', () => {
    expect(() => budgetTable(models, { equity_bear: { trend: 0.1 } })).toThrow("names model 'trend', which is not in the backtest");
    expect(() => parseRegimeKey('crypto_moon')).toThrow("unknown regime key 'crypto_moon'");
    expect(parseRegimeKey('crypto_risk_off')).toEqual({ dim: 'crypto', value: 'RISK_OFF' });
    expect(parseRegimeKey('macro_recession')).toEqual({ dim: 'macro', value: 'RECESSION' });
  });
  test('a budget outside [0, 1] is refused', () => {
    expect(() => budgetTable([{ name: 'a', budget: -0.1 }], {})).toThrow("budget -0.1 of model 'a' is not a fraction");
  });
});
