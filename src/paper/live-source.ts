/**
 * The data of a live paper session (docs/paper.md "Live feed"): the history the session started
 * with (the lake's bars of each traded symbol, the last `historyBars` of them, OHLCV columns) plus
 * the closed bars its feed has stored (live-feed.ts, `feed.jsonl`) up to the feed's watermark. The
 * loop (loop.ts) builds its Trader over `datasets()` once, then asks `next()` for the bars closed
 * since — every symbol's, up to the new watermark — and appends them to that Trader in place
 * (engine/grow.ts), so a bar costs the same however long the session has run. The same function
 * builds the data when the session resumes in another process, from spec.json (which fixes the
 * history window) and feed.jsonl, so the rebuilt Trader is the one that ran.
 *
 * Only OHLCV columns are carried: the feed delivers no funding, taker-buy or open-interest columns,
 * and a column known for the history only would change meaning at the first live bar.
 */
import { join } from 'node:path';
import { UserError } from '../core/errors.js';
import { tableDigest, type BarFrame, type Dataset } from '../core/table.js';
import { intervalMs, isoUtc } from '../core/time.js';
import type { Scheduler } from '../engine/clock.js';
import type { NewBar } from '../engine/grow.js';
import { prepareBacktest } from '../backtest/run-backtest.js';
import { FeedStore, LiveFeed, type BarSource, type FeedBar, type FeedEvent, type FeedHealth, type LiveFeedOptions } from './live-feed.js';
import { planOf, type PaperSpec } from './spec.js';

/** What the loop needs from a live feed (PaperRunOptions.live). */
export interface LiveSource {
  /** No more bars will come (a test's end time); a live session otherwise runs until stopped. */
  readonly done: boolean;
  /**
   * Wait (at most `maxWaitMs`) for newly closed bars: those closing after the data handed so far
   * (`datasets()` or the last `next()`) and at or before the watermark, in close-time order; null when none.
   */
  next(maxWaitMs: number): Promise<readonly NewBar[] | null>;
  /** Feed faults, gaps and duplicates since the last call (the loop writes them to its errors log). */
  drainEvents(): FeedEvent[];
  health(): FeedHealth;
}

/** Fixed when the session starts (spec.json), so a resume rebuilds the same history. */
export interface LiveWindow {
  /** The feed: binance, binanceusdm, kraken or alpaca. */
  readonly feed: string;
  /** Origin of the feed's API (a local fixture or a proxy); null: the venue's own. */
  readonly feedUrl: string | null;
  /** Open times of the first and last history bar used (epoch ms), per symbol. */
  readonly history: Readonly<Record<string, readonly [number, number]>>;
}

/** Bars of the history kept for warm-up by default (models need far fewer; a re-step is O(bars)). */
export const LIVE_HISTORY_BARS = 2_000;

interface TradedSymbol {
  readonly symbol: string;
  readonly dataset: string;
  readonly step: number;
  readonly bars: BarFrame;
  readonly base: Dataset | undefined;
}

function tradedSymbols(spec: PaperSpec, base: ReadonlyMap<string, Dataset>): TradedSymbol[] {
  // the plan's own data lookup (barsFor: exact interval or resampled), as the replay would trade it
  const { input } = prepareBacktest({ ...planOf(spec), backtest: { ...planOf(spec).backtest, start: null, end: null } }, base, false, (m) => m);
  return input.symbols.map((s) => ({ symbol: s.symbol, dataset: s.dataset, step: intervalMs(s.interval), bars: s.bars, base: base.get(s.dataset) }));
}

/** The history window of a new live session: the last `bars` bars of each traded symbol. */
export function liveHistoryWindow(spec: PaperSpec, base: ReadonlyMap<string, Dataset>, bars = LIVE_HISTORY_BARS): Record<string, readonly [number, number]> {
  const out: Record<string, readonly [number, number]> = {};
  for (const s of tradedSymbols(spec, base)) {
    const ts = s.bars.columns.ts;
    const n = s.bars.length;
    out[s.symbol] = [ts[Math.max(0, n - bars)]!, ts[n - 1]!];
  }
  return out;
}

const OHLCV = ['ts', 'open', 'high', 'low', 'close', 'volume'] as const;

function frameOf(history: BarFrame, from: number, to: number, feed: readonly FeedBar[]): BarFrame {
  const ts = history.columns.ts;
  let i0 = 0;
  while (i0 < history.length && ts[i0]! < from) i0++;
  let i1 = i0;
  while (i1 < history.length && ts[i1]! <= to) i1++;
  const n = i1 - i0 + feed.length;
  const cols = Object.fromEntries(OHLCV.map((k) => [k, new Float64Array(n)])) as Record<(typeof OHLCV)[number], Float64Array>;
  for (const k of OHLCV) cols[k].set(history.columns[k].subarray(i0, i1));
  feed.forEach((b, j) => {
    const r = i1 - i0 + j;
    for (const k of OHLCV) cols[k][r] = b[k];
  });
  return { length: n, columns: cols } as unknown as BarFrame;
}

