/**
 * Binance spot, Binance USDⓈ-M perpetuals and Kraken spot through ccxt (docs/brokers.md): ccxt signs
 * the requests, paces them (`enableRateLimit`, `rateLimit`) and maps the venues' error codes to its
 * error classes, which `classify` turns into VenueError kinds.
 *
 * Modes: 'sandbox' is Binance's spot testnet (ccxt setSandboxMode) or its USDⓈ-M demo trading
 * (ccxt enableDemoTrading; the futures testnet is retired); Kraken spot has no sandbox, so Kraken
 * needs 'live' or a `baseUrl` (a local fixture or a proxy). A `baseUrl` rebases every API URL.
 *
 * Where ccxt's unified methods need more than the venue answers with (Kraken looks orders up by
 * txid only, the futures account's wallet and entry prices), the implicit endpoint methods are
 * called instead — still ccxt's signing, pacing and error mapping.
 */
import type { Exchange, MarketInterface as Market, Order, Trade } from 'ccxt';
import { rebaseApiUrls, loadCcxt } from '../../data/network/ccxt-exchange.js';
import { resolveMarket } from '../../data/network/ccxt-markets.js';
import { parseRetryAfter } from '../../data/network/retry.js';
import type { VenueKeys } from './keys.js';
import {
  VenueError, type StopSupport, type SymbolRules, type VenueAccount, type VenueApi, type VenueOrder, type VenueOrderRequest, type VenueOrderStatus,
} from './types.js';

/**
 * createOrder's type, price and params for a request: a stop is a market (or, with a limit price,
 * limit) order carrying its trigger under `triggerKey` — ccxt's stopLossPrice for Binance spot and
 * Kraken, triggerPrice for Kraken Futures ('stp').
 */
export function ccxtOrderArgs(r: VenueOrderRequest, triggerKey: 'stopLossPrice' | 'triggerPrice'): [string, number | undefined, Record<string, unknown>] {
  if (r.type === 'stop') return [r.limitPrice === undefined ? 'market' : 'limit', r.limitPrice, { clientOrderId: r.clientOrderId, [triggerKey]: r.price }];
  return [r.type, r.type === 'market' ? undefined : r.price, { clientOrderId: r.clientOrderId }];
}

export type CcxtVenueName = 'binance' | 'binanceusdm' | 'kraken';

export interface CcxtVenueOptions {
  readonly mode: 'sandbox' | 'live';
  readonly baseUrl?: string;
  readonly timeoutMs: number;
  /** ccxt's pacing: at least this many ms between requests (0: ccxt's default for the venue). */
  readonly rateLimitMs: number;
  readonly now: () => number;
}

type Json = Record<string, unknown>;

/**
 * Venue-side stops per venue. Binance USDⓈ-M takes stops only as "algo" (conditional) orders since
 * its December 2025 change: a second book (`/fapi/v1/algoOrder`, ids `algoId` / `clientAlgoId`),
 * which ccxt reaches with `triggerPrice` (createOrder → STOP_MARKET or STOP, algoType CONDITIONAL;
 * fetchOrder / cancelOrder with `trigger: true`). Once triggered, the algo order names the regular
 * order it became (`actualOrderId`), whose executed quantity, cost and trades give the fills.
 */
const STOPS: Readonly<Record<CcxtVenueName, StopSupport>> = {
  binance: { stop: true, stopLimit: true },
  kraken: { stop: true, stopLimit: true },
  binanceusdm: { stop: true, stopLimit: true },
};
/** ccxt's precisionMode for steps given as tick sizes (its DECIMAL_PLACES mode gives digit counts). */
const TICK_SIZE = 4;
const num = (v: unknown): number => (v === undefined || v === null || v === '' ? 0 : Number(v));

