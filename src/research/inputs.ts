/**
 * Discovery's view of the session: every clean bars dataset (or the ones named with --on) as
 * AssetBars, with its funding settlements (SYMBOL:funding, else the bars' funding_rate column at
 * 00/08/16 UTC closes), the other venue (for a perpetual its spot twin: a crypto_spot bars dataset
 * whose meta.spotOf names the symbol, same interval; for a spot twin its perpetual) and, on synthetic data, the regime labels of the truth.
 */
import type { Dataset } from '../core/table.js';
import { intervalMs } from '../core/time.js';
import { UserError } from '../core/errors.js';
import { assertReady } from '../data/ready.js';
import { regimeCodes, truthOf } from '../data/synthetic/index.js';
import type { AssetBars } from './types.js';

const EIGHT_HOURS = 8 * 3_600_000;
const BAR_FIELDS = new Set(['ts', 'open', 'high', 'low', 'close', 'volume']);

const num = (ds: Dataset, name: string): Float64Array | undefined => {
  const c = ds.table.columns[name];
  return c instanceof Float64Array ? c : undefined;
};

/** Is this a dataset discovery studies (clean bars of a tradable asset)? */
export const isStudyBars = (ds: Dataset): boolean =>
  ds.kind === 'bars' && ds.stage !== 'raw' && ds.interval !== undefined && ds.symbol !== undefined && ds.assetClass !== 'macro';

/** The datasets to study: the named ones (dataset names or symbols), else every clean bars dataset. */
export function studyDatasets(datasets: ReadonlyMap<string, Dataset>, on: readonly string[], force: boolean): Dataset[] {
  const all = [...datasets.values()];
  if (on.length === 0) {
    const found = all.filter(isStudyBars);
    if (found.length === 0) throw new UserError('no bars datasets are loaded: run `ingest synthetic` or ingest and clean data first', '--on');
    return found.filter((d) => !d.gate || d.gate.pass || force);
  }
  return on.map((name) => {
    const ds = datasets.get(name) ?? all.find((d) => isStudyBars(d) && d.symbol === name);
    if (!ds) throw new UserError(`unknown dataset '${name}' (see \`datasets\`)`, '--on');
    if (!isStudyBars(ds)) throw new UserError('is not a bars dataset discovery can study (clean bars with a symbol and interval)', ds.name);
    assertReady(ds, force);
    return ds;
  });
}

export function assetBars(ds: Dataset, datasets: ReadonlyMap<string, Dataset>): AssetBars {
  const need = (name: string): Float64Array => {
    const c = num(ds, name);
    if (!c) throw new UserError(`has no numeric ${name} column`, ds.name);
    return c;
  };
  const ts = need('ts');
  const barMs = intervalMs(ds.interval!);
  const extra: Record<string, Float64Array> = {};
  for (const [k, v] of Object.entries(ds.table.columns)) if (!BAR_FIELDS.has(k) && v instanceof Float64Array) extra[k] = v;
  const funding = fundingOf(ds, datasets, ts, barMs);
  const spot = spotOf(ds, datasets, ts);
  const truth = truthOf(ds);
  return {
    name: ds.name,
    symbol: ds.symbol!,
    assetClass: ds.assetClass ?? 'other',
    interval: ds.interval!,
    barMs,
    ts,
    open: need('open'),
    high: need('high'),
    low: need('low'),
    close: need('close'),
    volume: need('volume'),
    extra,
    ...(funding ? { funding } : {}),
    ...(spot ? { spot } : {}),
    ...(truth ? { regime: regimeCodes(ds, truth) } : {}),
  };
}

function rowByCloseTime(ts: Float64Array, barMs: number): Map<number, number> {
  const m = new Map<number, number>();
  for (let i = 0; i < ts.length; i++) m.set(ts[i]! + barMs, i);
  return m;
}

function fundingOf(ds: Dataset, datasets: ReadonlyMap<string, Dataset>, ts: Float64Array, barMs: number): AssetBars['funding'] {
  const f = datasets.get(`${ds.symbol}:funding`);
  const fts = f && num(f, 'ts');
  const rate = f && num(f, 'rate');
  if (f && fts && rate) {
    const byClose = rowByCloseTime(ts, barMs);
    const rows = Int32Array.from(fts, (t) => byClose.get(t) ?? -1);
    return { rows, rates: rate, source: f.name };
  }
  const col = num(ds, 'funding_rate');
  if (!col || barMs > EIGHT_HOURS) return undefined;
  const rows: number[] = [];
  for (let i = 0; i < ts.length; i++) if ((ts[i]! + barMs) % EIGHT_HOURS === 0) rows.push(i);
  return { rows: Int32Array.from(rows), rates: Float64Array.from(rows, (r) => col[r]!), source: `${ds.name} funding_rate` };
}

/**
 * The other venue's closes aligned to these bars: for a perpetual its spot twin, for a spot twin
 * (meta.spotOf) its perpetual.
 */
function spotOf(ds: Dataset, datasets: ReadonlyMap<string, Dataset>, ts: Float64Array): AssetBars['spot'] {
  const perpOf = ds.meta?.['spotOf'];
  for (const s of datasets.values()) {
    if (s.kind !== 'bars' || s.interval !== ds.interval) continue;
    const twin = typeof perpOf === 'string' ? s.symbol === perpOf && s.assetClass === 'crypto_perp' : s.assetClass === 'crypto_spot' && s.meta?.['spotOf'] === ds.symbol;
    if (!twin) continue;
    const sts = num(s, 'ts');
    const sclose = num(s, 'close');
    if (!sts || !sclose) continue;
    const at = new Map<number, number>();
    for (let i = 0; i < sts.length; i++) at.set(sts[i]!, sclose[i]!);
    return { close: Float64Array.from(ts, (t) => at.get(t) ?? NaN), source: s.name };
  }
  return undefined;
}
