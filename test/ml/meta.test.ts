/** Meta-model arithmetic against hand-worked numbers: the blend, regime fallback, vol targeting with caps, learned weights. */
import { describe, expect, it } from 'vitest';
import { learnMetaWeights, metaAlpha, volTargetWeights } from '../../src/ml/meta.js';
import { createRng } from '../../src/core/rng.js';

describe('meta-model', () => {
  const file = { weights: { all: { intercept: 0.1, coefficients: [0.5, 0.25, 1] }, 'crypto:RISK_OFF': { intercept: 0, coefficients: [0, 0, 0.5] } } };
  it('alpha = intercept + Σ w·input, with the regime\'s weights when present and pooled otherwise', () => {
    expect(metaAlpha(file, [0.4, -0.8, 0.2], null)).toBeCloseTo(0.1 + 0.2 - 0.2 + 0.2, 14);
    expect(metaAlpha(file, [0.4, -0.8, 0.2], 'crypto:RISK_OFF')).toBeCloseTo(0.1, 14);
    expect(metaAlpha(file, [0.4, -0.8, 0.2], 'crypto:RISK_ON')).toBeCloseTo(0.3, 14);
  });
  it('vol targeting: alpha · target / σ, capped per asset, then scaled to the gross cap', () => {
    // alphas 1, −0.5, 0.2 with σ 0.02, 0.01, NaN and target 0.01: raw 0.5, −0.5, (skipped).
    expect(Array.from(volTargetWeights(Float64Array.of(1, -0.5, 0.2), Float64Array.of(0.02, 0.01, NaN), { targetVol: 0.01, maxWeight: 1, gross: 2 }))).toEqual([0.5, -0.5, 0]);
    // cap 0.4 each: 0.4, −0.4; gross 0.5 → scaled by 0.5 / 0.8: 0.25, −0.25.
    expect(Array.from(volTargetWeights(Float64Array.of(1, -0.5), Float64Array.of(0.02, 0.01), { targetVol: 0.01, maxWeight: 0.4, gross: 0.5 }))).toEqual([0.25, -0.25]);
  });
  it('learned weights recover a planted blend, per regime label', () => {
    const rng = createRng(4, 'meta');
    const n = 4000, K = 3;
    const x = new Float64Array(n * K), y = new Float64Array(n);
    const labels: string[] = [];
    for (let r = 0; r < n; r++) {
      for (let k = 0; k < K; k++) x[r * K + k] = rng.uniform() * 2 - 1;
      const calm = r % 2 === 0;
      labels.push(calm ? 'vol:LOW' : 'vol:HIGH');
      y[r] = calm ? 0.8 * x[r * K + 2]! : 0.5 * x[r * K]! + 0.01 * rng.normal();
    }
    const w = learnMetaWeights(x, y, n, K, 0, labels);
    expect(w['vol:LOW']!.coefficients.map((c) => Math.round(c * 100) / 100 + 0)).toEqual([0, 0, 0.8]);
    expect(w['vol:HIGH']!.coefficients.map((c) => Math.round(c * 100) / 100 + 0)).toEqual([0.5, 0, 0]);
    expect(w['all']!.coefficients[0]).toBeCloseTo(0.25, 1);
  });
});
