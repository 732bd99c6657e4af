/**
 * A live feed's bars from a venue (docs/paper.md "Live feed"), through the ingest's network clients
 * (src/data/network/sources.ts): ccxt for binance, binanceusdm and kraken, Alpaca's market-data bars
 * for alpaca — the same clients, pacing and retries as `ingest binance|…`, pointed at `feedUrl`
 * when one is given (a local fixture or a proxy). The wall clock and the sleeps are the loop's
 * Scheduler, so a test's virtual time drives the retries too.
 */
import { UserError } from '../core/errors.js';
import type { Interval } from '../core/time.js';
import type { EdgelabConfig } from '../config/schema.js';
import type { Scheduler } from '../engine/clock.js';
import { createNetworkSource } from '../data/network/sources.js';
import type { NetworkSource, NetworkSourceId, SourceSymbol } from '../data/network/types.js';
import type { BarSource, FeedBar } from './live-feed.js';

export const FEED_NAMES = ['binance', 'binanceusdm', 'kraken', 'alpaca'] as const;
export type FeedName = (typeof FEED_NAMES)[number];

export function checkFeed(name: string): FeedName {
  if ((FEED_NAMES as readonly string[]).includes(name)) return name as FeedName;
  throw new UserError(`unknown feed '${name}' (choose ${FEED_NAMES.join(', ')})`, '--feed');
}

export interface FeedSourceOptions {
  readonly feed: FeedName;
  readonly interval: Interval;
  readonly feedUrl: string | null;
  readonly config: EdgelabConfig;
  readonly time: Scheduler;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly signal?: AbortSignal;
}

export function networkBarSource(o: FeedSourceOptions): BarSource {
  const id: NetworkSourceId = o.feed;
  const network = o.feedUrl ? { ...o.config.network, [id]: { ...o.config.network[id], base_url: o.feedUrl } } : o.config.network;
  const source: NetworkSource = createNetworkSource(id, network, {
    now: () => o.time.now(),
    sleep: (ms) => o.time.sleep(ms),
    env: o.env,
    ...(o.signal ? { signal: o.signal } : {}),
  });
  const resolved = new Map<string, SourceSymbol>();
  return {
    name: o.feed,
    regular: source.regularBars,
    async fetch(symbol: string, from: number, to: number): Promise<FeedBar[]> {
      let sym = resolved.get(symbol);
      if (!sym) {
        sym = await source.resolve(symbol);
        resolved.set(symbol, sym);
      }
      const out: FeedBar[] = [];
      await source.fetch(sym, { what: 'ohlcv', interval: o.interval, window: { from, to } }, (page) => {
        const c = page.columns as Record<string, Float64Array>;
        for (let i = 0; i < page.length; i++) {
          out.push({ symbol, ts: c['ts']![i]!, open: c['open']![i]!, high: c['high']![i]!, low: c['low']![i]!, close: c['close']![i]!, volume: c['volume']![i]! });
        }
      });
      return out;
    },
  };
}
