/** Shared helpers for the synthetic-market tests (generation through the public API only). */
import { createRng } from '../../../src/core/rng.js';
import type { Dataset } from '../../../src/core/table.js';
import { generateSyntheticMarket, toDatasets, type SyntheticOptions, type SyntheticMarket } from '../../../src/data/synthetic/index.js';

export const market = (seed: number, options: SyntheticOptions = {}): SyntheticMarket =>
  generateSyntheticMarket({ seed, ...options }, (s) => createRng(seed, s));

export const datasets = (seed: number, options: SyntheticOptions = {}): Dataset[] => toDatasets(market(seed, options));

export function byName(ds: readonly Dataset[], name: string): Dataset {
  const d = ds.find((x) => x.name === name);
  if (!d) throw new Error(`no dataset ${name} (have ${ds.map((x) => x.name).join(', ')})`);
  return d;
}

export const col = (d: Dataset, name: string): Float64Array => {
  const c = d.table.columns[name];
  if (!(c instanceof Float64Array)) throw new Error(`${d.name} has no numeric column ${name}`);
  return c;
};

/** Log returns close-to-close. */
export function logReturns(close: Float64Array): Float64Array {
  const out = new Float64Array(Math.max(0, close.length - 1));
  for (let i = 1; i < close.length; i++) out[i - 1] = Math.log(close[i]! / close[i - 1]!);
  return out;
}

/** Sample excess-free kurtosis m4 / m2² (3 for a normal). */
export function kurtosis(x: ArrayLike<number>): number {
  let mean = 0;
  for (let i = 0; i < x.length; i++) mean += x[i]!;
  mean /= x.length;
  let m2 = 0;
  let m4 = 0;
  for (let i = 0; i < x.length; i++) {
    const d = x[i]! - mean;
    m2 += d * d;
    m4 += d * d * d * d;
  }
  m2 /= x.length;
  m4 /= x.length;
  return m4 / (m2 * m2);
}

/** Lag-k autocorrelation (two-pass, full-sample mean and variance). */
export function autocorrelation(x: ArrayLike<number>, lag: number): number {
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i]!;
  mean /= n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i]! - mean;
    den += d * d;
    if (i >= lag) num += d * (x[i - lag]! - mean);
  }
  return num / den;
}

export function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb);
    saa += (a[i]! - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}
