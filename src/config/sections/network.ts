import { z } from 'zod';

/**
 * 'network' section of configs/base.yaml: where each network source lives, how fast we may ask,
 * how we retry, and which environment variables hold API keys. Keys themselves never go in a
 * config file: only the *names* of the variables that hold them. See docs/network.md.
 */

const baseUrl = (real: string) =>
  z
    .string()
    .default('')
    .describe(`API origin used instead of ${real} (a proxy, or a 127.0.0.1 fixture server); empty = the real one`);

const rateLimit = (dflt: number) =>
  z.number().min(0).default(dflt).describe('minimum spacing between two requests, in milliseconds');

const pageLimit = (dflt: number, max: number) =>
  z.number().int().min(1).max(max).default(dflt).describe(`rows asked for per request (at most ${max})`);

export const retrySection = z
  .object({
    max_attempts: z.number().int().min(1).default(6).describe('attempts per request, the first included'),
    base_delay_ms: z.number().min(0).default(1000).describe('wait before the first retry, in ms'),
    factor: z.number().min(1).default(2).describe('growth of the wait from one retry to the next'),
    max_delay_ms: z.number().min(0).default(60_000).describe('cap on one computed wait, in ms'),
    max_retry_after_ms: z
      .number()
      .min(0)
      .default(300_000)
      .describe('longest Retry-After we wait out, in ms; a longer ban (Binance 418) fails with a message'),
  })
  .strict();

const OI_PERIODS = ['5m', '15m', '30m', '1h', '2h', '4h', '6h', '12h', '1d'] as const;

export const networkSection = z
  .object({
    timeout_ms: z.number().int().min(1).default(30_000).describe('timeout of one HTTP request, in ms'),
    retry: retrySection.prefault({}).describe('retry with deterministic exponential backoff'),
    binance: z
      .object({
        base_url: baseUrl('https://api.binance.com'),
        rate_limit_ms: rateLimit(50),
        page_limit: pageLimit(1000, 1000),
      })
      .strict()
      .prefault({})
      .describe('Binance spot through ccxt'),
    binanceusdm: z
      .object({
        base_url: baseUrl('https://fapi.binance.com'),
        rate_limit_ms: rateLimit(50),
        // Binance allows 1500 klines per request, but 1000 costs weight 5 and 1500 weight 10.
        page_limit: pageLimit(1000, 1500),
        funding_page_limit: pageLimit(1000, 1000),
        oi_page_limit: pageLimit(500, 500),
        oi_period: z.enum(OI_PERIODS).default('5m').describe('open-interest period used when --interval is not one Binance offers'),
      })
      .strict()
      .prefault({})
      .describe('Binance USDⓈ-M perpetuals through ccxt'),
    kraken: z
      .object({
        base_url: baseUrl('https://api.kraken.com'),
        rate_limit_ms: rateLimit(3000),
        page_limit: pageLimit(720, 720),
      })
      .strict()
      .prefault({})
      .describe('Kraken spot through ccxt'),
    yahoo: z
      .object({
        base_url: baseUrl('https://query2.finance.yahoo.com'),
        rate_limit_ms: rateLimit(500),
        chunk_days_intraday: z.number().min(1).default(59).describe('days per chart request below 1h (Yahoo keeps ~60 days)'),
        chunk_days_hourly: z.number().min(1).default(700).describe('days per chart request for 1h bars (Yahoo keeps ~730 days)'),
        chunk_days_daily: z.number().min(1).default(3650).describe('days per chart request for 1d and longer bars'),
      })
      .strict()
      .prefault({})
      .describe('Yahoo Finance chart API through yahoo-finance2'),
    alpaca: z
      .object({
        base_url: baseUrl('https://data.alpaca.markets'),
        rate_limit_ms: rateLimit(300),
        page_limit: pageLimit(10_000, 10_000),
        feed: z.enum(['iex', 'sip', 'otc']).default('iex').describe('Alpaca data feed (free accounts: iex)'),
        adjustment: z.enum(['raw', 'split', 'dividend', 'all']).default('raw').describe('corporate-action adjustment'),
        key_id_env: z.string().default('APCA_API_KEY_ID').describe('environment variable holding the Alpaca key id'),
        secret_key_env: z.string().default('APCA_API_SECRET_KEY').describe('environment variable holding the Alpaca secret'),
      })
      .strict()
      .prefault({})
      .describe('Alpaca market-data bars (REST v2)'),
    fred: z
      .object({
        base_url: baseUrl('https://api.stlouisfed.org'),
        rate_limit_ms: rateLimit(500),
        page_limit: pageLimit(100_000, 100_000),
        api_key_env: z.string().default('FRED_API_KEY').describe('environment variable holding the FRED API key'),
      })
      .strict()
      .prefault({})
      .describe('FRED series observations'),
  })
  .strict()
  .describe('network data sources: base URLs, rate limits, retries, API-key variable names');

export type NetworkConfig = z.infer<typeof networkSection>;
export type RetryConfig = z.infer<typeof retrySection>;