export async function openCcxtVenue(name: CcxtVenueName, keys: VenueKeys, o: CcxtVenueOptions): Promise<VenueApi> {
  const ccxt = await loadCcxt();
  const Cls = ccxt[name] as unknown as new (cfg: Json) => Exchange;
  const options: Json = name === 'binance' ? { fetchMarkets: { types: ['spot'] }, fetchCurrencies: false, fetchMargins: false } : { fetchCurrencies: false };
  const exchange = new Cls({
    apiKey: keys.key, secret: keys.secret, enableRateLimit: true, timeout: o.timeoutMs, options,
    ...(o.rateLimitMs > 0 ? { rateLimit: o.rateLimitMs } : {}),
  });
  if (o.baseUrl) {
    exchange.urls['api'] = rebaseApiUrls(exchange.urls['api'], o.baseUrl) as never;
  } else if (o.mode === 'sandbox') {
    if (name === 'binance') exchange.setSandboxMode(true);
    else if (name === 'binanceusdm') (exchange as unknown as { enableDemoTrading(on: boolean): void }).enableDemoTrading(true);
    else throw new VenueError('auth', 'kraken has no spot sandbox: trade it with mode live (after confirmation) or point baseUrl at a test server');
  }
  return new CcxtVenue(name, exchange, ccxt, o);
}

class CcxtVenue implements VenueApi {
  /** Our symbol → ccxt market. */
  private readonly markets = new Map<string, Market>();
  /** Fee of an order as of its filled quantity (Binance reports fees only with the trades). */
  private readonly fees = new Map<string, { filled: number; fee: number }>();
  /** USDⓈ-M: client ids sent as algo (conditional) orders. */
  private readonly algo = new Set<string>();

  constructor(
    readonly venue: CcxtVenueName,
    private readonly exchange: Exchange,
    private readonly ccxt: typeof import('ccxt'),
    private readonly o: CcxtVenueOptions,
  ) {}

  private market(symbol: string): Market {
    const m = this.markets.get(symbol);
    if (!m) throw new VenueError('rejected', `unknown symbol ${symbol}`);
    return m;
  }

  async loadRules(symbols: readonly string[]): Promise<Map<string, SymbolRules>> {
    const markets = await this.guard(() => this.exchange.loadMarkets());
    const out = new Map<string, SymbolRules>();
    for (const symbol of symbols) {
      let unified: string;
      try {
        unified = resolveMarket(this.venue, markets, symbol).id;
      } catch (err) {
        throw new VenueError('rejected', (err as Error).message);
      }
      const m = markets[unified]!;
      this.markets.set(symbol, m);
      const step = (p: number | undefined): number => (p === undefined ? 0 : this.exchange.precisionMode === TICK_SIZE ? p : 10 ** -p);
      out.set(symbol, {
        symbol, assetClass: this.venue === 'binanceusdm' ? 'crypto_perp' : 'crypto_spot',
        qtyStep: step(m.precision.amount), minQty: m.limits.amount?.min ?? 0, minNotional: m.limits.cost?.min ?? 0,
        priceStep: step(m.precision.price), shortable: this.venue === 'binanceusdm', sessionHours: false, stops: STOPS[this.venue],
      });
    }
    return out;
  }

  async prices(symbols: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (this.venue === 'kraken') {
      const ids = symbols.map((s) => this.market(s).id).join(',');
      const r = (await this.guard(() => this.implicit('publicGetTicker')({ pair: ids }))) as Json;
      const result = (r['result'] ?? {}) as Record<string, { c?: string[] }>;
      for (const s of symbols) {
        const t = result[String(this.market(s).id)];
        if (t?.c?.[0]) out.set(s, Number(t.c[0]));
      }
      return out;
    }
    const unified = symbols.map((s) => this.market(s).symbol);
    const last = await this.guard(() => this.exchange.fetchLastPrices(unified));
    for (const s of symbols) {
      const p = last[this.market(s).symbol]?.price;
      if (p !== undefined && p > 0) out.set(s, p);
    }
    return out;
  }

