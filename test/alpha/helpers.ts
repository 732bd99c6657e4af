/** A planted (or placebo) synthetic universe as a panel, for the AlphaBundle tests. */
import { createRng } from '../../src/core/rng.js';
import type { Dataset } from '../../src/core/table.js';
import { generateUniverse, universeBars } from '../../src/data/synthetic/universe.js';
import { buildPanel, universeDatasets, type Panel } from '../../src/alpha/panel.js';
import { DEFAULT_UNIVERSE, type UniverseRule } from '../../src/alpha/universe.js';
import type { AlphaFitOptions } from '../../src/alpha/fit.js';

export function plantedUniverse(o: { seed?: number; symbols?: number; years?: number; placebo?: boolean } = {}): { datasets: Map<string, Dataset>; panel: Panel } {
  const list = generateUniverse(
    { symbols: o.symbols ?? 30, startMs: Date.UTC(2022, 0, 1), bars: universeBars(o.years ?? 0.5), placebo: o.placebo ?? false },
    createRng(o.seed ?? 7, 'synthetic/universe'),
  );
  const datasets = new Map(list.map((d) => [d.name, d]));
  return { datasets, panel: buildPanel(universeDatasets(datasets, '1h'), datasets, '1h') };
}

export const allMembers: UniverseRule = { ...DEFAULT_UNIVERSE, id: 'all' };

export const fitOptions = (over: Partial<AlphaFitOptions> = {}): AlphaFitOptions => ({
  name: 'test', signals: ['tsmom', 'xsmom', 'meanrev', 'carry', 'orderflow'], universe: allMembers, horizon: 4,
  volScaledLabel: false, orth: 'residual', lambdas: [1e-4, 1e-2, 1], folds: 5, embargo: 4, calibration: 'isotonic',
  gating: {}, data: {}, ...over,
});
