/**
 * The network ingest engine: resolve the symbol, ask the lake what it already holds, download only
 * the missing head/tail, store each range as one complete raw segment, and hand back the
 * partition's rows inside the requested window as a `raw:` dataset for `clean`.
 *
 * Nothing half-written: a range is stored only after every one of its pages arrived, except that a
 * long tail is flushed in whole-page chunks (the lake stays contiguous because the tail grows
 * forward; a first download likewise), so Ctrl+C in a long download keeps what was complete.
 * A head range (before what the lake holds) is all-or-nothing.
 */
import { UserError } from '../../core/errors.js';
import { tableDigest, type ColumnTable, type Dataset, type DatasetKind } from '../../core/table.js';
import { intervalMs, isoUtc, type Interval } from '../../core/time.js';
import { concatTables } from './columns.js';
import { missingRanges, type MissingRange } from './missing.js';
import type { Coverage, RawKey, RawStore } from './raw-store.js';
import type { FetchStats, FetchWindow, NetworkDeps, NetworkSource, NetworkWhat, SourceSymbol } from './types.js';

/** Rows buffered before a tail download is flushed to the lake as one segment. */
export const TAIL_FLUSH_ROWS = 250_000;

export interface NetworkIngestRequest {
  readonly symbol: string;
  readonly what: NetworkWhat;
  readonly interval?: Interval;
  /** First row wanted (epoch ms); undefined = where the lake's partition starts. */
  readonly start?: number;
  /** End of the window (exclusive, epoch ms); undefined = now. */
  readonly end?: number;
  /** Open-interest period when it differs from `interval` (set by the source). */
  readonly period?: string;
}

export interface FetchedRange extends MissingRange {
  readonly rows: number;
  readonly segments: number;
}

export interface NetworkIngestResult {
  readonly symbol: SourceSymbol;
  readonly key: RawKey;
  readonly window: FetchWindow;
  readonly before: Coverage | undefined;
  readonly after: Coverage | undefined;
  readonly fetched: readonly FetchedRange[];
  readonly stats: FetchStats;
  /** The partition's rows inside the window, or undefined when there are none. */
  readonly dataset: Dataset | undefined;
  readonly where: string;
}

/** Lake partition interval and dataset suffix for what is downloaded. */
export function partitionOf(what: NetworkWhat, interval: Interval | undefined, period: string | undefined): { interval: string; suffix: string; kind: DatasetKind } {
  switch (what) {
    case 'ohlcv':
      if (!interval) throw new UserError('bars need --interval (e.g. --interval 15m)', '--interval');
      return { interval, suffix: interval, kind: 'bars' };
    case 'funding':
      return { interval: 'funding', suffix: 'funding', kind: 'funding' };
    case 'oi':
      return { interval: `oi-${period ?? interval ?? '5m'}`, suffix: 'oi', kind: 'series' };
    case 'series':
      return { interval: 'series', suffix: '', kind: 'series' };
  }
}

/** Dataset name: raw:BTCUSDT:15m, raw:BTCUSDT:funding, raw:BTCUSDT:oi, raw:MACRO:T10Y2Y. */
export function rawDatasetName(what: NetworkWhat, name: string, suffix: string): string {
  return what === 'series' ? `raw:MACRO:${name}` : `raw:${name}:${suffix}`;
}