/** The session's data: `base` with each traded symbol's bars replaced by history + feed bars closing ≤ watermark. */
export function liveDatasets(
  spec: PaperSpec, window: LiveWindow, base: ReadonlyMap<string, Dataset>, feed: readonly FeedBar[], watermark: number,
  traded: readonly TradedSymbol[] = tradedSymbols(spec, base),
): Map<string, Dataset> {
  const out = new Map(base);
  for (const s of traded) {
    const range = window.history[s.symbol];
    if (!range) throw new UserError(`live session '${spec.id}': no history window for ${s.symbol} in spec.json`, 'paper');
    const bars = feed.filter((b) => b.symbol === s.symbol && b.ts > range[1] && b.ts + s.step <= watermark);
    const table = frameOf(s.bars, range[0], range[1], bars);
    out.set(s.dataset, {
      name: s.dataset, kind: 'bars', stage: s.base?.stage ?? 'derived', symbol: s.symbol, interval: spec.interval ?? planOf(spec).interval,
      ...(s.base?.assetClass ? { assetClass: s.base.assetClass } : {}), ...(s.base?.gate ? { gate: s.base.gate } : {}),
      source: `live:${window.feed}`, table, digest: tableDigest(table),
    });
  }
  return out;
}

/** The feed and the data of a live session, for the loop. */
export class LiveData implements LiveSource {
  readonly feed: LiveFeed;
  private readonly store: FeedStore;
  private readonly traded: readonly TradedSymbol[];

  constructor(
    private readonly spec: PaperSpec & { readonly live: LiveWindow },
    private readonly base: ReadonlyMap<string, Dataset>,
    dir: string,
    source: BarSource,
    time: Scheduler,
    options: LiveFeedOptions & { readonly endAt?: number } = {},
  ) {
    this.store = new FeedStore(join(dir, 'feed.jsonl'));
    const stored = this.store.read();
    this.traded = tradedSymbols(spec, base);
    const symbols = this.traded.map((s) => {
      const range = spec.live.history[s.symbol];
      let lastTs = range ? range[1] : s.bars.columns.ts[s.bars.length - 1]!;
      for (const b of stored) if (b.symbol === s.symbol && b.ts > lastTs) lastTs = b.ts;
      return { symbol: s.symbol, step: s.step, lastTs };
    });
    this.feed = new LiveFeed(source, symbols, this.store, time, options);
    this.endAt = options.endAt ?? Infinity;
    this.step = new Map(this.traded.map((s) => [s.symbol, s.step] as const));
    this.store.onAppend = (bars) => this.pending.push(...bars);
  }

  private readonly endAt: number;
  private readonly step: ReadonlyMap<string, number>;
  /** Close time up to which bars were handed to the loop (−∞: `datasets()` not called yet). */
  private handedUpTo = -Infinity;
  /** Stored bars not handed yet (beyond the watermark when stored, or since the last hand-over). */
  private pending: FeedBar[] = [];

  get done(): boolean {
    return this.feed.watermark >= this.endAt;
  }

  /** The data now: history + stored bars up to the watermark (read from feed.jsonl: once, at start or resume). */
  datasets(): Map<string, Dataset> {
    const stored = this.store.read();
    const watermark = this.feed.watermark;
    this.handedUpTo = watermark;
    this.pending = stored.filter((b) => b.ts + this.step.get(b.symbol)! > watermark);
    return liveDatasets(this.spec, this.spec.live, this.base, stored, watermark, this.traded);
  }

  async next(maxWaitMs: number): Promise<readonly NewBar[] | null> {
    if (!(await this.feed.next(maxWaitMs))) return null;
    const watermark = this.feed.watermark;
    const closeOf = (b: FeedBar): number => b.ts + this.step.get(b.symbol)!;
    const ready = this.pending.filter((b) => closeOf(b) > this.handedUpTo && closeOf(b) <= watermark);
    this.pending = this.pending.filter((b) => closeOf(b) > watermark);
    this.handedUpTo = watermark;
    if (ready.length === 0) return null;
    return ready.sort((a, b) => closeOf(a) - closeOf(b) || (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
  }

  drainEvents(): FeedEvent[] {
    return this.feed.drainEvents();
  }

  health(): FeedHealth {
    return this.feed.health();
  }

  /** The first decision time of a new session: the close of the latest bar every symbol has. */
  firstDecision(): string {
    return isoUtc(this.feed.watermark);
  }
}
