/**
 * Data preparation for a backtest run: find each symbol's bars at the run's interval, resampling
 * from a finer dataset when only that is loaded (the demo crypto data is 15m; the seed-003
 * portfolio runs on 4h), and check readiness.
 */
import { UserError } from '../core/errors.js';
import { isBarFrame, tableDigest, type BarFrame, type Dataset } from '../core/table.js';
import { intervalMs, INTERVALS, type Interval } from '../core/time.js';
import { assertReady } from '../data/ready.js';

/**
 * Resample bars to a coarser interval aligned to the epoch (4h buckets start at 00:00, 04:00, …
 * UTC): open = first open, high = max, low = min, close = last close, volume and flow columns
 * (volume, taker_buy_volume, liquidations_*, funding_rate) summed, open_interest = last value.
 * A bucket exists when at least one source bar falls in it; the bucket's values are known at its
 * nominal close (ts + interval), which is never earlier than the last source bar's close. O(n).
 * Sources with a `close_ts` column (irregular session bars) are refused: they cannot be bucketed
 * by open time without moving information earlier.
 */
export function resampleBars(src: BarFrame, from: Interval, to: Interval): BarFrame {
  const step = intervalMs(to);
  if (!(step > intervalMs(from)) || step % intervalMs(from) !== 0) {
    throw new UserError(`cannot resample ${from} bars to ${to} (the target must be a whole multiple)`, 'resample');
  }
  if (src.columns['close_ts'] instanceof Float64Array) {
    throw new UserError('cannot resample bars with a close_ts column (session bars)', 'resample');
  }
  const c = src.columns;
  const n = src.length;
  const sumCols = ['volume', 'taker_buy_volume', 'liquidations_long', 'liquidations_short', 'funding_rate'].filter((k) => c[k] instanceof Float64Array);
  const lastCols = ['open_interest'].filter((k) => c[k] instanceof Float64Array);
  // Count buckets first so every output column is allocated once.
  let m = 0;
  let prev = NaN;
  for (let i = 0; i < n; i++) {
    const b = Math.floor(c.ts[i]! / step);
    if (b !== prev) m++;
    prev = b;
  }
  const out: Record<string, Float64Array> = {};
  for (const k of ['ts', 'open', 'high', 'low', 'close', ...sumCols, ...lastCols]) out[k] = new Float64Array(m);
  let j = -1;
  prev = NaN;
  for (let i = 0; i < n; i++) {
    const b = Math.floor(c.ts[i]! / step);
    if (b !== prev) {
      j++;
      out['ts']![j] = b * step;
      out['open']![j] = c.open[i]!;
      out['high']![j] = c.high[i]!;
      out['low']![j] = c.low[i]!;
      for (const k of sumCols) out[k]![j] = 0;
      prev = b;
    } else {
      if (c.high[i]! > out['high']![j]!) out['high']![j] = c.high[i]!;
      if (c.low[i]! < out['low']![j]!) out['low']![j] = c.low[i]!;
    }
    out['close']![j] = c.close[i]!;
    for (const k of sumCols) out[k]![j] = out[k]![j]! + (c[k] as Float64Array)[i]!;
    for (const k of lastCols) out[k]![j] = (c[k] as Float64Array)[i]!;
  }
  return { length: m, columns: out } as unknown as BarFrame;
}

/**
 * The bars of `symbol` at `interval`: the dataset `SYMBOL:INTERVAL` when loaded, else the finest
 * loaded `SYMBOL:<finer>` resampled. A clear UserError when the symbol has no bars at all, or only
 * coarser ones. Readiness is checked on the dataset actually used (`force` skips a failed gate).
 */
export function barsFor(datasets: ReadonlyMap<string, Dataset>, symbol: string, interval: Interval, force: boolean, explicit?: string): Dataset {
  const exact = datasets.get(explicit ?? `${symbol}:${interval}`);
  if (exact) {
    if (exact.kind !== 'bars' || !isBarFrame(exact.table)) throw new UserError(`dataset is not OHLCV bars`, exact.name);
    assertReady(exact, force);
    return exact;
  }
  if (explicit) throw new UserError(`no dataset '${explicit}' is loaded`, symbol);
  const finer = INTERVALS.filter((iv) => intervalMs(iv) < intervalMs(interval) && intervalMs(interval) % intervalMs(iv) === 0)
    .map((iv) => datasets.get(`${symbol}:${iv}`))
    .filter((d): d is Dataset => d !== undefined && d.kind === 'bars' && isBarFrame(d.table) && !(d.table.columns['close_ts'] instanceof Float64Array))
    .sort((a, b) => intervalMs(b.interval!) - intervalMs(a.interval!));
  const src = finer[0];
  if (!src) {
    const have = [...datasets.keys()].filter((k) => k.startsWith(`${symbol}:`));
    throw new UserError(
      have.length
        ? `no ${interval} bars for ${symbol} (loaded: ${have.join(', ')}); use --interval or load ${symbol}:${interval}`
        : `no data for symbol ${symbol}: load it first (ingest synthetic, or ingest from a file) and check \`datasets\``,
      symbol,
    );
  }
  assertReady(src, force);
  const table = resampleBars(src.table as BarFrame, src.interval!, interval);
  return withTableDigest({
    name: `${symbol}:${interval}`,
    kind: 'bars',
    stage: 'derived',
    symbol,
    interval,
    ...(src.assetClass ? { assetClass: src.assetClass } : {}),
    source: `resampled:${src.name}`,
    table,
    ...(src.gate ? { gate: src.gate } : {}),
  });
}

/**
 * A dataset whose `digest` is its table's content digest (core/table.ts `tableDigest`), computed when
 * first read and then kept: a run that only traces its signal (a bias probe's) never reads it, and
 * the digest is a pass over every column.
 */
export function withTableDigest(fields: Omit<Dataset, 'digest'>): Dataset {
  const ds = { ...fields } as Dataset;
  Object.defineProperty(ds, 'digest', {
    enumerable: true,
    configurable: true,
    get(): string {
      const digest = tableDigest(fields.table);
      Object.defineProperty(ds, 'digest', { value: digest, enumerable: true, writable: false, configurable: false });
      return digest;
    },
  });
  return ds;
}
