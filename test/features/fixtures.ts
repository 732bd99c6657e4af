/** Small synthetic datasets for the features tests: 4h bars, the matching daily bars, funding events. */
import { createRng } from '../../src/core/rng.js';
import { DAY, HOUR } from '../../src/core/time.js';
import { tableDigest, type ColumnTable, type Dataset } from '../../src/core/table.js';
import type { Interval } from '../../src/core/time.js';

export const T0 = Date.UTC(2024, 0, 1);

export function barsDataset(name: string, interval: Interval, ts: Float64Array, cols: Record<string, Float64Array>, extra: Partial<Dataset> = {}): Dataset {
  const table: ColumnTable = { length: ts.length, columns: { ts, ...cols } };
  const [symbol] = name.split(':');
  return { name, kind: 'bars', stage: 'clean', symbol, interval, assetClass: 'crypto_perp', source: 'test', table, digest: tableDigest(table), ...extra };
}

/** `days` days of 4h bars (random walk) with a funding_rate every 8h, plus 1d bars aggregated from them and funding events. */
export function makeMarket(days: number, seed = 1): { h4: Dataset; d1: Dataset; funding: Dataset } {
  const rng = createRng(seed, 'features-fixture');
  const n = days * 6;
  const ts = new Float64Array(n);
  const open = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const close = new Float64Array(n);
  const volume = new Float64Array(n);
  const fr = new Float64Array(n);
  let c = 40_000;
  for (let i = 0; i < n; i++) {
    ts[i] = T0 + i * 4 * HOUR;
    const o = c;
    c = o * Math.exp(0.01 * rng.normal());
    open[i] = o;
    close[i] = c;
    high[i] = Math.max(o, c) * (1 + 0.004 * rng.uniform());
    low[i] = Math.min(o, c) * (1 - 0.004 * rng.uniform());
    volume[i] = 100 + 50 * rng.uniform();
    // funding settles at 00, 08, 16 UTC: the close of the 4h bars opening at 04, 12, 20
    const hour = ((ts[i]! + 4 * HOUR) % DAY) / HOUR;
    fr[i] = hour % 8 === 0 ? 0.0001 * rng.normal() + 0.00005 : 0;
  }
  const h4 = barsDataset('BTCUSDT:4h', '4h', ts, { open, high, low, close, volume, funding_rate: fr });
  const dts = new Float64Array(days);
  const d = { open: new Float64Array(days), high: new Float64Array(days), low: new Float64Array(days), close: new Float64Array(days), volume: new Float64Array(days) };
  for (let k = 0; k < days; k++) {
    dts[k] = T0 + k * DAY;
    d.open[k] = open[k * 6]!;
    d.close[k] = close[k * 6 + 5]!;
    d.high[k] = Math.max(...high.subarray(k * 6, k * 6 + 6));
    d.low[k] = Math.min(...low.subarray(k * 6, k * 6 + 6));
    d.volume[k] = volume.subarray(k * 6, k * 6 + 6).reduce((a, b) => a + b, 0);
  }
  const d1 = barsDataset('BTCUSDT:1d', '1d', dts, d);
  const fts: number[] = [];
  const rate: number[] = [];
  for (let i = 0; i < n; i++) if (fr[i] !== 0) { fts.push(ts[i]! + 4 * HOUR); rate.push(fr[i]!); }
  const ft: ColumnTable = { length: fts.length, columns: { ts: Float64Array.from(fts), rate: Float64Array.from(rate) } };
  const funding: Dataset = { name: 'BTCUSDT:funding', kind: 'funding', stage: 'clean', symbol: 'BTCUSDT', source: 'test', table: ft, digest: tableDigest(ft) };
  return { h4, d1, funding };
}

/** A copy of `ds` with every numeric column except ts replaced, on rows where `change(i)`, by seeded noise. */
export function perturbRows(ds: Dataset, change: (i: number) => boolean, seed: number): Dataset {
  const rng = createRng(seed, 'perturb');
  const columns: Record<string, Float64Array> = {};
  for (const [k, col] of Object.entries(ds.table.columns)) {
    if (!(col instanceof Float64Array)) continue;
    const c = col.slice();
    if (k !== 'ts' && k !== 'close_ts') {
      for (let i = 0; i < c.length; i++) {
        if (!change(i)) continue;
        const u = rng.uniform();
        // mix of moderate moves, extreme moves and missing values
        c[i] = u < 0.1 ? NaN : u < 0.2 ? c[i]! * 50 : c[i]! * Math.exp(0.2 * rng.normal()) + (c[i] === 0 ? 0.001 * rng.normal() : 0);
      }
    }
    columns[k] = c;
  }
  const table: ColumnTable = { length: ds.table.length, columns };
  return { ...ds, table, digest: tableDigest(table) };
}
