export { HistoricalClock, ReplayClock, LiveClock, runClock, type BarClose, type Clock, type Scheduler } from './clock.js';
export { Trader, type TraderProgress } from './trader.js';
export { ModelSleeves } from './sleeves.js';
export { PortfolioTargets } from './targets.js';
export { snapshotTrader, restoreTrader, snapshotDigest, encodeSnapshot, decodeSnapshot, SNAPSHOT_FORMAT, type TraderSnapshot } from './snapshot.js';
