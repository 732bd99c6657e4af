/**
 * Alpaca stock bars: GET {base}/v2/stocks/{symbol}/bars (market-data API v2), paged by
 * `next_page_token`, authenticated with the APCA-API-KEY-ID / APCA-API-SECRET-KEY headers taken
 * from the environment variables the config names.
 *
 * Hand-written rather than Alpaca's SDK: @alpacahq/alpaca-trade-api is not among our installed
 * dependencies, and the one endpoint we need is a plain paged GET that our shared HTTP layer
 * (pacing, retry with Retry-After / X-RateLimit-Reset) already handles.
 */
import { UserError, throwIfAborted } from '../../core/errors.js';
import { isoUtc, type Interval } from '../../core/time.js';
import type { NetworkConfig } from '../../config/sections/network.js';
import { ColumnBuilder, emitPage, OHLCV_COLUMNS } from './columns.js';
import { getJson } from './http.js';
import { HttpSource } from './http-source.js';
import type { FetchRequest, NetworkDeps, NetworkSource, PageSink, SourceSymbol } from './types.js';

export const ALPACA_DEFAULT_BASE = 'https://data.alpaca.markets';

const TIMEFRAME: Partial<Record<Interval, string>> = {
  '1m': '1Min', '5m': '5Min', '15m': '15Min', '30m': '30Min', '1h': '1Hour', '4h': '4Hour', '8h': '8Hour',
  '1d': '1Day', '1w': '1Week', '1M': '1Month',
};

export const ALPACA_COLUMNS = [...OHLCV_COLUMNS, 'trades', 'vwap'] as const;

interface AlpacaBar {
  t: string;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
  n?: number;
  vw?: number;
}

export class AlpacaSource extends HttpSource implements NetworkSource {
  readonly id = 'alpaca' as const;

  constructor(config: NetworkConfig, deps: NetworkDeps) {
    super(config, deps, 'alpaca bars', config.alpaca.rate_limit_ms);
  }

  private headers(): Record<string, string> {
    const cfg = this.config.alpaca;
    const id = this.deps.env[cfg.key_id_env];
    const secret = this.deps.env[cfg.secret_key_env];
    const missing = [!id ? cfg.key_id_env : '', !secret ? cfg.secret_key_env : ''].filter(Boolean);
    if (missing.length) {
      throw new UserError(`alpaca needs API keys: set ${missing.join(' and ')} in the environment (names from network.alpaca)`, 'network');
    }
    return { 'APCA-API-KEY-ID': id!, 'APCA-API-SECRET-KEY': secret! };
  }

  /** Alpaca's data API has no listing endpoint: check the spelling and the keys, nothing more. */
  async resolve(symbol: string): Promise<SourceSymbol> {
    const name = symbol.trim().toUpperCase();
    if (!/^[A-Z][A-Z0-9.\-/]{0,14}$/.test(name)) {
      throw new UserError(`'${symbol}' is not a stock symbol Alpaca could list (letters, digits, '.', '-')`, `symbol ${symbol}`);
    }
    this.headers();
    return { name, id: name, assetClass: 'equity' };
  }

  async fetch(sym: SourceSymbol, req: FetchRequest, sink: PageSink): Promise<void> {
    if (req.what !== 'ohlcv') throw new UserError(`alpaca serves bars only (--what ohlcv), not ${req.what}`, '--what');
    const timeframe = req.interval ? TIMEFRAME[req.interval] : undefined;
    if (!timeframe) throw new UserError(`alpaca has no ${req.interval ?? '(missing)'} bars; use one of ${Object.keys(TIMEFRAME).join(', ')}`, '--interval');
    const cfg = this.config.alpaca;
    const base = (cfg.base_url || ALPACA_DEFAULT_BASE).replace(/\/+$/, '');
    const headers = this.headers();
    const { from, to } = req.window;
    let token: string | null = null;
    do {
      throwIfAborted(this.deps.signal);
      const q = new URLSearchParams({
        timeframe,
        start: isoUtc(from),
        end: isoUtc(to - 1),
        limit: String(cfg.page_limit),
        adjustment: cfg.adjustment,
        feed: cfg.feed,
        sort: 'asc',
      });
      if (token) q.set('page_token', token);
      const answer = await getJson(this.http, `${base}/v2/stocks/${encodeURIComponent(sym.id)}/bars?${q}`, headers);
      const body = answer.body as { bars?: AlpacaBar[] | null; next_page_token?: string | null; message?: string } | undefined;
      if (answer.status >= 400 || !body) throw this.refusal(sym, answer.status, body?.message ?? answer.text.slice(0, 160));
      const page = new ColumnBuilder(ALPACA_COLUMNS);
      for (const b of body.bars ?? []) {
        const ts = Date.parse(b.t);
        if (ts >= from && ts < to) page.push([ts, b.o, b.h, b.l, b.c, b.v, b.n, b.vw]);
      }
      const table = await emitPage(page, this.stats, sink);
      if (table) {
        const last = (table.columns['ts'] as Float64Array)[table.length - 1]!;
        this.deps.progress?.(`alpaca ${sym.name} ${req.interval}`, (last - from) / (to - from));
      }
      token = body.next_page_token ?? null;
    } while (token);
  }

  private refusal(sym: SourceSymbol, status: number, message: string): UserError {
    const cfg = this.config.alpaca;
    if (status === 401 || status === 403) {
      return new UserError(`alpaca refused the API keys (HTTP ${status}: ${message}); check ${cfg.key_id_env} and ${cfg.secret_key_env}`, 'network');
    }
    if (status === 404) return new UserError(`alpaca has no such route (HTTP 404): check network.alpaca.base_url`, 'network');
    return new UserError(`alpaca refused bars for '${sym.name}' (HTTP ${status}): ${message}`, `symbol ${sym.name}`);
  }
}
