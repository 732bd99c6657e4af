/**
 * Resample sorted bars into coarser buckets in one pass.
 *
 * Per bucket: open = first open, high = max high, low = min low, close = last close; additive
 * columns (volume, quote_volume, trades, taker_buy_volume, taker_buy_quote_volume,
 * liquidations_long/short, funding_rate) are summed over finite values (NaN when none is finite);
 * open_interest is the last finite value (the value known at the bucket's close); close_ts and any
 * other numeric column take the last value. `ts` becomes the bucket start.
 *
 * Input must be sorted by ts with unique timestamps, and `buckets` non-decreasing (bucketStarts of
 * the sorted ts). Partial buckets (fewer source bars than the bucket holds) are kept; `counts`
 * reports the source bars per output bar so callers can name partial first/last periods.
 * Complexity O(n · columns); no allocation per row.
 */
import type { Column, ColumnTable } from '../../core/table.js';

export const SUM_COLUMNS: ReadonlySet<string> = new Set([
  'volume', 'quote_volume', 'trades', 'taker_buy_volume', 'taker_buy_quote_volume', 'liquidations_long', 'liquidations_short', 'funding_rate',
]);

type Agg = 'first' | 'max' | 'min' | 'last' | 'sum' | 'lastFinite';

function aggOf(name: string): Agg {
  if (name === 'open') return 'first';
  if (name === 'high') return 'max';
  if (name === 'low') return 'min';
  if (SUM_COLUMNS.has(name)) return 'sum';
  if (name === 'open_interest') return 'lastFinite';
  return 'last';
}

export function resampleBars(t: ColumnTable, buckets: Float64Array): { table: ColumnTable; counts: Int32Array } {
  const n = t.length;
  let m = 0;
  for (let i = 0; i < n; i++) if (i === 0 || buckets[i] !== buckets[i - 1]) m++;
  const counts = new Int32Array(m);
  const columns: Record<string, Column> = {};
  const outTs = new Float64Array(m);
  {
    let k = -1;
    for (let i = 0; i < n; i++) {
      if (i === 0 || buckets[i] !== buckets[i - 1]) {
        k++;
        outTs[k] = buckets[i]!;
      }
      counts[k]!++;
    }
  }
  columns['ts'] = outTs;
  for (const [name, col] of Object.entries(t.columns)) {
    if (name === 'ts') continue;
    if (!(col instanceof Float64Array)) {
      const out: string[] = new Array(m);
      let k = -1;
      for (let i = 0; i < n; i++) {
        if (i === 0 || buckets[i] !== buckets[i - 1]) k++;
        out[k] = col[i]!;
      }
      columns[name] = out;
      continue;
    }
    const out = new Float64Array(m);
    const agg = aggOf(name);
    let k = -1;
    let acc = NaN;
    for (let i = 0; i < n; i++) {
      const x = col[i]!;
      if (i === 0 || buckets[i] !== buckets[i - 1]) {
        if (k >= 0) out[k] = acc;
        k++;
        acc = agg === 'sum' || agg === 'lastFinite' ? (Number.isFinite(x) ? x : NaN) : x;
        continue;
      }
      switch (agg) {
        case 'first':
          break;
        case 'max':
          if (x > acc || Number.isNaN(acc)) acc = x;
          break;
        case 'min':
          if (x < acc || Number.isNaN(acc)) acc = x;
          break;
        case 'sum':
          if (Number.isFinite(x)) acc = Number.isNaN(acc) ? x : acc + x;
          break;
        case 'lastFinite':
          if (Number.isFinite(x)) acc = x;
          break;
        case 'last':
          acc = x;
          break;
      }
    }
    if (k >= 0) out[k] = acc;
    columns[name] = out;
  }
  return { table: { length: m, columns }, counts };
}
