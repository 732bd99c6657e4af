/**
 * What a venue adapter (docs/brokers.md) needs from one exchange or broker API: the transport
 * under a VenueBroker. Each implementation (ccxt-venue.ts, alpaca-venue.ts) turns its library's
 * answers into these shapes and its failures into a VenueError of one kind, so the broker's retry,
 * reconcile and fill logic (venue-broker.ts) is written once.
 */
import type { AssetClass } from '../../core/table.js';

export type VenueName = 'binance' | 'binanceusdm' | 'kraken' | 'krakenfutures' | 'alpaca';

export const VENUE_NAMES: readonly VenueName[] = ['binance', 'binanceusdm', 'kraken', 'krakenfutures', 'alpaca'];

/** The venue's trading rules for one symbol, read from its markets (or assets) endpoint. */
export interface SymbolRules {
  readonly symbol: string;
  readonly assetClass: AssetClass;
  /** Quantity step (lot); quantities must be a multiple of it. */
  readonly qtyStep: number;
  readonly minQty: number;
  /** Minimum order value in quote currency (0: none). */
  readonly minNotional: number;
  /** Price step (tick) for limit and stop prices; 0: any price. */
  readonly priceStep: number;
  /** Whether the venue may sell what the account does not hold (perpetuals, margin). */
  readonly shortable: boolean;
  /** Only while the exchange is open (US equities on Alpaca). */
  readonly sessionHours: boolean;
  /** Venue-side stop orders this adapter sends for the symbol (docs/brokers.md "Stop orders"). */
  readonly stops: StopSupport;
}

/** Which stop orders go to the venue: a stop (triggers a market order) and a stop-limit; `refusal` says why not. */
export interface StopSupport {
  readonly stop: boolean;
  readonly stopLimit: boolean;
  readonly refusal?: string;
}

export type VenueOrderStatus = 'open' | 'filled' | 'cancelled' | 'expired' | 'rejected';

/** One order as the venue reports it. Cumulative amounts, so polling twice never counts a fill twice. */
export interface VenueOrder {
  readonly venueId: string;
  /** The client order id we sent (venue-client-id.ts). */
  readonly clientOrderId: string;
  readonly symbol: string;
  /** Signed ordered quantity. */
  readonly qty: number;
  /** Filled quantity so far, unsigned. */
  readonly filled: number;
  /** Quote value of the filled quantity so far (Σ qty × price of its trades). */
  readonly cost: number;
  /** Fees charged so far, in quote currency. */
  readonly fee: number;
  readonly status: VenueOrderStatus;
}

export interface VenueOrderRequest {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly qty: number;
  readonly type: 'market' | 'limit' | 'stop';
  /** Limit price, or a stop's trigger level. */
  readonly price?: number;
  /** Stops only: the limit once triggered (a stop-limit); absent, the stop triggers a market order. */
  readonly limitPrice?: number;
}

export interface VenueAccount {
  /**
   * Cash in the engine's sense (execution/account.ts: cash −= qty × price + fee on every fill):
   * the quote balance on a spot venue; wallet balance − Σ position × entry price on a futures venue.
   */
  readonly cash: number;
  /** Signed position per symbol (0 when flat). */
  readonly positions: ReadonlyMap<string, number>;
}

/** Whether the exchange is in its regular session now (Alpaca's /v2/clock). */
export interface MarketClock {
  readonly isOpen: boolean;
  readonly nextOpen: number;
  readonly nextClose: number;
}

export type VenueErrorKind = 'timeout' | 'rate-limit' | 'server' | 'network' | 'rejected' | 'not-found' | 'auth';

/** Failures the broker retries: the request may or may not have reached the venue. */
export const TRANSIENT: ReadonlySet<VenueErrorKind> = new Set(['timeout', 'rate-limit', 'server', 'network']);

/** A failed venue call, classified. `retryAfterMs` is the venue's own wait (Retry-After) when it gave one. */
export class VenueError extends Error {
  constructor(
    readonly kind: VenueErrorKind,
    message: string,
    readonly retryAfterMs?: number,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'VenueError';
  }
}

export interface VenueApi {
  readonly venue: VenueName;
  loadRules(symbols: readonly string[]): Promise<Map<string, SymbolRules>>;
  /** A recent price per symbol (ticker), for the minimum-notional check of market orders. */
  prices(symbols: readonly string[]): Promise<Map<string, number>>;
  submit(order: VenueOrderRequest): Promise<VenueOrder>;
  /**
   * The order sent under `clientOrderId`, or undefined when the venue has none (never placed, or lost).
   * `qty` is the signed quantity the broker asked for, for venues that forget finished orders
   * and must rebuild them from their fills (Kraken Futures).
   */
  find(symbol: string, clientOrderId: string, qty?: number): Promise<VenueOrder | undefined>;
  /** Cancel; the order as it stands afterwards, or undefined when the venue does not know it. */
  cancel(symbol: string, clientOrderId: string, venueId: string | undefined): Promise<VenueOrder | undefined>;
  openOrders(symbols: readonly string[]): Promise<VenueOrder[]>;
  account(symbols: readonly string[]): Promise<VenueAccount>;
  /** Only venues with trading hours (Alpaca). */
  clock?(): Promise<MarketClock>;
  close(): Promise<void>;
}

/** What the broker tells its owner went wrong (the paper loop shows it on the dashboard and in errors.jsonl). */
export interface BrokerErrorEvent {
  readonly venue: VenueName;
  readonly kind: VenueErrorKind | 'lost' | 'reconcile';
  /** One line, redacted. */
  readonly message: string;
  /** The caller's client id of the order concerned, if any. */
  readonly clientId?: string;
  readonly ts: number;
}
