/**
 * A panel: many symbols aligned on one bar clock, each field a T×N matrix stored row-major
 * (`field[t * N + i]` is symbol i at bar t; NaN where the symbol has no bar). This is the shape the
 * AlphaBundle's signals, labels and fits work on (docs/alpha.md).
 *
 * `funding` is the latest *settled* funding rate known at bar t's close (an as-of join on the
 * settlement time ≤ the bar's close), so a carry signal read at t never sees a later settlement.
 */
import { UserError } from '../core/errors.js';
import { intervalMs, type Interval } from '../core/time.js';
import type { Dataset } from '../core/table.js';

export interface Panel {
  readonly interval: Interval;
  /** Bar open times (epoch ms UTC), ascending; a bar is known at ts + interval. */
  readonly ts: Float64Array;
  readonly symbols: readonly string[];
  readonly close: Float64Array;
  readonly volume: Float64Array;
  /** Taker-buy volume in base units (NaN where the data has none). */
  readonly takerBuy: Float64Array;
  /** Latest settled funding rate known at the bar's close (NaN before the first or without funding data). */
  readonly funding: Float64Array;
  /** Extra per-symbol series joined by the caller (e.g. an on-chain flow file), same layout. */
  readonly extra: ReadonlyMap<string, Float64Array>;
}

export const cell = (p: Panel, t: number, i: number): number => t * p.symbols.length + i;

/** Bars datasets of the crypto perpetuals at `interval` in a session's dataset map, sorted by symbol. */
export function universeDatasets(datasets: ReadonlyMap<string, Dataset>, interval: Interval, symbols?: readonly string[]): Dataset[] {
  const want = symbols ? new Set(symbols) : null;
  const out = [...datasets.values()].filter(
    (d) => d.kind === 'bars' && d.interval === interval && d.symbol !== undefined && d.stage !== 'raw' &&
      (want ? want.has(d.symbol) : d.assetClass === 'crypto_perp' || d.assetClass === 'crypto_spot'),
  );
  if (want) {
    const found = new Set(out.map((d) => d.symbol!));
    const missing = [...want].filter((s) => !found.has(s));
    if (missing.length) throw new UserError(`no ${interval} bars loaded for ${missing.join(', ')}`, '--symbols');
  }
  return out.sort((a, b) => (a.symbol! < b.symbol! ? -1 : a.symbol! > b.symbol! ? 1 : 0));
}

/** Align bars (and funding, when a SYMBOL:funding dataset or a funding_rate column exists) on the union clock. */
export function buildPanel(bars: readonly Dataset[], datasets: ReadonlyMap<string, Dataset>, interval: Interval): Panel {
  if (bars.length < 2) throw new UserError(`a cross-sectional fit needs at least 2 symbols with ${interval} bars, found ${bars.length}`, 'universe');
  const stamps = new Set<number>();
  for (const d of bars) for (const v of d.table.columns['ts'] as Float64Array) stamps.add(v);
  const ts = Float64Array.from([...stamps].sort((a, b) => a - b));
  const T = ts.length;
  const N = bars.length;
  const row = new Map<number, number>();
  ts.forEach((v, t) => row.set(v, t));
  const make = (): Float64Array => new Float64Array(T * N).fill(NaN);
  const close = make(), volume = make(), takerBuy = make(), funding = make();
  const step = intervalMs(interval);
  bars.forEach((d, i) => {
    const c = d.table.columns;
    const bts = c['ts'] as Float64Array;
    const cl = c['close'] as Float64Array, vo = c['volume'] as Float64Array;
    const tb = c['taker_buy_volume'] instanceof Float64Array ? (c['taker_buy_volume'] as Float64Array) : null;
    for (let k = 0; k < bts.length; k++) {
      const at = row.get(bts[k]!)! * N + i;
      close[at] = cl[k]!;
      volume[at] = vo[k]!;
      if (tb) takerBuy[at] = tb[k]!;
    }
    fillFunding(d, datasets.get(`${d.symbol}:funding`), ts, step, funding, i, N);
  });
  return { interval, ts, symbols: bars.map((d) => d.symbol!), close, volume, takerBuy, funding, extra: new Map() };
}

