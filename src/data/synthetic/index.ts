/** The synthetic market: seeded generator, datasets with ground truth, and truth accessors. */
export { generateSyntheticMarket, generateSyntheticMarketAsync } from './generate.js';
export { toDatasets, dailyRegimeRuns } from './datasets.js';
export { truthOf, requireTruth, regimeCodes, regimeAt, dailyRegimeAt, edgeEvents } from './truth.js';
export { resolveOptions, isCryptoSymbol, addYears } from './options.js';
export { simulateRegimeChain, stationaryDistribution } from './regime-chain.js';
export { encodeRuns, expandRuns } from './rle.js';
export { studentTUnit } from './student-t.js';
export { garchPath } from './garch-path.js';
export { bridgeExcursions } from './intrabar.js';
export { fundingExtremeEvents } from './triggers/funding-extreme.js';
export { createCompressionDetector } from './triggers/vol-compression.js';
export { liquidationSpikeEvents } from './triggers/liquidation-spike.js';
export { reversalSign } from './triggers/equity-reversal.js';
export * as syntheticParams from './params.js';
export * from './types.js';
