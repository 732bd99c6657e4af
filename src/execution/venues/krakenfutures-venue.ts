/**
 * Kraken Futures linear perpetuals (PF_XBTUSD, PF_ETHUSD, …) through ccxt's `krakenfutures` class
 * (docs/brokers.md): ccxt signs the requests (APIKey / Authent headers), paces them and maps the
 * venue's errors. Orders go out through ccxt's createOrder (mkt, lmt, and stp with stopPrice and an
 * optional limitPrice for stops); everything else calls the implicit endpoint methods, because the
 * unified ones drop what the broker needs:
 *
 *   look-up   GET orders/status?cliOrdIds=…  — but Kraken reports an order there only while it is
 *             open or for 5 seconds after it filled or was cancelled; so the fills come from
 *             GET fills (each fill carries cliOrdId), and an order missing from orders/status that
 *             has fills is finished: filled when its fills add up to the quantity asked for, else
 *             cancelled after a partial fill.
 *   cancel    POST cancelorder with cliOrdId.
 *   account   GET accounts (the multi-collateral "flex" account: USD quantity is the wallet) and
 *             GET openpositions (size, side, average entry price).
 *
 * Fees: /fills carries none, so a fill's fee is its value × the venue's published tier-0 rate for
 * its fillType (maker or taker, ccxt's fee schedule for krakenfutures). An account on another tier
 * shows up as a cash difference at the next reconcile, which takes the venue's figure.
 * Cash in the engine's sense (execution/account.ts) is wallet − Σ position × entry price, as on
 * Binance USDⓈ-M.
 *
 * Only linear perpetuals are traded: inverse contracts (PI_) are sized in USD and settle in the
 * coin, dated futures (FF_) expire; both are refused at start with the symbols that would do.
 */
import type { Exchange, MarketInterface as Market } from 'ccxt';
import { loadCcxt, rebaseApiUrls } from '../../data/network/ccxt-exchange.js';
import { suggest } from '../../core/suggest.js';
import { ccxtOrderArgs, classifyCcxtError, type CcxtVenueOptions } from './ccxt-venue.js';
import type { VenueKeys } from './keys.js';
import { VenueError, type SymbolRules, type VenueAccount, type VenueApi, type VenueOrder, type VenueOrderRequest, type VenueOrderStatus } from './types.js';

type Json = Record<string, unknown>;
const num = (v: unknown): number => (v === undefined || v === null || v === '' ? 0 : Number(v));

export async function openKrakenFuturesVenue(keys: VenueKeys, o: CcxtVenueOptions): Promise<VenueApi> {
  const ccxt = await loadCcxt();
  const exchange = new ccxt.krakenfutures({
    apiKey: keys.key, secret: keys.secret, enableRateLimit: true, timeout: o.timeoutMs, ...(o.rateLimitMs > 0 ? { rateLimit: o.rateLimitMs } : {}),
  }) as unknown as Exchange;
  if (o.baseUrl) exchange.urls['api'] = rebaseApiUrls(exchange.urls['api'], o.baseUrl) as never;
  else if (o.mode === 'sandbox') exchange.setSandboxMode(true); // demo-futures.kraken.com
  return new KrakenFuturesVenue(exchange, ccxt, o);
}

/** The linear perpetual a typed name means: 'PF_XBTUSD', 'XBTUSD', 'BTCUSD' or ccxt's 'BTC/USD:USD'. */
export function resolvePerpetual(markets: Readonly<Record<string, Market | undefined>>, typed: string): Market {
  const want = typed.trim().toUpperCase();
  const perps = Object.values(markets).filter((m): m is Market => m !== undefined && m.swap === true && m.linear === true);
  const spellings = (m: Market): string[] => [String(m.id), String(m.symbol), String(m.id).replace(/^PF_/i, ''), `${m.base}${m.quote}`].map((s) => s.toUpperCase());
  const hit = perps.find((m) => spellings(m).includes(want));
  if (hit) return hit;
  const names = perps.map((m) => String(m.id)).sort();
  const hint = suggest(want, names);
  throw new VenueError('rejected', `krakenfutures does not list a linear perpetual '${typed}'${hint ? `; did you mean '${hint}'?` : ''} (${names.length} listed)`);
}

