import { describe, expect, it } from 'vitest';
import { fitAlphaBundle } from '../../src/alpha/fit.js';
import { plantedUniverse, fitOptions } from './helpers.js';

describe('fit on the planted universe', () => {
  it('out-of-fold IC is positive and significant; loadings point the planted way', () => {
    const { panel } = plantedUniverse({ seed: 7, symbols: 30, years: 0.5 });
    const r = fitAlphaBundle(panel, fitOptions());
    expect(r.oofIc.mean).toBeGreaterThan(0);
    expect(r.oofIc.t).toBeGreaterThan(3);
    const coefficient = (name: string): number => r.bundle.ridge.coefficients[r.bundle.signals.indexOf(name)]!;
    expect(coefficient('carry')).toBeGreaterThan(0);
    expect(coefficient('meanrev')).toBeGreaterThan(0);
  });
});
