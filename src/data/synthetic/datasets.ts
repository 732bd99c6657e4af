/** The synthetic market as session datasets, with the ground truth in `meta.truth`. */
import { tableDigest, type Dataset } from '../../core/table.js';
import type { SyntheticMarket, SyntheticTruth } from './types.js';
import { REGIME_NAMES, type RegimeName } from './types.js';

/** [day start ms, regime] at the first day and at every change of the daily path. */
export function dailyRegimeRuns(market: SyntheticMarket): (readonly [number, RegimeName])[] {
  const out: (readonly [number, RegimeName])[] = [];
  let prev = -1;
  for (let d = 0; d < market.dailyStates.length; d++) {
    const c = market.dailyStates[d]!;
    if (c !== prev) out.push([market.regimeStartMs + d * 86_400_000, REGIME_NAMES[c]!]);
    prev = c;
  }
  return out;
}

export function toDatasets(market: SyntheticMarket): Dataset[] {
  const daily = dailyRegimeRuns(market);
  const o = market.options;
  return market.tables.map((t) => {
    const truth: SyntheticTruth = {
      version: 1,
      generator: 'edgelab-synthetic',
      seed: o.seed,
      placebo: o.placebo,
      regimeRuns: t.regimeRuns,
      dailyRegime: daily,
      chain: market.chain,
      edges: t.edges,
      events: t.events,
    };
    return {
      name: t.name,
      kind: t.kind,
      stage: 'clean',
      ...(t.symbol !== undefined ? { symbol: t.symbol } : {}),
      ...(t.interval !== undefined ? { interval: t.interval } : {}),
      assetClass: t.assetClass,
      source: 'synthetic',
      table: t.table,
      digest: tableDigest(t.table),
      meta: { truth, ...t.notes },
    } satisfies Dataset;
  });
}
