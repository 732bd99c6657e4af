/**
 * Yahoo Finance bars through yahoo-finance2 (v3) `chart()`, the `/v8/finance/chart/SYMBOL` API.
 *
 * Pointing it elsewhere: yahoo-finance2 builds `https://${YF_QUERY_HOST}/v8/finance/chart/…`
 * (https is fixed), but it accepts a `fetch` option and sends every request through it. Ours
 * rebases the URL onto `network.yahoo.base_url` (a proxy or a 127.0.0.1 fixture), paces, retries
 * 429/5xx with backoff, and turns Yahoo's JSON errors into messages — no patching. `chart()`
 * needs no crumb or cookie (only quote/quoteSummary-style modules call getCrumb), so a fixture
 * only has to answer the chart route.
 *
 * Paging: one chart request per time chunk (Yahoo keeps ~60 days of sub-hour bars and ~730 days
 * of hourly ones and refuses wider intraday ranges), chunk sizes from the config.
 */
import { UserError, throwIfAborted } from '../../core/errors.js';
import { DAY, isoUtc, type Interval } from '../../core/time.js';
import type { AssetClass } from '../../core/table.js';
import type { NetworkConfig } from '../../config/sections/network.js';
import { ColumnBuilder, emitPage, OHLCV_COLUMNS } from './columns.js';
import { fetchWithRetry, rebase } from './http.js';
import { HttpSource } from './http-source.js';
import type { FetchRequest, NetworkDeps, NetworkSource, PageSink, SourceSymbol } from './types.js';

const YAHOO_INTERVAL: Partial<Record<Interval, string>> = {
  '1m': '1m', '5m': '5m', '15m': '15m', '30m': '30m', '1h': '1h', '1d': '1d', '1w': '1wk', '1M': '1mo',
};

const CLASS: Record<string, AssetClass> = {
  EQUITY: 'equity', ETF: 'etf', INDEX: 'index', CURRENCY: 'fx', CRYPTOCURRENCY: 'crypto_spot', MUTUALFUND: 'etf',
};

export const YAHOO_COLUMNS = [...OHLCV_COLUMNS, 'adj_close'] as const;

interface ChartQuote {
  date: Date;
  open: number | null;
  high: number | null;
  low: number | null;
  close: number | null;
  volume: number | null;
  adjclose?: number | null;
}
interface ChartArray {
  meta: { symbol: string; instrumentType: string; exchangeTimezoneName: string; currency: string };
  quotes: ChartQuote[];
}
type ChartFn = (symbol: string, opts: Record<string, unknown>) => Promise<ChartArray>;

export class YahooSource extends HttpSource implements NetworkSource {
  readonly id = 'yahoo' as const;
  private client: Promise<ChartFn> | undefined;

  constructor(config: NetworkConfig, deps: NetworkDeps) {
    super(config, deps, 'yahoo chart', config.yahoo.rate_limit_ms);
  }

  /** yahoo-finance2 with only the chart module, its fetch routed through ours; imported on first use. */
  private chart(): Promise<ChartFn> {
    this.client ??= (async () => {
      const [{ default: createYahooFinance }, { default: chart }] = await Promise.all([
        import('yahoo-finance2/createYahooFinance'),
        import('yahoo-finance2/modules/chart'),
      ]);
      const YF = createYahooFinance({ modules: { chart } });
      const quiet = (...a: unknown[]) => this.deps.log?.(`yahoo-finance2: ${a.map(String).join(' ')}`);
      const yf = new YF({
        fetch: ((input: unknown, init?: RequestInit) => this.httpFetch(String(input), init)) as typeof fetch,
        logger: { info: quiet, warn: quiet, error: quiet, debug: () => {}, dir: quiet },
        suppressNotices: ['yahooSurvey'],
        versionCheck: false,
        validation: { logErrors: false },
      });
      return (symbol: string, opts: Record<string, unknown>) => (yf as unknown as { chart: ChartFn }).chart(symbol, opts);
    })();
    return this.client;
  }