/** As-of join of settled funding rates onto bar closes (settlement time ≤ ts + step). */
function fillFunding(bars: Dataset, fundingDs: Dataset | undefined, ts: Float64Array, step: number, out: Float64Array, i: number, N: number): void {
  let settleTs: Float64Array;
  let rates: Float64Array;
  if (fundingDs) {
    settleTs = fundingDs.table.columns['ts'] as Float64Array;
    rates = fundingDs.table.columns['rate'] as Float64Array;
  } else if (bars.table.columns['funding_rate'] instanceof Float64Array) {
    // The bar column holds the rate settled at that bar's close, else 0.
    const col = bars.table.columns['funding_rate'] as Float64Array;
    const bts = bars.table.columns['ts'] as Float64Array;
    const at: number[] = [];
    for (let k = 0; k < col.length; k++) if (col[k] !== 0 && Number.isFinite(col[k]!)) at.push(k);
    settleTs = Float64Array.from(at, (k) => bts[k]! + step);
    rates = Float64Array.from(at, (k) => col[k]!);
  } else {
    return;
  }
  let k = -1;
  for (let t = 0; t < ts.length; t++) {
    const known = ts[t]! + step;
    while (k + 1 < settleTs.length && settleTs[k + 1]! <= known) k++;
    if (k >= 0) out[t * N + i] = rates[k]!;
  }
}

/**
 * Join an external per-symbol series (columns ts = when the value became known, symbol, value) onto
 * the panel as-of each bar's close: the on-chain flow input. Rows for symbols outside the panel are ignored.
 */
export function joinExternal(panel: Panel, name: string, known: Float64Array, symbol: readonly string[], value: Float64Array): Panel {
  const N = panel.symbols.length;
  const T = panel.ts.length;
  const out = new Float64Array(T * N).fill(NaN);
  const step = intervalMs(panel.interval);
  panel.symbols.forEach((s, i) => {
    const rows: number[] = [];
    for (let k = 0; k < symbol.length; k++) if (symbol[k] === s && Number.isFinite(known[k]!)) rows.push(k);
    rows.sort((a, b) => known[a]! - known[b]!);
    let j = -1;
    for (let t = 0; t < T; t++) {
      while (j + 1 < rows.length && known[rows[j + 1]!]! <= panel.ts[t]! + step) j++;
      if (j >= 0) out[t * N + i] = value[rows[j]!]!;
    }
  });
  const extra = new Map(panel.extra);
  extra.set(name, out);
  return { ...panel, extra };
}

/** Symbol i's column of a T×N row-major matrix, copied into a contiguous array. */
export function column(matrix: Float64Array, n: number, i: number): Float64Array {
  const rows = matrix.length / n;
  const out = new Float64Array(rows);
  for (let t = 0; t < rows; t++) out[t] = matrix[t * n + i]!;
  return out;
}

/** Write a contiguous column back into symbol i's slot of a T×N matrix. */
export function setColumn(matrix: Float64Array, n: number, i: number, values: Float64Array): void {
  for (let t = 0; t < values.length; t++) matrix[t * n + i] = values[t]!;
}

/** The panel's bars with open time before `endMs` (a fit's training cut; later bars stay out of sample). */
export function panelBefore(panel: Panel, endMs: number): Panel {
  let T = 0;
  while (T < panel.ts.length && panel.ts[T]! < endMs) T++;
  const N = panel.symbols.length;
  const cut = (m: Float64Array): Float64Array => m.slice(0, T * N);
  return {
    ...panel, ts: panel.ts.slice(0, T), close: cut(panel.close), volume: cut(panel.volume), takerBuy: cut(panel.takerBuy), funding: cut(panel.funding),
    extra: new Map([...panel.extra].map(([k, m]) => [k, cut(m)])),
  };
}
