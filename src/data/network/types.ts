/**
 * Shared types of the network sources: what the caller injects (clock, sleep, environment) and
 * what a download reports back (requests, pages, retries). Injecting the clock and the sleep keeps
 * the engine free of ambient time and lets tests check every wait without waiting.
 */
import type { AssetClass, ColumnTable } from '../../core/table.js';
import type { Interval } from '../../core/time.js';

export type NetworkSourceId = 'binance' | 'binanceusdm' | 'kraken' | 'yahoo' | 'alpaca' | 'fred';

export const NETWORK_SOURCES: readonly NetworkSourceId[] = ['alpaca', 'binance', 'binanceusdm', 'fred', 'kraken', 'yahoo'];

/** What to download: bars, funding events, open-interest history, or a macro series. */
export type NetworkWhat = 'ohlcv' | 'funding' | 'oi' | 'series';

/** Everything ambient a download needs, passed in by the command (real) or a test (fake). */
export interface NetworkDeps {
  /** Wall clock, epoch ms UTC: decides which bars are complete and reads X-RateLimit-Reset. */
  now(): number;
  /** Wait `ms`; rejects with CancelledError when `signal` fires. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Environment variables (API keys are read from the names the config gives). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly signal?: AbortSignal;
  log?(message: string): void;
  progress?(label: string, fraction?: number): void;
}

/** One wait before a retry, as requested from `sleep`. */
export interface RetryEvent {
  /** The attempt that failed (1 = the first try). */
  readonly attempt: number;
  readonly waitMs: number;
  /** 'rate-limit' (429/418, Retry-After honoured), 'server' (5xx), 'network' (timeout, reset). */
  readonly reason: 'rate-limit' | 'server' | 'network';
  readonly status?: number;
  /** True when the wait came from the server (Retry-After / X-RateLimit-Reset), not the schedule. */
  readonly fromServer: boolean;
}

/** Counters of one download, reported in the command's result and checked by tests. */
export interface FetchStats {
  requests: number;
  /** Pages that returned at least one row. */
  pages: number;
  readonly retries: RetryEvent[];
  /** Remarks for the user: history limits met, windows clamped, data ending early. */
  readonly notes: string[];
}

export const newStats = (): FetchStats => ({ requests: 0, pages: 0, retries: [], notes: [] });

/** A symbol as the source lists it. */
export interface SourceSymbol {
  /** Name used in datasets and the lake: 'BTCUSDT', 'SPY', 'T10Y2Y', 'BTCUSD' (Kraken, no slash). */
  readonly name: string;
  /** The source's own id ('BTCUSDT', 'XXBTZUSD', 'BTC/USDT:USDT' for ccxt calls…). */
  readonly id: string;
  readonly assetClass: AssetClass;
  readonly meta?: Readonly<Record<string, string | number>>;
}

/** Rows wanted: row timestamp in [from, to). */
export interface FetchWindow {
  readonly from: number;
  readonly to: number;
}

export interface FetchRequest {
  readonly what: NetworkWhat;
  /** Bar interval (ohlcv), open-interest period (oi); ignored for funding and series. */
  readonly interval?: Interval;
  /** Open-interest period ('5m' … '1d') when downloading oi. */
  readonly period?: string;
  readonly window: FetchWindow;
}

/** Called with each complete page, in time order; a page is never split. */
export type PageSink = (page: ColumnTable) => void | Promise<void>;

export interface NetworkSource {
  readonly id: NetworkSourceId;
  /** Bars sit on a fixed UTC grid (crypto): a resume may start exactly one interval after the last bar. */
  readonly regularBars: boolean;
  /** Resolve what the user typed against the listing; throws UserError with a did-you-mean. */
  resolve(symbol: string): Promise<SourceSymbol>;
  /** Download the window page by page, handing each page to `sink` in time order. */
  fetch(symbol: SourceSymbol, request: FetchRequest, sink: PageSink): Promise<void>;
  /** Counters so far (requests, pages, retries). */
  readonly stats: FetchStats;
  close(): Promise<void>;
}
