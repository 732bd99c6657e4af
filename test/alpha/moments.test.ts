/**
 * The moments path (src/alpha/moments.ts) against the materialised one: cross-validation fits every
 * fold from its rows' centred moments and maps raw signals straight to scores; here each fold is
 * also done the long way — copy the rows, standardise and orthogonalise them (applyOrth), ridge on
 * the copy (fitRidge), predict the orthogonalised test rows (predictRidge) — and the OOF scores agree.
 */
import { describe, expect, it } from 'vitest';
import { momentsOf, transformMoments } from '../../src/alpha/moments.js';
import { applyOrth, fitOrth, orthLinearMap } from '../../src/alpha/orth.js';
import { fitRidge, predictRidge } from '../../src/alpha/ridge.js';
import { crossValidate } from '../../src/alpha/cv.js';
import { purgedFolds } from '../../src/alpha/folds.js';
import { buildDesign, selectRows } from '../../src/alpha/design.js';
import { buildSignals } from '../../src/alpha/signals.js';
import { universeMembership } from '../../src/alpha/universe.js';
import { demeanAcross, forwardReturns } from '../../src/alpha/labels.js';
import { plantedUniverse, allMembers } from './helpers.js';

const SIGNALS = ['tsmom', 'xsmom', 'meanrev', 'carry', 'orderflow'];
const K = SIGNALS.length;
const { panel } = plantedUniverse({ seed: 3, symbols: 12, years: 0.2 });
const N = panel.symbols.length;
const member = universeMembership(panel, allMembers);
const label = demeanAcross(forwardReturns(panel, { horizon: 4, volScaled: false, volWindow: 168 }), N, member);
const design = buildDesign(buildSignals(panel, SIGNALS, member), SIGNALS, N, member, label);
const folds = purgedFolds(design.bar, { folds: 4, horizon: 4, embargo: 4 });

describe('moments', () => {
  it('over a row subset equal the moments of a copy of those rows', () => {
    const pick = folds[1]!.train;
    const a = momentsOf(design.x, K, design.y, pick);
    const copy = selectRows(design, pick);
    const b = momentsOf(copy.x, K, copy.y);
    expect(a).toEqual(b);
  });
  it('transformed by D⁻¹W equal the moments of the orthogonalised rows', () => {
    for (const method of ['residual', 'lowdin'] as const) {
      const spec = fitOrth(method, SIGNALS, design.x, design.rows);
      const viaMap = transformMoments(momentsOf(design.x, K, design.y), orthLinearMap(spec));
      const direct = momentsOf(applyOrth(spec, design.x, design.rows), K, design.y);
      viaMap.gram.forEach((v, i) => expect(v).toBeCloseTo(direct.gram[i]!, 6));
      viaMap.xy.forEach((v, i) => expect(v).toBeCloseTo(direct.xy[i]!, 9));
      // orthogonalised, standardised: the Gram matrix is n·I
      for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) expect(viaMap.gram[a * K + b]! / design.rows).toBeCloseTo(a === b ? 1 : 0, 9);
    }
  });
});

describe('cross-validation on moments', () => {
  it('gives the OOF scores of the materialised per-fold fit', () => {
    const lambdas = [1e-3, 1];
    for (const method of ['residual', 'lowdin'] as const) {
      const cv = crossValidate(design, folds, lambdas, method, panel.ts.length, N, 4);
      const best = lambdas[cv.best]!;
      const expected = new Float64Array(design.rows).fill(NaN);
      for (const fold of folds) {
        const train = selectRows(design, fold.train);
        const test = selectRows(design, fold.test);
        const spec = fitOrth(method, SIGNALS, train.x, train.rows);
        const fit = fitRidge(applyOrth(spec, train.x, train.rows), train.y, train.rows, K, best);
        const pred = predictRidge(fit, applyOrth(spec, test.x, test.rows), test.rows);
        fold.test.forEach((r, j) => { expected[r] = pred[j]!; });
      }
      let compared = 0;
      for (let r = 0; r < design.rows; r++) {
        expect(Number.isFinite(cv.oof[r]!)).toBe(Number.isFinite(expected[r]!));
        if (!Number.isFinite(expected[r]!)) continue;
        expect(Math.abs(cv.oof[r]! - expected[r]!)).toBeLessThan(1e-12 + 1e-9 * Math.abs(expected[r]!));
        compared++;
      }
      expect(compared).toBeGreaterThan(design.rows / 2);
    }
  });
});