  async submit(r: VenueOrderRequest): Promise<VenueOrder> {
    const m = this.market(r.symbol);
    const side = r.qty > 0 ? 'buy' : 'sell';
    // a stop goes out through ccxt's stopLossPrice: Binance spot STOP_LOSS / STOP_LOSS_LIMIT, Kraken
    // stop-loss / stop-loss-limit (price = trigger, price2 = limit); USDⓈ-M through triggerPrice as an
    // algo order (STOP_MARKET / STOP); the venue picks the trigger side from the order's side
    const algo = this.venue === 'binanceusdm' && r.type === 'stop';
    if (algo) this.algo.add(r.clientOrderId);
    const [type, price, params] = ccxtOrderArgs(r, algo ? 'triggerPrice' : 'stopLossPrice');
    const order = await this.guard(() => this.exchange.createOrder(m.symbol, type, side, Math.abs(r.qty), price, params));
    if (this.venue === 'kraken') {
      // AddOrder answers with the txid only; the order's state comes from the next look-up
      return { venueId: String(order.id), clientOrderId: r.clientOrderId, symbol: r.symbol, qty: r.qty, filled: 0, cost: 0, fee: 0, status: 'open' };
    }
    return this.fromUnified(r.symbol, order, r.clientOrderId);
  }

  async find(symbol: string, clientOrderId: string): Promise<VenueOrder | undefined> {
    if (this.venue === 'kraken') return this.findKraken(symbol, clientOrderId);
    if (this.algo.has(clientOrderId)) return this.findAlgo(symbol, clientOrderId);
    const m = this.market(symbol);
    try {
      const order = await this.guard(() => this.exchange.fetchOrder(undefined as unknown as string, m.symbol, { origClientOrderId: clientOrderId }));
      return await this.fromUnified(symbol, order, clientOrderId);
    } catch (err) {
      if (!(err instanceof VenueError && err.kind === 'not-found')) throw err;
      // USDⓈ-M: a stop sent by an earlier run is in the algo book
      return this.venue === 'binanceusdm' ? this.findAlgo(symbol, clientOrderId) : undefined;
    }
  }

  /**
   * A USDⓈ-M algo order by client id (GET /fapi/v1/algoOrder): not triggered yet, it is open with
   * nothing filled; triggered, its fills are those of the regular order it became (`actualOrderId`).
   */
  private async findAlgo(symbol: string, clientOrderId: string): Promise<VenueOrder | undefined> {
    const m = this.market(symbol);
    let algo: Order;
    try {
      algo = await this.guard(() => this.exchange.fetchOrder(undefined as unknown as string, m.symbol, { clientAlgoId: clientOrderId, trigger: true }));
    } catch (err) {
      if (err instanceof VenueError && err.kind === 'not-found') return undefined;
      throw err;
    }
    this.algo.add(clientOrderId);
    const actual = String((algo.info as Json)['actualOrderId'] ?? '');
    if (actual === '' || actual === '0') return { ...(await this.fromUnified(symbol, algo, clientOrderId)), filled: 0, cost: 0, fee: 0, ...(algo.status === 'closed' ? { status: 'open' as const } : {}) };
    const child = await this.guard(() => this.exchange.fetchOrder(actual, m.symbol));
    return { ...(await this.fromUnified(symbol, child, clientOrderId)), clientOrderId };
  }

  async cancel(symbol: string, clientOrderId: string, _venueId: string | undefined): Promise<VenueOrder | undefined> {
    const m = this.market(symbol);
    try {
      if (this.venue === 'kraken') await this.guard(() => this.implicit('privatePostCancelOrder')({ cl_ord_id: clientOrderId }));
      else if (this.algo.has(clientOrderId)) await this.guard(() => this.exchange.cancelOrder(undefined as unknown as string, m.symbol, { clientAlgoId: clientOrderId, trigger: true }));
      else await this.guard(() => this.exchange.cancelOrder(undefined as unknown as string, m.symbol, { origClientOrderId: clientOrderId }));
    } catch (err) {
      // already filled or closed: the look-up below says how it ended
      if (!(err instanceof VenueError && (err.kind === 'not-found' || err.kind === 'rejected'))) throw err;
    }
    return this.find(symbol, clientOrderId);
  }

