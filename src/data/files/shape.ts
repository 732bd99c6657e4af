/**
 * The last step of reading a file: decide what kind of data it is (bars, trades or funding), fill
 * what a kind needs from what the file has (open/high/low from close, volume 0, price from the
 * bid/ask mid, a funding rate from freqtrade's 'open'), and detect the bar interval from the
 * timestamps. Every such decision is written to `facts`.
 */
import { UserError } from '../../core/errors.js';
import type { Column, ColumnTable } from '../../core/table.js';
import { DAY, INTERVALS, intervalMs, type Interval } from '../../core/time.js';
import type { DataKind } from './presets.js';

const f64 = (c: Column | undefined): Float64Array | undefined => (c instanceof Float64Array ? c : undefined);

export function finishTable(
  t: ColumnTable,
  kindHint: DataKind | undefined,
  facts: string[],
  where: string,
): { table: ColumnTable; kind: DataKind; ohlcEqual: boolean } {
  const c = t.columns;
  const has = (k: string): boolean => c[k] !== undefined;
  const kind: DataKind =
    kindHint ??
    ((has('rate') || has('funding_rate')) && !has('close') ? 'funding' : has('close') || has('open') ? 'bars' : has('price') || (has('bid') && has('ask')) ? 'trades' : 'bars');
  const n = t.length;
  const zeros = (): Float64Array => new Float64Array(n);
  const rest = (skip: readonly string[]): Record<string, Column> => {
    const out: Record<string, Column> = {};
    for (const [k, v] of Object.entries(c)) if (!skip.includes(k)) out[k] = v;
    return out;
  };
  if (kind === 'funding') {
    const rate = f64(c['rate']) ?? f64(c['funding_rate']) ?? f64(c['open']);
    if (!rate) throw new UserError(`found no funding-rate column among ${Object.keys(c).join(', ')}; map it with --map rate=COLUMN`, where);
    if (!has('rate') && !has('funding_rate')) facts.push("funding rate read from the 'open' column");
    return { table: { length: n, columns: { ts: c['ts']!, rate } }, kind, ohlcEqual: false };
  }
  if (kind === 'trades') {
    let price = f64(c['price']) ?? f64(c['close']);
    if (!price && f64(c['bid']) && f64(c['ask'])) {
      const bid = f64(c['bid'])!;
      const ask = f64(c['ask'])!;
      price = new Float64Array(n);
      for (let i = 0; i < n; i++) price[i] = (bid[i]! + ask[i]!) / 2;
      facts.push('quotes: price is the bid/ask mid');
    }
    if (!price) throw new UserError(`found no price column among ${Object.keys(c).join(', ')}; map it with --map price=COLUMN`, where);
    if (!has('price') && has('close')) facts.push('sub-minute irregular rows with open = high = low = close read as trades (price = close, amount = volume)');
    let amount = f64(c['amount']) ?? f64(c['volume']);
    if (!amount) {
      amount = zeros();
      facts.push('no amount column: trade amounts set to 0');
    }
    const columns: Record<string, Column> = { ts: c['ts']!, price, amount };
    if (Array.isArray(c['side'])) columns['side'] = c['side'];
    const extra = rest(['ts', 'price', 'amount', 'side', 'open', 'high', 'low', 'close', 'volume', 'bid', 'ask', 'open_interest']);
    return { table: { length: n, columns: { ...columns, ...extra } }, kind, ohlcEqual: false };
  }
  const close = f64(c['close']);
  if (!close) throw new UserError(`found no close column among ${Object.keys(c).join(', ')}; map it with --map close=COLUMN`, where);
  const filled: string[] = [];
  const pick = (k: 'open' | 'high' | 'low'): Float64Array => {
    const v = f64(c[k]);
    if (v) return v;
    filled.push(k);
    return close;
  };
  const open = pick('open');
  const high = pick('high');
  const low = pick('low');
  if (filled.length) facts.push(`no ${filled.join('/')} column: set from close`);
  let volume = f64(c['volume']);
  if (!volume) {
    volume = zeros();
    facts.push('no volume column: volume set to 0');
  } else {
    let nulls = 0;
    for (let i = 0; i < n; i++) if (Number.isNaN(volume[i]!)) nulls++;
    if (nulls === n && n > 0) {
      volume = zeros();
      facts.push('volume is empty in every row (mark-price candles): set to 0');
    }
  }
  let ohlcEqual = n > 0;
  for (let i = 0; i < Math.min(n, 1000) && ohlcEqual; i++) ohlcEqual = open[i] === high[i] && high[i] === low[i] && low[i] === close[i];
  const columns: Record<string, Column> = { ts: c['ts']!, open, high, low, close, volume, ...rest(['ts', 'open', 'high', 'low', 'close', 'volume', 'price', 'amount', 'rate']) };
  return { table: { length: n, columns }, kind, ohlcEqual };
}

export interface StepDetection {
  readonly interval: Interval | undefined;
  readonly medianMs: number;
  readonly text: string;
}

export function stepText(ms: number): string {
  if (!Number.isFinite(ms)) return 'unknown';
  if (ms % DAY === 0) return `${ms / DAY} day${ms === DAY ? '' : 's'}`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${(ms / 1000).toFixed(3).replace(/\.?0+$/, '')} s`;
}

/** Median positive step of the first 20 000 timestamps, and the interval it matches (if any). */
export function detectInterval(ts: Float64Array): StepDetection {
  const m = Math.min(ts.length, 20_000);
  const sorted = Float64Array.from(ts.subarray(0, m)).filter((x) => Number.isFinite(x)).sort();
  const diffs: number[] = [];
  for (let i = 1; i < sorted.length; i++) if (sorted[i]! > sorted[i - 1]!) diffs.push(sorted[i]! - sorted[i - 1]!);
  if (diffs.length === 0) return { interval: undefined, medianMs: NaN, text: 'unknown' };
  diffs.sort((a, b) => a - b);
  const med = diffs[Math.floor((diffs.length - 1) / 2)]!;
  let interval: Interval | undefined;
  if (med >= 28 * DAY && med <= 31 * DAY) interval = '1M';
  else interval = INTERVALS.find((iv) => iv !== '1M' && intervalMs(iv) === med);
  return { interval, medianMs: med, text: stepText(med) };
}
