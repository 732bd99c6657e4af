/**
 * Venue brokers for paper and live trading (docs/brokers.md): `createVenueBroker('binance' |
 * 'binanceusdm' | 'kraken' | 'krakenfutures' | 'alpaca', options)` opens the venue, loads its rules, reconciles
 * positions and open orders, and returns a Broker whose I/O runs in `await broker.sync()`.
 */
import { UserError } from '../../core/errors.js';
import { redact } from '../../core/redact.js';
import { openAlpacaVenue } from './alpaca-venue.js';
import { openCcxtVenue } from './ccxt-venue.js';
import { openKrakenFuturesVenue } from './krakenfutures-venue.js';
import { readVenueKeys } from './keys.js';
import { VENUE_NAMES, VenueError, type VenueApi, type VenueName } from './types.js';
import { DEFAULT_RETRY, VenueBroker, type RetryPolicy } from './venue-broker.js';

export { VenueBroker, DEFAULT_RETRY, type RetryPolicy } from './venue-broker.js';
export { venueClientOrderId } from './client-id.js';
export { KEY_ENV } from './keys.js';
export { VENUE_NAMES, VenueError, type BrokerErrorEvent, type VenueName, type VenueApi, type VenueOrder, type SymbolRules } from './types.js';

export interface VenueBrokerOptions {
  /** Symbols to trade, as the venue or the lake names them ('BTCUSDT', 'XBTUSD', 'AAPL'). */
  readonly symbols: readonly string[];
  /** Where API keys are read from (default process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** 'sandbox' (default): Binance testnet / USDⓈ-M demo, Kraken Futures demo, Alpaca paper. 'live' only after the user confirmed it. */
  readonly mode?: 'sandbox' | 'live';
  /** Send every request to this origin instead (a local fixture or a proxy). */
  readonly baseUrl?: string;
  /** Salts client order ids (default 'edgelab'); the caller's client ids must be unique within it. */
  readonly runId?: string;
  readonly timeoutMs?: number;
  /** Minimum ms between requests (0: the venue's default pacing). */
  readonly rateLimitMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  /** Injected clock (tests); default the wall clock. */
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Receives redacted log lines. */
  readonly log?: (line: string) => void;
}

export function isVenueName(name: string): name is VenueName {
  return (VENUE_NAMES as readonly string[]).includes(name);
}

export async function createVenueBroker(name: string, options: VenueBrokerOptions): Promise<VenueBroker> {
  if (!isVenueName(name)) throw new UserError(`unknown broker '${name}' (choose sim, ${VENUE_NAMES.join(', ')})`, '--broker');
  if (options.symbols.length === 0) throw new UserError(`the ${name} broker needs at least one symbol`, '--broker');
  const env = options.env ?? process.env;
  const now = options.now ?? (() => Date.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const mode = options.mode ?? 'sandbox';
  const timeoutMs = options.timeoutMs ?? 10_000;
  let api: VenueApi;
  try {
    const keys = readVenueKeys(name, env);
    const base = options.baseUrl ? { baseUrl: options.baseUrl } : {};
    const ccxtOptions = { mode, timeoutMs, rateLimitMs: options.rateLimitMs ?? 0, now, ...base };
    api =
      name === 'alpaca'
        ? await openAlpacaVenue(keys, { mode, timeoutMs, now, rateLimitMs: options.rateLimitMs ?? 0, ...base })
        : name === 'krakenfutures'
          ? await openKrakenFuturesVenue(keys, ccxtOptions)
          : await openCcxtVenue(name, keys, ccxtOptions);
  } catch (err) {
    throw new UserError(redact(err instanceof Error ? err.message : String(err)), `--broker ${name}`);
  }
  const broker = new VenueBroker({
    api, symbols: options.symbols, runId: options.runId ?? 'edgelab', now, sleep, retry: { ...DEFAULT_RETRY, ...options.retry },
    ...(options.log ? { log: options.log } : {}),
  });
  try {
    await broker.start();
  } catch (err) {
    await api.close().catch(() => undefined);
    if (err instanceof VenueError) throw new UserError(err.message, `--broker ${name}`);
    throw err;
  }
  return broker;
}
