/** Network data sources: ccxt exchanges (Binance spot, USDⓈ-M, Kraken), Yahoo, Alpaca, FRED. */
export { runNetworkIngest, runtimeFromIo, type NetworkHost, type NetworkIngestArgs, type NetworkRuntime, type IoLike } from './run.js';
export { ingestNetwork, partitionOf, rawDatasetName, type NetworkIngestRequest, type NetworkIngestResult, type FetchedRange } from './ingest.js';
export { createNetworkSource, timerSleep } from './sources.js';
export { LakeRawStore, MemoryRawStore, type RawStore, type RawKey, type Coverage } from './raw-store.js';
export { missingRanges, type MissingRange } from './missing.js';
export { withRetry, backoffDelay, parseRetryAfter, parseRateLimitReset, TransientError } from './retry.js';
export { Pacer } from './pacer.js';
export { CcxtSource, oiPeriod, BINANCE_OI_HISTORY_MS } from './ccxt-source.js';
export { YahooSource } from './yahoo-source.js';
export { AlpacaSource } from './alpaca-source.js';
export { FredSource } from './fred-source.js';
export {
  NETWORK_SOURCES,
  type NetworkSourceId,
  type NetworkWhat,
  type NetworkDeps,
  type NetworkSource,
  type FetchStats,
  type RetryEvent,
  type SourceSymbol,
} from './types.js';
