/**
 * Crypto exchanges through ccxt: Binance spot, Binance USDⓈ-M perpetuals and Kraken spot.
 * Bars come from ccxt's klines endpoint method (Binance, to keep taker-buy volume) or its unified
 * `fetchOHLCV` (Kraken), funding from `fetchFundingRateHistory`, open
 * interest from `fetchOpenInterestHistory` — each paged with ccxt's `since`/`limit`, paced by
 * ccxt's rate limiter, and wrapped in our retry (ccxt itself does not retry).
 */
import { UserError } from '../../core/errors.js';
import { DAY, intervalMs, isoUtc, type Interval } from '../../core/time.js';
import type { NetworkConfig, RetryConfig } from '../../config/sections/network.js';
import { classifyCcxtError, openCcxt, type CcxtHandle, type CcxtId } from './ccxt-exchange.js';
import { resolveMarket } from './ccxt-markets.js';
import { BINANCE_KLINE_COLUMNS, FUNDING_COLUMNS, num, OHLCV_COLUMNS, OI_COLUMNS } from './columns.js';
import { paginateSince } from './paginate.js';
import { withRetry } from './retry.js';
import { newStats, type FetchRequest, type NetworkDeps, type NetworkSource, type PageSink, type SourceSymbol } from './types.js';

/** Binance serves open-interest history for the last 30 days only. */
export const BINANCE_OI_HISTORY_MS = 30 * DAY;
/** Binance funding settles every 8 hours on most contracts; used only for progress, not for paging. */
const FUNDING_STEP_MS = 1;

export class CcxtSource implements NetworkSource {
  readonly stats = newStats();
  readonly regularBars = true;
  private handle: CcxtHandle | undefined;

  constructor(
    readonly id: CcxtId,
    private readonly config: NetworkConfig,
    private readonly deps: NetworkDeps,
  ) {}

  private get retry(): RetryConfig {
    return this.config.retry;
  }

  private async open(): Promise<CcxtHandle> {
    this.handle ??= await openCcxt(this.id, this.config, this.stats);
    return this.handle;
  }

  /** One ccxt call with retry; ccxt failures become TransientError (retried) or UserError. */
  private call<T>(h: CcxtHandle, what: string, symbol: string, fn: () => Promise<T>): Promise<T> {
    return withRetry(
      { policy: this.retry, deps: this.deps, stats: this.stats, what: `${this.id} ${symbol} ${what}` },
      async () => {
        try {
          return await fn();
        } catch (err) {
          throw classifyCcxtError(h, err, symbol) ?? err;
        }
      },
    );
  }

  async resolve(symbol: string): Promise<SourceSymbol> {
    const h = await this.open();
    const markets = await this.call(h, 'markets', symbol, () => h.exchange.loadMarkets());
    return resolveMarket(this.id, markets, symbol);
  }

