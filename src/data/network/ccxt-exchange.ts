/**
 * A ccxt exchange set up for downloading: imported lazily (ccxt is ~60 MB and the shell must start
 * fast), its `urls.api` entries rebased onto `base_url` when one is configured (a proxy or a
 * 127.0.0.1 fixture — the way STACK.md verified ccxt runs against a fixture), ccxt's own rate
 * limiter on, and every HTTP answer's status recorded so failures can be classified: ccxt maps
 * several 4xx codes to ExchangeNotAvailable (a NetworkError), so the class alone cannot tell a
 * transient failure from a permanent one.
 */
import type { Exchange } from 'ccxt';
import { UserError } from '../../core/errors.js';
import type { NetworkConfig } from '../../config/sections/network.js';
import { rebase } from './http.js';
import { TransientError } from './retry.js';
import type { FetchStats } from './types.js';

export type CcxtId = 'binance' | 'binanceusdm' | 'kraken';

type CcxtModule = typeof import('ccxt');

let ccxtModule: Promise<CcxtModule> | undefined;

/** The ccxt module, imported on first use only. */
export function loadCcxt(): Promise<CcxtModule> {
  ccxtModule ??= import('ccxt');
  return ccxtModule;
}

/** Live handle on one exchange plus the facts we need to classify its failures. */
export interface CcxtHandle {
  readonly id: CcxtId;
  readonly exchange: Exchange;
  readonly ccxt: CcxtModule;
  /** HTTP status of the last answer (undefined before any, or after a connection failure). */
  lastStatus(): number | undefined;
}

/** Rewrite every URL string in `api` (nested objects too) onto `base`. */
export function rebaseApiUrls(api: unknown, base: string): unknown {
  if (typeof api === 'string') return /^https?:\/\//.test(api) ? rebase(api, base) : api;
  if (api && typeof api === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(api as Record<string, unknown>)) out[k] = rebaseApiUrls(v, base);
    return out;
  }
  return api;
}

export async function openCcxt(id: CcxtId, config: NetworkConfig, stats: FetchStats): Promise<CcxtHandle> {
  const ccxt = await loadCcxt();
  const section = config[id];
  const options: Record<string, unknown> =
    id === 'binance'
      ? // Spot only: by default ccxt's binance also loads the futures and delivery exchange-info.
        { fetchMarkets: { types: ['spot'] }, fetchCurrencies: false, fetchMargins: false }
      : {};
  const Cls = ccxt[id] as unknown as new (cfg: Record<string, unknown>) => Exchange;
  const exchange = new Cls({
    enableRateLimit: section.rate_limit_ms > 0,
    rateLimit: Math.max(1, section.rate_limit_ms),
    timeout: config.timeout_ms,
    options,
  });
  if (section.base_url) exchange.urls['api'] = rebaseApiUrls(exchange.urls['api'], section.base_url) as never;

  let status: number | undefined;
  const rawFetch = exchange.fetch.bind(exchange);
  exchange.fetch = async (url: unknown, method?: string, headers?: unknown, body?: unknown) => {
    stats.requests++;
    status = undefined;
    return rawFetch(url, method, headers, body);
  };
  const rawOnResponse = exchange.onRestResponse.bind(exchange);
  exchange.onRestResponse = (code: unknown, ...rest: unknown[]) => {
    status = Number(code);
    return (rawOnResponse as (...a: unknown[]) => unknown)(code, ...rest);
  };
  return { id, exchange, ccxt, lastStatus: () => status };
}

/**
 * Sort a ccxt failure into: retry (rate limit, 5xx, timeout, connection) → TransientError;
 * unknown symbol / refused request → UserError naming the exchange, symbol and the exchange's words.
 */
export function classifyCcxtError(h: CcxtHandle, err: unknown, symbol: string): TransientError | UserError | undefined {
  const c = h.ccxt;
  if (!(err instanceof c.BaseError)) return undefined;
  const status = h.lastStatus();
  const message = shorten(err.message);
  // ccxt maps Binance's -1121 to BadSymbol but Kraken's "EQuery:Unknown asset pair" to ExchangeError.
  if (err instanceof c.BadSymbol || /Unknown asset pair|Invalid symbol/i.test(err.message)) {
    return new UserError(`${h.id} does not list '${symbol}' (${message})`, `symbol ${symbol}`);
  }
  if (status === 429 || status === 418 || err instanceof c.RateLimitExceeded || err instanceof c.DDoSProtection) {
    const header = h.exchange.last_response_headers?.['Retry-After'];
    const wait = header !== undefined && /^\d+(\.\d+)?$/.test(String(header).trim()) ? Math.round(Number(header) * 1000) : undefined;
    return new TransientError(`rate limited${status ? ` (HTTP ${status})` : ''}`, 'rate-limit', status, wait);
  }
  if (status !== undefined && status >= 500) return new TransientError(`HTTP ${status}`, 'server', status);
  if (err instanceof c.RequestTimeout) return new TransientError('request timed out', 'network');
  if (err instanceof c.NetworkError && status === undefined) return new TransientError('connection failed', 'network');
  if (err instanceof c.AuthenticationError) {
    return new UserError(`${h.id} refused the credentials (${message})`, 'network');
  }
  return new UserError(`${h.id} refused the request for ${symbol}${status ? ` (HTTP ${status})` : ''}: ${message}`, `symbol ${symbol}`);
}

/** ccxt messages repeat the exchange id, method and whole URL; keep the informative tail short. */
function shorten(message: string): string {
  const json = message.match(/\{.*\}\s*$/);
  const text = json ? json[0] : message;
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}
