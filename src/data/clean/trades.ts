/**
 * Trades (or ticks, or quote mids) to bars: open/high/low/close from prices, volume = summed
 * amounts, trades = count, and taker_buy_volume = amounts whose taker side is 'buy' (when a side
 * column exists). Input sorted by ts; several trades may share a millisecond. O(n).
 */
import type { ColumnTable } from '../../core/table.js';
import { bucketStarts, type Grid } from './buckets.js';

export function tradesToBars(ts: Float64Array, price: Float64Array, amount: Float64Array, side: readonly string[] | undefined, grid: Grid): ColumnTable {
  const b = bucketStarts(grid, ts);
  const n = ts.length;
  let m = 0;
  for (let i = 0; i < n; i++) if (i === 0 || b[i] !== b[i - 1]) m++;
  const o = new Float64Array(m);
  const h = new Float64Array(m);
  const l = new Float64Array(m);
  const c = new Float64Array(m);
  const v = new Float64Array(m);
  const cnt = new Float64Array(m);
  const buy = new Float64Array(m);
  const start = new Float64Array(m);
  let k = -1;
  for (let i = 0; i < n; i++) {
    const p = price[i]!;
    const a = amount[i]!;
    if (i === 0 || b[i] !== b[i - 1]) {
      k++;
      start[k] = b[i]!;
      o[k] = p;
      h[k] = p;
      l[k] = p;
    } else {
      if (p > h[k]!) h[k] = p;
      if (p < l[k]!) l[k] = p;
    }
    c[k] = p;
    v[k] = v[k]! + a;
    cnt[k] = cnt[k]! + 1;
    if (side && side[i] === 'buy') buy[k] = buy[k]! + a;
  }
  const columns: Record<string, Float64Array> = { ts: start, open: o, high: h, low: l, close: c, volume: v, trades: cnt };
  if (side) columns['taker_buy_volume'] = buy;
  return { length: m, columns };
}
