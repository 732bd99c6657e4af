/** The models room: target-weight models behind one interface (./types.ts) and their registry. */
export type * from './types.js';
export { MODEL_SPECS, modelNames, modelSpec, findModelSpec, parseModelParams, buildModel, type ModelSpec, type ModelEnv } from './registry.js';
export { createSmaCross, smaCrossParams, type SmaCrossParams } from './sma-cross.js';
export { createEquityTrend, equityTrendParams, equityTrendFeatures, type EquityTrendParams } from './equity-trend.js';
export { createIndexMeanReversion, indexMeanReversionParams, type IndexMeanReversionParams } from './index-mean-reversion.js';
export { createCryptoMomentum, cryptoMomentumParams, barsPerDay, type CryptoMomentumParams } from './crypto-momentum.js';
export { createVolCompression, volCompressionParams, type VolCompressionParams } from './vol-compression.js';
export { parseSizing, sizeWeight, type Sizing } from './lib/sizing.js';
