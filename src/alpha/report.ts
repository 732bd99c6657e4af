/** Result blocks of a fit and of `fit apply` (tables the panes and headless output show). */
import { table, type Block } from '../core/result.js';
import type { AlphaFitResult } from './fit.js';
import type { IcSummary } from './ic.js';

const r4 = (v: number): number | null => (Number.isFinite(v) ? Math.round(v * 1e4) / 1e4 : null);
const r2 = (v: number): number | null => (Number.isFinite(v) ? Math.round(v * 100) / 100 : null);

export const icCells = (s: IcSummary): (number | null)[] => [r4(s.mean), r2(s.t), r2(s.ir * Math.sqrt(s.bars)), s.bars];

export function fitBlocks(r: AlphaFitResult): Block[] {
  const b = r.bundle;
  const chosen = b.ridge.lambda;
  const cv = table(
    ['lambda', 'OOF IC', 'IC t (HH)', 'OOF rank IC', 'OOF MSE', 'chosen'],
    b.cv.curve.map((p) => [p.lambda, r4(p.icMean), r2(p.icT), r4(p.rankIcMean), p.mse, p.lambda === chosen ? '✓' : '']),
    `cross-validation: ${b.cv.folds} blocked folds, purge ${b.label.horizon} bars, embargo ${b.cv.embargo} bars`,
  );
  const coefficients = table(
    ['signal', 'coefficient', 'signal IC', 'IC t (HH)', 'rank IC'],
    b.signals.map((s, k) => {
      const row = r.signalIc.find((x) => x.name === s)!;
      return [s, b.ridge.coefficients[k]!, r4(row.ic.mean), r2(row.ic.t), r4(row.rankIc.mean)];
    }),
    `ridge on ${b.orth.method === 'none' ? 'standardised' : `${b.orth.method}-orthogonalised`} signals (λ = ${chosen}, intercept ${b.ridge.intercept.toExponential(3)})`,
  );
  const ic = table(
    ['score', 'IC', 't (HH)', 'rank IC', 'rank t', 'bars'],
    [['out-of-fold', r4(r.oofIc.mean), r2(r.oofIc.t), r4(r.oofRankIc.mean), r2(r.oofRankIc.t), r.oofIc.bars]],
    'out-of-fold information coefficient (each bar scored by a model that never saw its label window)',
  );
  const decay = table(['horizon (bars)', 'OOF IC', 't (HH)'], r.decay.map((d) => [d.horizon, r4(d.ic.mean), r2(d.ic.t)]), 'IC decay of the out-of-fold score');
  const K = b.signals.length;
  const corr = table(['signal', ...b.signals], b.signals.map((s, a) => [s, ...b.signals.map((_, c) => r2(r.correlations[a * K + c]!))]), 'signal correlations (pooled, before orthogonalisation)');
  return [cv, coefficients, ic, decay, corr];
}