  async fetch(sym: SourceSymbol, req: FetchRequest, sink: PageSink): Promise<void> {
    const h = await this.open();
    const ex = h.exchange;
    const cfg = this.config[this.id];
    const label = `${this.id} ${sym.name} ${req.what}`;
    const base = { window: req.window, stats: this.stats, deps: this.deps, label };
    if (req.what === 'ohlcv') {
      const interval = requireInterval(req.interval, this.id);
      if (!ex.timeframes || !(interval in ex.timeframes)) {
        throw new UserError(
          `${this.id} has no ${interval} bars (it offers ${Object.keys(ex.timeframes ?? {}).join(', ')})`,
          '--interval',
        );
      }
      const stepMs = intervalMs(interval);
      if (this.id === 'kraken') {
        // Unified fetchOHLCV; Kraken takes no end time, so the window's end is applied here.
        await paginateSince(
          {
            ...base,
            columns: OHLCV_COLUMNS,
            stepMs,
            onEmpty: 'stop',
            fetchPage: async (since) => {
              const rows = await this.call(h, `${interval} bars from ${isoUtc(since)}`, sym.name, () =>
                ex.fetchOHLCV(sym.id, interval, since, cfg.page_limit),
              );
              return rows.map((r) => [num(r[0]), num(r[1]), num(r[2]), num(r[3]), num(r[4]), num(r[5])]);
            },
          },
          sink,
        );
        return;
      }
      // Binance: ccxt's klines endpoint method rather than the unified fetchOHLCV, which drops
      // the taker-buy volume (field 9) that order-flow signals need. Same rate limiter (the call's
      // weight grows with `limit`), same errors; startTime/endTime/limit are Binance's own paging.
      const klines = (this.id === 'binance' ? ex['publicGetKlines'] : ex['fapiPublicGetKlines']) as (p: Record<string, unknown>) => Promise<unknown>;
      const exchangeId = String(sym.meta?.['exchange_id'] ?? sym.name);
      await paginateSince(
        {
          ...base,
          columns: BINANCE_KLINE_COLUMNS,
          stepMs,
          onEmpty: 'stop',
          fetchPage: async (since) => {
            const rows = await this.call(h, `${interval} bars from ${isoUtc(since)}`, sym.name, () =>
              klines.call(ex, {
                symbol: exchangeId,
                interval: ex.timeframes[interval],
                startTime: since,
                endTime: req.window.to - 1,
                limit: cfg.page_limit,
              }),
            );
            if (!Array.isArray(rows)) throw new UserError(`${this.id} answered klines with something that is not a list`, 'network');
            return (rows as unknown[][]).map((r) => [num(r[0]), num(r[1]), num(r[2]), num(r[3]), num(r[4]), num(r[5]), num(r[9])]);
          },
        },
        sink,
      );
      return;
    }
    if (this.id !== 'binanceusdm') {
      throw new UserError(`${this.id} has no ${req.what} history here (only binanceusdm serves funding and oi)`, '--what');
    }
    const usdm = this.config.binanceusdm;
    if (req.what === 'funding') {
      await paginateSince(
        {
          ...base,
          columns: FUNDING_COLUMNS,
          stepMs: FUNDING_STEP_MS,
          onEmpty: 'stop',
          fetchPage: async (since) => {
            const rows = await this.call(h, `funding from ${isoUtc(since)}`, sym.name, () =>
              ex.fetchFundingRateHistory(sym.id, since, usdm.funding_page_limit, { until: req.window.to - 1 }),
            );
            return rows.map((r) => [num(r.timestamp), num(r.fundingRate)]);
          },
        },
        sink,
      );
      return;
    }
    if (req.what === 'oi') {
      const period = req.period ?? oiPeriod(req.interval, usdm.oi_period);
      const step = intervalMsLoose(period);
      const horizon = Math.ceil((this.deps.now() - BINANCE_OI_HISTORY_MS) / step) * step;
      if (req.window.from < horizon) {
        this.stats.notes.push(`Binance keeps 30 days of open interest: starting at ${isoUtc(horizon)}`);
      }
      const window = { from: Math.max(req.window.from, horizon), to: req.window.to };
      if (window.from >= window.to) return;
      // ccxt asks for [since, since + period·limit]; a window with no data (a listing gap) is skipped.
      await paginateSince(
        {
          ...base,
          window,
          columns: OI_COLUMNS,
          stepMs: step,
          onEmpty: 'skip',
          skipMs: step * usdm.oi_page_limit,
          fetchPage: async (since) => {
            const rows = await this.call(h, `open interest from ${isoUtc(since)}`, sym.name, () =>
              ex.fetchOpenInterestHistory(sym.id, period, since, usdm.oi_page_limit),
            );
            return rows.map((r) => [num(r.timestamp), num(r.openInterestAmount), num(r.openInterestValue)]);
          },
        },
        sink,
      );
      return;
    }
    throw new UserError(`${this.id} cannot download '${req.what}' (use ohlcv, funding or oi)`, '--what');
  }

  async close(): Promise<void> {
    this.handle = undefined;
  }
}

function requireInterval(interval: Interval | undefined, id: string): Interval {
  if (!interval) throw new UserError(`${id} bars need --interval`, '--interval');
  return interval;
}

const OI_PERIODS = ['5m', '15m', '30m', '1h', '2h', '4h', '6h', '12h', '1d'];

/** The open-interest period: the bar interval when Binance offers it, else the configured one. */
export function oiPeriod(interval: string | undefined, fallback: string): string {
  return interval && OI_PERIODS.includes(interval) ? interval : fallback;
}

function intervalMsLoose(period: string): number {
  const m = /^(\d+)([mhd])$/.exec(period);
  if (!m) return 5 * 60_000;
  const unit = m[2] === 'm' ? 60_000 : m[2] === 'h' ? 3_600_000 : DAY;
  return Number(m[1]) * unit;
}