  /** The `fetch` yahoo-finance2 calls: rebase, pace, retry, and read Yahoo's error shape. */
  private async httpFetch(url: string, init?: RequestInit): Promise<Response> {
    const res = await fetchWithRetry(this.http, rebase(url, this.config.yahoo.base_url), {
      ...(init?.headers ? { headers: init.headers } : {}),
    });
    if (res.status >= 400) {
      const text = await res.text();
      const symbol = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
      let description = text.slice(0, 160);
      try {
        const body = JSON.parse(text) as { chart?: { error?: { description?: string } } };
        description = body.chart?.error?.description ?? description;
      } catch {
        /* not JSON: keep the text */
      }
      if (res.status === 404) throw new UserError(`yahoo has no symbol '${symbol}' (${description})`, `symbol ${symbol}`);
      if (res.status === 401 || res.status === 403) {
        throw new UserError(`yahoo refused the request (HTTP ${res.status}: ${description}); Yahoo may need a crumb/cookie from this network`, 'network');
      }
      throw new UserError(`yahoo refused the request for '${symbol}' (HTTP ${res.status}): ${description}`, `symbol ${symbol}`);
    }
    return res;
  }

  async resolve(symbol: string): Promise<SourceSymbol> {
    const name = symbol.trim().toUpperCase();
    // A short daily chart both checks the symbol exists and tells its instrument type.
    const now = this.deps.now();
    const chart = await this.chart();
    const r = await chart(name, { period1: Math.floor((now - 10 * DAY) / 1000), period2: Math.floor(now / 1000), interval: '1d', includePrePost: false, events: '' });
    return {
      name,
      id: name,
      assetClass: CLASS[r.meta.instrumentType] ?? 'other',
      meta: { instrument_type: r.meta.instrumentType, exchange_tz: r.meta.exchangeTimezoneName, currency: r.meta.currency },
    };
  }

  async fetch(sym: SourceSymbol, req: FetchRequest, sink: PageSink): Promise<void> {
    if (req.what !== 'ohlcv') throw new UserError(`yahoo serves bars only (--what ohlcv), not ${req.what}`, '--what');
    const interval = req.interval;
    const yi = interval ? YAHOO_INTERVAL[interval] : undefined;
    if (!interval || !yi) {
      throw new UserError(
        `yahoo has no ${interval ?? '(missing)'} bars; use one of ${Object.keys(YAHOO_INTERVAL).join(', ')} (resample 1h to 4h in clean)`,
        '--interval',
      );
    }
    const cfg = this.config.yahoo;
    const chunkDays = ['1m', '5m', '15m', '30m'].includes(interval) ? cfg.chunk_days_intraday : interval === '1h' ? cfg.chunk_days_hourly : cfg.chunk_days_daily;
    const chunk = chunkDays * DAY;
    const chart = await this.chart();
    const { from, to } = req.window;
    for (let a = from; a < to; a += chunk) {
      throwIfAborted(this.deps.signal);
      const b = Math.min(a + chunk, to);
      const r = await chart(sym.id, {
        period1: Math.ceil(a / 1000),
        period2: Math.ceil(b / 1000),
        interval: yi,
        includePrePost: false,
        events: 'div|split',
      });
      const page = new ColumnBuilder(YAHOO_COLUMNS);
      for (const q of r.quotes) {
        const ts = q.date.getTime();
        if (ts < a || ts >= b) continue;
        page.push([ts, q.open, q.high, q.low, q.close, q.volume, q.adjclose ?? Number.NaN]);
      }
      await emitPage(page, this.stats, sink);
      this.deps.progress?.(`yahoo ${sym.name} ${interval} ${isoUtc(b)}`, (b - from) / (to - from));
    }
  }

  override async close(): Promise<void> {
    this.client = undefined;
  }
}