  async openOrders(symbols: readonly string[]): Promise<VenueOrder[]> {
    const out: VenueOrder[] = [];
    if (this.venue === 'kraken') {
      const r = (await this.guard(() => this.implicit('privatePostOpenOrders')({}))) as Json;
      const open = ((r['result'] as Json | undefined)?.['open'] ?? {}) as Record<string, Json>;
      for (const [txid, raw] of Object.entries(open)) {
        const symbol = symbols.find((s) => this.krakenPairMatches(s, raw));
        if (symbol) out.push(this.fromKraken(symbol, txid, raw));
      }
      return out;
    }
    for (const symbol of symbols) {
      const orders = await this.guard(() => this.exchange.fetchOpenOrders(this.market(symbol).symbol));
      for (const o of orders) out.push(await this.fromUnified(symbol, o, String(o.clientOrderId ?? '')));
    }
    return out;
  }

  async account(symbols: readonly string[]): Promise<VenueAccount> {
    const positions = new Map<string, number>();
    if (this.venue === 'binanceusdm') {
      const a = (await this.guard(() => this.implicit('fapiPrivateV2GetAccount')({}))) as Json;
      let cash = num(a['totalWalletBalance']);
      for (const p of (a['positions'] ?? []) as Json[]) {
        const symbol = symbols.find((s) => this.market(s).id === p['symbol']);
        const qty = num(p['positionAmt']);
        cash -= qty * num(p['entryPrice']);
        if (symbol) positions.set(symbol, qty);
      }
      return { cash, positions };
    }
    if (this.venue === 'kraken') {
      const r = (await this.guard(() => this.implicit('privatePostBalance')({}))) as Json;
      const bal = (r['result'] ?? {}) as Record<string, string>;
      const quoteId = (m: Market): string => String((m.info as Json)['quote']);
      for (const s of symbols) positions.set(s, num(bal[String((this.market(s).info as Json)['base'])]));
      return { cash: num(bal[quoteId(this.market(symbols[0]!))]), positions };
    }
    const bal = await this.guard(() => this.exchange.fetchBalance());
    const total = (c: string): number => num((bal[c] as { total?: number } | undefined)?.total);
    for (const s of symbols) positions.set(s, total(this.market(s).base));
    return { cash: total(this.market(symbols[0]!).quote), positions };
  }

  async close(): Promise<void> {
    await this.exchange.close?.();
  }

  // ---------------------------------------------------------------- mapping
  private async fromUnified(symbol: string, o: Order, clientOrderId: string): Promise<VenueOrder> {
    const amount = num(o.amount);
    const filled = num(o.filled);
    const id = String(o.id);
    let fee = 0;
    if (filled > 0) {
      const cached = this.fees.get(id);
      if (cached && cached.filled === filled) fee = cached.fee;
      else {
        fee = await this.orderFees(symbol, id);
        this.fees.set(id, { filled, fee });
      }
    }
    return {
      venueId: id, clientOrderId: o.clientOrderId ? String(o.clientOrderId) : clientOrderId, symbol,
      qty: o.side === 'sell' ? -amount : amount, filled, cost: num(o.cost), fee, status: statusOf(String(o.status)),
    };
  }

  /** Σ fees of an order's trades in quote currency (a base-currency fee at its trade price). */
  private async orderFees(symbol: string, orderId: string): Promise<number> {
    const m = this.market(symbol);
    const trades: Trade[] = await this.guard(() => this.exchange.fetchMyTrades(m.symbol, undefined, undefined, { orderId }));
    let fee = 0;
    for (const t of trades) {
      const f = t.fee;
      if (!f || f.cost === undefined) continue;
      if (f.currency === m.quote || f.currency === undefined) fee += num(f.cost);
      else if (f.currency === m.base) fee += num(f.cost) * num(t.price);
    }
    return fee;
  }

  private async findKraken(symbol: string, clientOrderId: string): Promise<VenueOrder | undefined> {
    for (const [method, key] of [['privatePostOpenOrders', 'open'], ['privatePostClosedOrders', 'closed']] as const) {
      const r = (await this.guard(() => this.implicit(method)({ cl_ord_id: clientOrderId }))) as Json;
      const found = ((r['result'] as Json | undefined)?.[key] ?? {}) as Record<string, Json>;
      for (const [txid, raw] of Object.entries(found)) if (raw['cl_ord_id'] === clientOrderId) return this.fromKraken(symbol, txid, raw);
    }
    return undefined;
  }

