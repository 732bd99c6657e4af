/**
 * Alpaca (paper or live trading API) through Alpaca's SDK, @alpacahq/alpaca-trade-api (docs/brokers.md):
 * the SDK's generated Orders, Positions, Account, Clock and Assets APIs send the requests with the
 * APCA-API-* headers, its token bucket paces them (~200 requests/min, Alpaca's limit) and its typed
 * errors (ApiError with status and retryAfterMs, FetchError) are classified here. The SDK's own
 * retry is off: order POSTs are never auto-retried by it anyway, and the broker's query-before-resend
 * policy (venue-broker.ts) covers every call the same way on every venue.
 *
 * Rules come from /v2/assets/{symbol}: whole shares unless the asset is fractionable (then 1e-9 of
 * a share and at least $1), the penny tick, shorting only where the asset is shortable, and for US
 * equities the regular session from /v2/clock. Equity trades carry no commission on Alpaca, so fills
 * have fee 0.
 */
import * as sdk from '@alpacahq/alpaca-trade-api';
import type { VenueKeys } from './keys.js';
import {
  VenueError, type MarketClock, type SymbolRules, type VenueAccount, type VenueApi, type VenueOrder, type VenueOrderRequest, type VenueOrderStatus,
} from './types.js';

export interface AlpacaVenueOptions {
  readonly mode: 'sandbox' | 'live';
  readonly baseUrl?: string;
  readonly timeoutMs: number;
  readonly now: () => number;
  /** Minimum ms between requests (0 or absent: the SDK's pacing, 200 requests a minute). */
  readonly rateLimitMs?: number;
}

type Json = Record<string, unknown>;
const num = (v: unknown): number => (v === undefined || v === null || v === '' ? 0 : Number(v));

export async function openAlpacaVenue(keys: VenueKeys, o: AlpacaVenueOptions): Promise<VenueApi> {
  const basePath = o.baseUrl ?? (o.mode === 'live' ? sdk.trading.TRADING_LIVE_HOST : sdk.trading.TRADING_PAPER_HOST);
  const config = new sdk.trading.Configuration({
    basePath, keyId: keys.key, secret: keys.secret, paper: o.mode !== 'live', timeoutMs: o.timeoutMs,
    rateLimit: o.rateLimitMs !== undefined && o.rateLimitMs > 0 ? { maxRequests: 1, intervalMs: o.rateLimitMs } : { maxRequests: 200, intervalMs: 60_000 },
  });
  return new AlpacaVenue(config, o);
}

class AlpacaVenue implements VenueApi {
  readonly venue = 'alpaca' as const;
  private readonly orders: sdk.trading.OrdersApi;
  private readonly positionsApi: sdk.trading.PositionsApi;
  private readonly accounts: sdk.trading.AccountsApi;
  private readonly clockApi: sdk.trading.ClockApi;
  private readonly assets: sdk.trading.AssetsApi;

  constructor(config: sdk.trading.Configuration, private readonly o: AlpacaVenueOptions) {
    this.orders = new sdk.trading.OrdersApi(config);
    this.positionsApi = new sdk.trading.PositionsApi(config);
    this.accounts = new sdk.trading.AccountsApi(config);
    this.clockApi = new sdk.trading.ClockApi(config);
    this.assets = new sdk.trading.AssetsApi(config);
  }

  async loadRules(symbols: readonly string[]): Promise<Map<string, SymbolRules>> {
    const out = new Map<string, SymbolRules>();
    for (const symbol of symbols) {
      let a: Json;
      try {
        a = (await this.guard(() => this.assets.getV2AssetsSymbolOrAssetId({ symbolOrAssetId: symbol }))) as unknown as Json;
      } catch (err) {
        if (err instanceof VenueError && err.kind === 'not-found') throw new VenueError('rejected', `alpaca does not list '${symbol}'`);
        throw err;
      }
      if (a['tradable'] === false) throw new VenueError('rejected', `alpaca lists '${symbol}' but it is not tradable`);
      const crypto = a['_class'] === 'crypto' || a['class'] === 'crypto' || String(a['assetClass'] ?? '') === 'crypto';
      const fractionable = a['fractionable'] === true;
      out.set(symbol, {
        symbol, assetClass: crypto ? 'crypto_spot' : 'equity',
        qtyStep: crypto ? num(a['minTradeIncrement'] ?? a['min_trade_increment']) || 1e-9 : fractionable ? 1e-9 : 1,
        minQty: crypto ? num(a['minOrderSize'] ?? a['min_order_size']) : 0,
        minNotional: fractionable || crypto ? 1 : 0,
        priceStep: crypto ? num(a['priceIncrement'] ?? a['price_increment']) : 0.01,
        shortable: !crypto && a['shortable'] === true, sessionHours: !crypto,
        // Alpaca takes stop and stop_limit orders for equities, and only stop_limit for crypto
        stops: crypto ? { stop: false, stopLimit: true, refusal: 'Alpaca crypto takes stop_limit orders only' } : { stop: true, stopLimit: true },
      });
    }
    return out;
  }

  /** The trading API has no quotes; the paper loop passes bar closes through VenueBroker.mark. */
  async prices(): Promise<Map<string, number>> {
    return new Map();
  }

