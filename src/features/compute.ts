/**
 * Feature tables: run parsed specs over a bars dataset and return one column per output, aligned
 * row for row to the bars (plus their `ts`).
 *
 * Point in time:
 * - bar features at row t read bars 0..t only (each kernel guarantees it), so they are known at
 *   bar t's close;
 * - `daily:` features are computed on the symbol's 1d bars and joined with `alignAsOf`: row t
 *   sees the latest daily value whose bar had closed by row t's open;
 * - funding features are computed over funding events (`SYMBOL:funding`, available at their
 *   settlement time, or bars' `funding_rate` column, available at the bar's close) and joined the
 *   same way.
 */
import { UserError } from '../core/errors.js';
import type { ColumnTable, Dataset } from '../core/table.js';
import { alignAsOf, availableAt } from './align.js';
import { INDICATORS, type KernelInput } from './registry.js';
import { parseSpecs, type FeatureSpec } from './spec.js';

/** Other datasets a spec may draw on. */
export interface FeatureSources {
  /** The symbol's daily bars, for `daily:` specs. */
  readonly daily?: Dataset;
  /** The symbol's funding events (columns ts, rate), for funding specs. */
  readonly funding?: Dataset;
}

const numeric = (ds: Dataset, name: string, spec: string): Float64Array => {
  const c = ds.table.columns[name];
  if (c instanceof Float64Array) return c;
  const have = Object.keys(ds.table.columns).filter((k) => ds.table.columns[k] instanceof Float64Array);
  throw new UserError(`${ds.name} has no numeric column '${name}' (columns: ${have.join(', ')})`, spec);
};

function kernelInput(ds: Dataset, spec: FeatureSpec): KernelInput {
  const def = INDICATORS.get(spec.indicator)!;
  const needsBars = def.input === 'bars';
  const close = numeric(ds, 'close', spec.text);
  return {
    open: ds.table.columns['open'] instanceof Float64Array ? ds.table.columns['open'] : close,
    high: needsBars ? numeric(ds, 'high', spec.text) : close,
    low: needsBars ? numeric(ds, 'low', spec.text) : close,
    close,
    series: numeric(ds, spec.source, spec.text),
    interval: ds.interval,
    assetClass: ds.assetClass,
  };
}

/** Funding events as (availability time, rate), from a funding dataset or the bars' funding_rate column. */
function fundingEvents(bars: Dataset, spec: FeatureSpec, funding: Dataset | undefined): { at: Float64Array; rate: Float64Array } {
  if (funding) {
    return { at: availableAt(funding), rate: numeric(funding, 'rate', spec.text) };
  }
  const col = bars.table.columns['funding_rate'];
  if (!(col instanceof Float64Array)) {
    throw new UserError(
      `${spec.indicator} needs funding data: load ${bars.symbol ?? 'SYMBOL'}:funding or bars with a funding_rate column`,
      spec.text,
    );
  }
  // A bar's funding_rate is 0 when no funding settled in it, so only non-zero rows are events
  // (an exact-zero settlement is indistinguishable and is skipped); each is known at the bar's close.
  const close = availableAt(bars);
  let m = 0;
  for (let i = 0; i < col.length; i++) if (col[i] !== 0) m++;
  const at = new Float64Array(m);
  const rate = new Float64Array(m);
  m = 0;
  for (let i = 0; i < col.length; i++) {
    if (col[i] === 0) continue;
    at[m] = close[i]!;
    rate[m++] = col[i]!;
  }
  return { at, rate };
}

/**
 * Compute feature columns for `dataset` (a bars dataset with ts and close; high/low for bar-range
 * indicators). `specs` are spec strings or parsed specs. Returns a table with `ts` and one column
 * per spec output, in spec order.
 */
export function computeFeatures(
  dataset: Dataset,
  specs: readonly (string | FeatureSpec)[],
  sources: FeatureSources = {},
): ColumnTable {
  const parsed = parseSpecs(specs.map((s) => (typeof s === 'string' ? s : s.text)));
  const ts = numeric(dataset, 'ts', 'features');
  const columns: Record<string, Float64Array> = { ts: ts.slice() };
  for (const spec of parsed) {
    const def = INDICATORS.get(spec.indicator)!;
    let outs: readonly Float64Array[];
    if (def.input === 'funding') {
      const ev = fundingEvents(dataset, spec, sources.funding);
      const raw = def.compute({ ...kernelInput(dataset, { ...spec, source: 'close' }), series: ev.rate }, spec.params);
      outs = raw.map((v) => alignAsOf(ev.at, v, ts));
    } else if (spec.timeframe === 'daily') {
      const daily = sources.daily ?? (dataset.interval === '1d' ? dataset : undefined);
      if (!daily) {
        throw new UserError(`${spec.text} needs the symbol's daily bars (${dataset.symbol ?? 'SYMBOL'}:1d); ingest or resample them first`, spec.text);
      }
      const raw = def.compute(kernelInput(daily, spec), spec.params);
      const at = availableAt(daily);
      outs = raw.map((v) => alignAsOf(at, v, ts));
    } else {
      outs = def.compute(kernelInput(dataset, spec), spec.params);
    }
    spec.columns.forEach((name, i) => {
      columns[name] = outs[i]!;
    });
  }
  return { length: ts.length, columns };
}