/** `deps` should be the object `source` was built with (same clock, signal and progress). */
export async function ingestNetwork(
  source: NetworkSource,
  store: RawStore,
  req: NetworkIngestRequest,
  deps: NetworkDeps,
): Promise<NetworkIngestResult> {
  const sym = await source.resolve(req.symbol);
  const part = partitionOf(req.what, req.interval, req.period);
  const key: RawKey = { source: source.id, symbol: sym.name, interval: part.interval };
  const before = await store.coverage(key);

  const now = deps.now();
  // Only complete rows: a bar is complete at open + interval; events and series once they happened.
  const latest = req.what === 'ohlcv' ? now - intervalMs(req.interval!) + 1 : now + 1;
  const from = req.start ?? before?.from;
  if (from === undefined) {
    throw new UserError(`the lake has no ${source.id} ${sym.name} ${part.interval} yet: give --start for the first download`, '--start');
  }
  const to = Math.min(req.end ?? Number.POSITIVE_INFINITY, latest);
  if (!(from < to)) {
    throw new UserError(`nothing to download: start ${isoUtc(from)} is not before end ${isoUtc(to)} (complete rows only)`, '--start');
  }
  const window: FetchWindow = { from, to };

  const fetched: FetchedRange[] = [];
  const step = req.what === 'ohlcv' && source.regularBars ? intervalMs(req.interval!) : 1;
  // The head is known from where earlier downloads *asked* to start (nothing older existed then);
  // the tail from the last row held (late-published rows can still appear after it).
  const held = before ? { from: Math.min(before.from, before.requestedFrom ?? before.from), to: before.to } : undefined;
  for (const range of missingRanges(window, held, step)) {
    fetched.push(await fetchRange(source, store, sym, key, req, range, deps));
  }
  const after = fetched.some((f) => f.rows > 0) ? await store.coverage(key) : before;

  const total = fetched.reduce((s, f) => s + f.rows, 0);
  if (total === 0 && !before && source.id === 'alpaca') {
    // Alpaca answers an unknown symbol with an empty list rather than an error.
    throw new UserError(
      `alpaca returned no bars for '${req.symbol}' between ${isoUtc(from)} and ${isoUtc(to)}: check the symbol (Alpaca lists US stocks and ETFs)`,
      `symbol ${req.symbol}`,
    );
  }
  const all = after ? await store.read(key) : undefined;
  const inWindow = all ? clip(all, window) : undefined;
  const dataset =
    inWindow && inWindow.length > 0
      ? {
          name: rawDatasetName(req.what, sym.name, part.suffix),
          kind: part.kind,
          stage: 'raw' as const,
          symbol: sym.name,
          ...(req.what === 'ohlcv' ? { interval: req.interval! } : {}),
          assetClass: req.what === 'series' ? ('macro' as const) : sym.assetClass,
          source: source.id,
          table: inWindow,
          digest: tableDigest(inWindow),
          meta: {
            partition: `${key.source}/${key.symbol}/${key.interval}`,
            window: `${isoUtc(from)}..${isoUtc(to)}`,
            ...(sym.meta ?? {}),
          },
        }
      : undefined;
  return { symbol: sym, key, window, before, after, fetched, stats: source.stats, dataset, where: store.where(key) };
}

async function fetchRange(
  source: NetworkSource,
  store: RawStore,
  sym: SourceSymbol,
  key: RawKey,
  req: NetworkIngestRequest,
  range: MissingRange,
  deps: NetworkDeps,
): Promise<FetchedRange> {
  let buffer: ColumnTable[] = [];
  let buffered = 0;
  let rows = 0;
  let segments = 0;
  const flush = async () => {
    if (buffered === 0) return;
    const names = Object.keys(buffer[0]!.columns);
    const table = concatTables(names, buffer);
    await store.append(key, table, {
      origin: `${source.id} ${req.what}`,
      meta: {
        requested_from: range.from,
        requested_to: range.to,
        requested: `${isoUtc(range.from)}..${isoUtc(range.to)}`,
        fetched_at: isoUtc(deps.now()),
        source_id: sym.id,
      },
    });
    rows += table.length;
    segments++;
    buffer = [];
    buffered = 0;
  };
  const request = {
    what: req.what,
    window: { from: range.from, to: range.to },
    ...(req.interval ? { interval: req.interval } : {}),
    ...(req.period ? { period: req.period } : {}),
  };
  await source.fetch(sym, request, async (page) => {
    buffer.push(page);
    buffered += page.length;
    if (range.side !== 'head' && buffered >= TAIL_FLUSH_ROWS) await flush();
  });
  await flush();
  return { ...range, rows, segments };
}

/** Rows with ts in [from, to) (the input is sorted by ts). */
function clip(t: ColumnTable, w: FetchWindow): ColumnTable {
  const ts = t.columns['ts'] as Float64Array;
  let a = 0;
  while (a < ts.length && ts[a]! < w.from) a++;
  let b = a;
  while (b < ts.length && ts[b]! < w.to) b++;
  if (a === 0 && b === ts.length) return t;
  const columns: Record<string, Float64Array | string[]> = {};
  for (const [k, c] of Object.entries(t.columns)) columns[k] = c.slice(a, b);
  return { length: b - a, columns };
}