  private fromKraken(symbol: string, txid: string, raw: Json): VenueOrder {
    const descr = (raw['descr'] ?? {}) as Json;
    const vol = num(raw['vol']);
    const status = String(raw['status']);
    return {
      venueId: txid, clientOrderId: String(raw['cl_ord_id'] ?? ''), symbol, qty: descr['type'] === 'sell' ? -vol : vol,
      filled: num(raw['vol_exec']), cost: num(raw['cost']), fee: num(raw['fee']),
      status: status === 'closed' ? 'filled' : status === 'canceled' ? 'cancelled' : status === 'expired' ? 'expired' : 'open',
    };
  }

  private krakenPairMatches(symbol: string, raw: Json): boolean {
    const pair = String(((raw['descr'] ?? {}) as Json)['pair'] ?? '');
    const m = this.market(symbol);
    return pair === m.id || pair === String((m.info as Json)['altname']);
  }

  private implicit(method: string): (params: Json) => Promise<unknown> {
    const fn = (this.exchange as unknown as Record<string, (p: Json) => Promise<unknown>>)[method];
    if (!fn) throw new VenueError('rejected', `ccxt ${this.venue} has no endpoint method ${method}`);
    return fn.bind(this.exchange);
  }

  // ---------------------------------------------------------------- errors
  /** Run a ccxt call; its failure becomes a VenueError of one kind. */
  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw this.classify(err);
    }
  }

  private classify(err: unknown): VenueError {
    return classifyCcxtError(err, this.ccxt, this.exchange, this.o.now());
  }
}

/** A ccxt failure as a VenueError of one kind (shared by the ccxt venues: this file and krakenfutures-venue.ts). */
export function classifyCcxtError(err: unknown, c: typeof import('ccxt'), exchange: Exchange, now: number): VenueError {
  if (err instanceof VenueError) return err;
  const message = shorten(err instanceof Error ? err.message : String(err));
  const headers = (exchange.last_response_headers ?? {}) as Record<string, string>;
  if (err instanceof c.RequestTimeout) return new VenueError('timeout', 'request timed out');
  if (err instanceof c.RateLimitExceeded || err instanceof c.DDoSProtection || /\b429\b|\b418\b/.test(message)) {
    const after = parseRetryAfter(headers['Retry-After'] ?? headers['retry-after'], now);
    return new VenueError('rate-limit', `rate limited (${message})`, after, 429);
  }
  if (err instanceof c.OrderNotFound) return new VenueError('not-found', message);
  // the broker looks a duplicate up instead of giving the order up (venue-broker.ts send)
  if (err instanceof c.DuplicateOrderId) return new VenueError('rejected', `duplicate client order id (${message})`);
  if (err instanceof c.AuthenticationError || err instanceof c.PermissionDenied || err instanceof c.AccountSuspended) return new VenueError('auth', message);
  if (err instanceof c.InvalidOrder || err instanceof c.InsufficientFunds || err instanceof c.BadRequest || err instanceof c.BadSymbol) {
    return new VenueError('rejected', message);
  }
  if (err instanceof c.ExchangeNotAvailable || err instanceof c.OnMaintenance || /\b5\d\d\b/.test(message)) {
    return new VenueError('server', message);
  }
  if (err instanceof c.NetworkError) return new VenueError('network', `connection failed (${message})`);
  if (err instanceof c.ExchangeError) return new VenueError('rejected', message);
  return new VenueError('server', message);
}

function statusOf(s: string): VenueOrderStatus {
  if (s === 'closed') return 'filled';
  if (s === 'canceled') return 'cancelled';
  if (s === 'expired') return 'expired';
  if (s === 'rejected') return 'rejected';
  return 'open';
}

/** ccxt messages repeat the exchange id, method and URL; keep the informative tail. */
export function shorten(message: string): string {
  const json = message.match(/\{.*\}\s*$/);
  const text = json ? json[0] : message;
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}
