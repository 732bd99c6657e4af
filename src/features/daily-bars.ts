/**
 * Daily bars for `daily:` specs when the session has no SYMBOL:1d dataset: the intraday bars
 * grouped by UTC day (open = first open, high = max, low = min, close = last close, volume summed).
 * Each daily bar keeps ts = the day's 00:00 UTC open and interval '1d', so it becomes available at
 * the next midnight, after every intraday bar of that day has closed (a partial last day is thus
 * never visible to any bar of the data). Bars with a `close_ts` column (equity sessions) are
 * refused: load the symbol's 1d bars instead. O(n), columns allocated once.
 */
import { UserError } from '../core/errors.js';
import { tableDigest, type Dataset } from '../core/table.js';
import { DAY, intervalMs } from '../core/time.js';

export function dailyFromIntraday(ds: Dataset): Dataset {
  const c = ds.table.columns;
  const ts = c['ts'];
  const open = c['open'];
  const high = c['high'];
  const low = c['low'];
  const close = c['close'];
  if (!(ts instanceof Float64Array) || !(open instanceof Float64Array) || !(high instanceof Float64Array) || !(low instanceof Float64Array) || !(close instanceof Float64Array)) {
    throw new UserError('needs ts, open, high, low and close columns to build daily bars', ds.name);
  }
  if (ds.interval === undefined || intervalMs(ds.interval) >= DAY) {
    throw new UserError(`has ${ds.interval ?? 'no'} interval; daily bars are built from intraday bars only`, ds.name);
  }
  if (c['close_ts'] instanceof Float64Array) {
    throw new UserError(`has session bars (close_ts); load ${ds.symbol ?? 'SYMBOL'}:1d for daily: specs`, ds.name);
  }
  const vol = c['volume'] instanceof Float64Array ? c['volume'] : undefined;
  const n = ts.length;
  let m = 0;
  let prev = NaN;
  for (let i = 0; i < n; i++) {
    const d = Math.floor(ts[i]! / DAY);
    if (d !== prev) m++;
    prev = d;
  }
  const out = { ts: new Float64Array(m), open: new Float64Array(m), high: new Float64Array(m), low: new Float64Array(m), close: new Float64Array(m), volume: new Float64Array(m) };
  let j = -1;
  prev = NaN;
  for (let i = 0; i < n; i++) {
    const d = Math.floor(ts[i]! / DAY);
    if (d !== prev) {
      j++;
      out.ts[j] = d * DAY;
      out.open[j] = open[i]!;
      out.high[j] = high[i]!;
      out.low[j] = low[i]!;
      prev = d;
    } else {
      if (high[i]! > out.high[j]!) out.high[j] = high[i]!;
      if (low[i]! < out.low[j]!) out.low[j] = low[i]!;
    }
    out.close[j] = close[i]!;
    if (vol) out.volume[j] = out.volume[j]! + vol[i]!;
  }
  const table = { length: m, columns: out };
  const symbol = ds.symbol ?? ds.name.split(':')[0]!;
  return {
    name: `${symbol}:1d`,
    kind: 'bars',
    stage: 'derived',
    symbol,
    interval: '1d',
    ...(ds.assetClass !== undefined ? { assetClass: ds.assetClass } : {}),
    source: `daily(${ds.name})`,
    table,
    digest: tableDigest(table),
  };
}