  async submit(r: VenueOrderRequest): Promise<VenueOrder> {
    let order: unknown;
    try {
      order = await this.guard(() =>
        this.orders.postOrder({
          postOrderRequest: {
            symbol: r.symbol, qty: String(Math.abs(r.qty)), side: r.qty > 0 ? 'buy' : 'sell', timeInForce: 'day', clientOrderId: r.clientOrderId,
            ...orderTypeFields(r),
          } as never,
        }),
      );
    } catch (err) {
      // Alpaca refuses a client order id it has seen with 422 "client_order_id must be unique": the
      // order exists (sent before a crash or a lost answer), and the broker looks it up and adopts
      // it instead of giving it up (venue-broker.ts send)
      if (err instanceof VenueError && err.kind === 'rejected' && /client_order_id must be unique/i.test(err.message)) {
        throw new VenueError('rejected', `duplicate client order id (${err.message})`, undefined, err.status);
      }
      throw err;
    }
    return this.fromOrder(r.symbol, order as Json);
  }

  async find(symbol: string, clientOrderId: string): Promise<VenueOrder | undefined> {
    try {
      const order = await this.guard(() => this.orders.getOrderByClientOrderId({ clientOrderId }));
      return this.fromOrder(symbol, order as unknown as Json);
    } catch (err) {
      if (err instanceof VenueError && err.kind === 'not-found') return undefined;
      throw err;
    }
  }

  async cancel(symbol: string, clientOrderId: string, venueId: string | undefined): Promise<VenueOrder | undefined> {
    const id = venueId ?? (await this.find(symbol, clientOrderId))?.venueId;
    if (id === undefined) return undefined;
    try {
      await this.guard(() => this.orders.deleteOrderByOrderID({ orderId: id }));
    } catch (err) {
      // 422: no longer cancelable (filled meanwhile) — the look-up says how it ended
      if (!(err instanceof VenueError && (err.kind === 'rejected' || err.kind === 'not-found'))) throw err;
    }
    return this.find(symbol, clientOrderId);
  }

  async openOrders(symbols: readonly string[]): Promise<VenueOrder[]> {
    const list = (await this.guard(() => this.orders.getAllOrders({ status: 'open', symbols: symbols.join(',') } as never))) as unknown as Json[];
    return list.filter((o) => symbols.includes(String(o['symbol']))).map((o) => this.fromOrder(String(o['symbol']), o));
  }

  async account(symbols: readonly string[]): Promise<VenueAccount> {
    const account = (await this.guard(() => this.accounts.getAccount())) as unknown as Json;
    const list = (await this.guard(() => this.positionsApi.getAllOpenPositions())) as unknown as Json[];
    const positions = new Map<string, number>();
    for (const s of symbols) positions.set(s, 0);
    for (const p of list) {
      const s = String(p['symbol']);
      if (positions.has(s)) positions.set(s, (p['side'] === 'short' ? -1 : 1) * Math.abs(num(p['qty'])));
    }
    return { cash: num(account['cash']), positions };
  }

  async clock(): Promise<MarketClock> {
    const c = (await this.guard(() => this.clockApi.legacyClock())) as unknown as Json;
    const t = (v: unknown): number => (v instanceof Date ? v.getTime() : Date.parse(String(v)));
    return { isOpen: c['isOpen'] === true || c['is_open'] === true, nextOpen: t(c['nextOpen'] ?? c['next_open']), nextClose: t(c['nextClose'] ?? c['next_close']) };
  }

  async close(): Promise<void> {}

  private fromOrder(symbol: string, o: Json): VenueOrder {
    const qty = num(o['qty']);
    const filled = num(o['filledQty'] ?? o['filled_qty']);
    const avg = num(o['filledAvgPrice'] ?? o['filled_avg_price']);
    return {
      venueId: String(o['id']), clientOrderId: String(o['clientOrderId'] ?? o['client_order_id'] ?? ''), symbol,
      qty: o['side'] === 'sell' ? -qty : qty, filled, cost: filled * avg, fee: 0, status: statusOf(String(o['status'])),
    };
  }

  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw this.classify(err);
    }
  }

  private classify(err: unknown): VenueError {
    if (err instanceof VenueError) return err;
    if (err instanceof sdk.ApiError) {
      const msg = `HTTP ${err.status}${err.code !== undefined ? ` code ${err.code}` : ''}: ${err.message}`;
      if (err.status === 429) return new VenueError('rate-limit', msg, err.retryAfterMs, 429);
      if (err.status >= 500) return new VenueError('server', msg, undefined, err.status);
      if (err.status === 404) return new VenueError('not-found', msg, undefined, 404);
      if (err.status === 401 || err.status === 403 && /auth|key/i.test(err.message)) return new VenueError('auth', msg, undefined, err.status);
      return new VenueError('rejected', msg, undefined, err.status);
    }
    const name = (err as Error)?.name ?? '';
    const message = (err as Error)?.message ?? String(err);
    if (/timeout|abort/i.test(name) || /timed? ?out|aborted/i.test(message)) return new VenueError('timeout', `request timed out (${message})`);
    return new VenueError('network', `connection failed (${message})`);
  }
}

/** Alpaca's type, stop_price and limit_price for our order: market, limit, stop, or stop_limit (a stop with a limit price). */
function orderTypeFields(r: VenueOrderRequest): Json {
  if (r.type === 'limit') return { type: 'limit', limitPrice: String(r.price) };
  if (r.type === 'stop' && r.limitPrice !== undefined) return { type: 'stop_limit', stopPrice: String(r.price), limitPrice: String(r.limitPrice) };
  if (r.type === 'stop') return { type: 'stop', stopPrice: String(r.price) };
  return { type: 'market' };
}

/** Alpaca order statuses (docs.alpaca.markets "Order Lifecycle") → ours. */
function statusOf(s: string): VenueOrderStatus {
  if (s === 'filled') return 'filled';
  if (s === 'canceled' || s === 'done_for_day' || s === 'replaced') return 'cancelled';
  if (s === 'expired') return 'expired';
  if (s === 'rejected' || s === 'suspended') return 'rejected';
  return 'open';
}
