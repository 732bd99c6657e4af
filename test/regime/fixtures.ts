/** Small hand-made datasets for the regime tests. */
import { tableDigest, type AssetClass, type Dataset } from '../../src/core/table.js';
import type { Interval } from '../../src/core/time.js';
import { DAY } from '../../src/core/time.js';
import { regimeSection, type RegimeConfig } from '../../src/config/sections/regime.js';

export const T0 = Date.UTC(2020, 0, 1);

export function barsDataset(
  name: string,
  close: ArrayLike<number>,
  opt: { interval?: Interval; start?: number; assetClass?: AssetClass; stepMs?: number; closeTs?: number[] } = {},
): Dataset {
  const n = close.length;
  const step = opt.stepMs ?? DAY;
  const ts = new Float64Array(n);
  for (let i = 0; i < n; i++) ts[i] = (opt.start ?? T0) + i * step;
  const c = Float64Array.from(close);
  const columns: Record<string, Float64Array> = { ts, open: c.slice(), high: c.slice(), low: c.slice(), close: c, volume: new Float64Array(n).fill(1) };
  if (opt.closeTs) columns['close_ts'] = Float64Array.from(opt.closeTs);
  const table = { length: n, columns };
  const [symbol] = name.split(':');
  return {
    name,
    kind: 'bars',
    stage: 'clean',
    symbol: symbol!,
    interval: opt.interval ?? '1d',
    assetClass: opt.assetClass ?? 'etf',
    source: 'test',
    table,
    digest: tableDigest(table),
  };
}

export function seriesDataset(name: string, ts: number[], value: number[]): Dataset {
  const table = { length: ts.length, columns: { ts: Float64Array.from(ts), value: Float64Array.from(value) } };
  return { name, kind: 'series', stage: 'clean', assetClass: 'macro', source: 'test', table, digest: tableDigest(table) };
}

export const defaults = (): RegimeConfig => regimeSection.parse({});

/** Config with short windows, for property tests on short series. */
export function shortConfig(): RegimeConfig {
  return regimeSection.parse({
    equity: { ma_days: 20, momentum_days: [5, 10] },
    vol: { window_days: 5 },
    crypto: { ma_days: 15, momentum_days: 7 },
    macro: { inversion_persist_days: 10 },
    hmm: { min_train_days: 60, refit_every_days: 20, max_iterations: 30, restarts: 1 },
  });
}

export const datasetMap = (...ds: Dataset[]): Map<string, Dataset> => new Map(ds.map((d) => [d.name, d]));