/** orders/status statuses (ccxt's parseOrderStatus list) → ours; anything else still works. */
function statusOf(s: string): VenueOrderStatus {
  if (s === 'FULLY_EXECUTED') return 'filled';
  if (s === 'CANCELLED') return 'cancelled';
  if (s === 'REJECTED') return 'rejected';
  return 'open';
}

class KrakenFuturesVenue implements VenueApi {
  readonly venue = 'krakenfutures' as const;
  private readonly markets = new Map<string, Market>();

  constructor(private readonly exchange: Exchange, private readonly ccxt: typeof import('ccxt'), private readonly o: CcxtVenueOptions) {}

  private market(symbol: string): Market {
    const m = this.markets.get(symbol);
    if (!m) throw new VenueError('rejected', `unknown symbol ${symbol}`);
    return m;
  }

  async loadRules(symbols: readonly string[]): Promise<Map<string, SymbolRules>> {
    const markets = await this.guard(() => this.exchange.loadMarkets());
    const out = new Map<string, SymbolRules>();
    for (const symbol of symbols) {
      const m = resolvePerpetual(markets, symbol);
      this.markets.set(symbol, m);
      // precisionMode is TICK_SIZE for krakenfutures: amount = 10^-contractValueTradePrecision, price = tickSize
      const qtyStep = m.precision.amount ?? 0;
      out.set(symbol, {
        symbol, assetClass: 'crypto_perp', qtyStep, minQty: m.limits.amount?.min ?? qtyStep, minNotional: 0,
        priceStep: m.precision.price ?? 0, shortable: true, sessionHours: false, stops: { stop: true, stopLimit: true },
      });
    }
    return out;
  }

  async prices(symbols: readonly string[]): Promise<Map<string, number>> {
    const r = (await this.guard(() => this.implicit('publicGetTickers')({}))) as Json;
    const out = new Map<string, number>();
    for (const t of (r['tickers'] ?? []) as Json[]) {
      const symbol = symbols.find((s) => String(this.market(s).id).toUpperCase() === String(t['symbol']).toUpperCase());
      const last = num(t['last'] ?? t['markPrice']);
      if (symbol && last > 0) out.set(symbol, last);
    }
    return out;
  }

  async submit(r: VenueOrderRequest): Promise<VenueOrder> {
    const m = this.market(r.symbol);
    const side = r.qty > 0 ? 'buy' : 'sell';
    // ccxt: triggerPrice makes orderType 'stp' with stopPrice; a price with it becomes the stop's limitPrice
    const [type, price, params] = ccxtOrderArgs(r, 'triggerPrice');
    const order = await this.guard(() => this.exchange.createOrder(m.symbol, type, side, Math.abs(r.qty), price, params));
    // sendorder answers with the order id and events; the state (and fills) come from the look-up that follows
    return { venueId: String(order.id), clientOrderId: r.clientOrderId, symbol: r.symbol, qty: r.qty, filled: 0, cost: 0, fee: 0, status: 'open' };
  }

  async find(symbol: string, clientOrderId: string, qty?: number): Promise<VenueOrder | undefined> {
    const status = (await this.guard(() => this.implicit('privateGetOrdersStatus')({ cliOrdIds: clientOrderId }))) as Json;
    const entry = ((status['orders'] ?? []) as Json[]).find((e) => ((e['order'] ?? {}) as Json)['cliOrdId'] === clientOrderId);
    const fills = await this.fillsOf(symbol, clientOrderId);
    if (!entry && fills.filled === 0) return undefined;
    const order = (entry?.['order'] ?? {}) as Json;
    const asked = qty ?? (entry ? (order['side'] === 'sell' ? -1 : 1) * num(order['quantity']) : fills.signed);
    let state: VenueOrderStatus;
    if (entry) state = statusOf(String(entry['status']));
    else {
      // gone from orders/status: finished; whether fully filled is told by the fills
      const step = this.market(symbol).precision.amount ?? 0;
      state = fills.filled >= Math.abs(asked) - step / 2 ? 'filled' : 'cancelled';
    }
    return {
      venueId: String(order['orderId'] ?? fills.orderId ?? ''), clientOrderId, symbol, qty: asked,
      filled: fills.filled, cost: fills.cost, fee: fills.fee, status: state,
    };
  }

