/**
 * Feature results as session datasets: `features:SYMBOL:INTERVAL` holds `ts` plus one column per
 * feature, row-aligned to the bars it was computed on, so `show`, `export` and other rooms read it
 * like any table. Computing more specs on the same bars adds columns to the existing dataset (a
 * column with the same name is recomputed); if the bars changed since (another digest), it starts
 * afresh.
 */
import { tableDigest, type ColumnTable, type Dataset } from '../core/table.js';
import { computeFeatures, type FeatureSources } from './compute.js';
import type { FeatureSpec } from './spec.js';

export const featureDatasetName = (barsName: string): string => `features:${barsName}`;

export interface FeatureRun {
  readonly dataset: Dataset;
  /** The specs computed by this call, and the columns they wrote. */
  readonly specs: readonly FeatureSpec[];
  readonly columns: readonly string[];
}

/** Compute `specs` on `bars` and merge them into `previous` (the existing features dataset, if any). */
export function buildFeatureDataset(
  bars: Dataset,
  specs: readonly FeatureSpec[],
  sources: FeatureSources,
  previous: Dataset | undefined,
): FeatureRun {
  const fresh = computeFeatures(bars, specs, sources);
  const keep = previous !== undefined && previous.meta?.['barsDigest'] === bars.digest;
  const columns: Record<string, Float64Array | string[]> = {};
  const priorSpecs: string[] = [];
  if (keep) {
    Object.assign(columns, previous.table.columns);
    priorSpecs.push(...((previous.meta?.['specs'] as string[] | undefined) ?? []));
  }
  Object.assign(columns, fresh.columns);
  const table: ColumnTable = { length: fresh.length, columns };
  const allSpecs = [...priorSpecs.filter((s) => !specs.some((p) => p.text === s)), ...specs.map((s) => s.text)];
  const dataset: Dataset = {
    name: featureDatasetName(bars.name),
    kind: 'features',
    stage: 'derived',
    ...(bars.symbol !== undefined ? { symbol: bars.symbol } : {}),
    ...(bars.interval !== undefined ? { interval: bars.interval } : {}),
    ...(bars.assetClass !== undefined ? { assetClass: bars.assetClass } : {}),
    source: `features(${bars.name})`,
    table,
    digest: tableDigest(table),
    meta: {
      bars: bars.name,
      barsDigest: bars.digest,
      specs: allSpecs,
      ...(sources.daily ? { daily: sources.daily.name, dailyDigest: sources.daily.digest } : {}),
      ...(sources.funding ? { funding: sources.funding.name } : {}),
    },
  };
  return { dataset, specs, columns: specs.flatMap((s) => s.columns) };
}

/** Indices of at most `points` rows, evenly strided, always including the last row. */
export function downsampleIndices(n: number, points: number): number[] {
  if (n <= points) return Array.from({ length: n }, (_, i) => i);
  const step = Math.ceil(n / points);
  const out: number[] = [];
  for (let i = (n - 1) % step; i < n; i += step) out.push(i);
  return out;
}
