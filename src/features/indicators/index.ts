/** The indicator kernels: pure functions over Float64Array columns (see each file's doc comment). */
export { sma } from './sma.js';
export { ema } from './ema.js';
export { wilder } from './wilder.js';
export { rollingStd } from './rolling-std.js';
export { simpleReturns, logReturns } from './returns.js';
export { rsi } from './rsi.js';
export { trueRange } from './true-range.js';
export { atr } from './atr.js';
export { bollinger, type BollingerBands } from './bollinger.js';
export { highest } from './highest.js';
export { lowest } from './lowest.js';
export { rollingZScore } from './zscore.js';
export { rollingPercentileRank } from './percentile-rank.js';