  /** Σ size, Σ size × price and the fee of the order's fills (newest 100 fills of the account). */
  private async fillsOf(symbol: string, clientOrderId: string): Promise<{ filled: number; signed: number; cost: number; fee: number; orderId?: string }> {
    const m = this.market(symbol);
    const r = (await this.guard(() => this.implicit('privateGetFills')({}))) as Json;
    let filled = 0;
    let cost = 0;
    let fee = 0;
    let sign = 1;
    let orderId: string | undefined;
    for (const f of (r['fills'] ?? []) as Json[]) {
      if (f['cliOrdId'] !== clientOrderId) continue;
      const size = num(f['size']);
      const value = size * num(f['price']);
      filled += size;
      cost += value;
      fee += value * (f['fillType'] === 'maker' ? num(m.maker) : num(m.taker));
      sign = f['side'] === 'sell' ? -1 : 1;
      orderId = String(f['order_id']);
    }
    return { filled, signed: sign * filled, cost, fee, ...(orderId ? { orderId } : {}) };
  }

  async cancel(symbol: string, clientOrderId: string, _venueId: string | undefined): Promise<VenueOrder | undefined> {
    // cancelStatus.status: cancelled, or notFound / filled (already closed); the look-up says how it ended
    await this.guard(() => this.implicit('privatePostCancelorder')({ cliOrdId: clientOrderId }));
    return this.find(symbol, clientOrderId);
  }

  async openOrders(symbols: readonly string[]): Promise<VenueOrder[]> {
    const r = (await this.guard(() => this.implicit('privateGetOpenorders')({}))) as Json;
    const out: VenueOrder[] = [];
    for (const o of (r['openOrders'] ?? []) as Json[]) {
      const symbol = symbols.find((s) => String(this.market(s).id).toUpperCase() === String(o['symbol']).toUpperCase());
      if (!symbol) continue;
      const size = num(o['filledSize']) + num(o['unfilledSize']);
      // open orders are only compared by client id (foreign orders at start); fills are booked through find
      out.push({
        venueId: String(o['order_id']), clientOrderId: String(o['cliOrdId'] ?? ''), symbol, qty: o['side'] === 'sell' ? -size : size,
        filled: num(o['filledSize']), cost: 0, fee: 0, status: 'open',
      });
    }
    return out;
  }

  async account(symbols: readonly string[]): Promise<VenueAccount> {
    const a = (await this.guard(() => this.implicit('privateGetAccounts')({}))) as Json;
    const flex = ((a['accounts'] ?? {}) as Json)['flex'] as Json | undefined;
    if (!flex) throw new VenueError('rejected', 'krakenfutures: the account has no multi-collateral (flex) wallet, which linear perpetuals trade from');
    const usd = ((flex['currencies'] ?? {}) as Record<string, Json>)['USD'];
    let cash = num(usd?.['quantity']);
    const p = (await this.guard(() => this.implicit('privateGetOpenpositions')({}))) as Json;
    const positions = new Map<string, number>(symbols.map((s) => [s, 0]));
    for (const pos of (p['openPositions'] ?? []) as Json[]) {
      const qty = (pos['side'] === 'short' ? -1 : 1) * num(pos['size']);
      cash -= qty * num(pos['price']);
      const symbol = symbols.find((s) => String(this.market(s).id).toUpperCase() === String(pos['symbol']).toUpperCase());
      if (symbol) positions.set(symbol, qty);
    }
    return { cash, positions };
  }

  async close(): Promise<void> {
    await this.exchange.close?.();
  }

  private implicit(method: string): (params: Json) => Promise<unknown> {
    const fn = (this.exchange as unknown as Record<string, (p: Json) => Promise<unknown>>)[method];
    if (!fn) throw new VenueError('rejected', `ccxt krakenfutures has no endpoint method ${method}`);
    return fn.bind(this.exchange);
  }

  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw classifyCcxtError(err, this.ccxt, this.exchange, this.o.now());
    }
  }
}
